import type { WorkflowSpec } from "../../workflows/types.js";
import { LOCAL_ACCOUNT } from "../server/service.js";
import { invalidArn } from "./errors.js";

/** A state machine's ARN in the local cloud: the workflow's short name, as workflows/types.ts says. */
export const stateMachineArnFor = (name: string, region: string) =>
  `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

/** An execution's ARN, formed from its state machine's ARN as Step Functions forms it. */
export const executionArnOf = (machineArn: string, name: string) =>
  `${machineArn.replace(":stateMachine:", ":execution:")}:${name}`;

/** `provisioning` → `PROVISIONING_STATE_MACHINE_ARN`, the variable handlers read (infra/permissions.ts). */
export const stateMachineEnvName = (workflow: string) =>
  `${workflow.toUpperCase().replaceAll("-", "_")}_STATE_MACHINE_ARN`;

/**
 * The ARN of every workflow the local Step Functions registers at start, by the environment variable
 * the project's handlers read it from (`PROVISIONING_STATE_MACHINE_ARN`). The launcher sets these.
 */
export function stateMachineEnvironment(workflows: WorkflowSpec[], region: string): Record<string, string> {
  return Object.fromEntries(
    workflows.map((spec) => [stateMachineEnvName(spec.name), stateMachineArnFor(spec.name, region)]),
  );
}

const ARN = /^arn:aws:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution):([^:]+)(?::([^:]+))?$/;

/** The state machine ARN an API call names; InvalidArn for anything else. */
export function parseStateMachineArn(arn: unknown): string {
  const match = typeof arn === "string" ? ARN.exec(arn) : null;
  if (match === null || match[3] !== "stateMachine" || match[5] !== undefined) {
    throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
  return arn as string;
}

/** The execution ARN an API call names; InvalidArn for anything else. */
export function parseExecutionArn(arn: unknown): string {
  const match = typeof arn === "string" ? ARN.exec(arn) : null;
  if (match === null || match[3] !== "execution" || match[5] === undefined) {
    throw invalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
  return arn as string;
}
