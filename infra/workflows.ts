import { WORKFLOWS, type WorkflowSpec } from "../workflows/index.js";
import { defineFunction } from "./functions.js";
import { pascalCase, physicalName } from "./stage.js";

const PLACEHOLDER = /^mqops-function:(.+)$/;

/**
 * Each function key's Lambda timeout: the shortest TimeoutSeconds of the Tasks that run it, so a
 * Lambda never outlives the Task waiting for it.
 */
export function taskTimeouts(spec: WorkflowSpec): Map<string, number> {
  const timeouts = new Map<string, number>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const state = value as Record<string, unknown>;
    const key = typeof state.Resource === "string" ? PLACEHOLDER.exec(state.Resource)?.[1] : undefined;
    if (state.Type === "Task" && key !== undefined) {
      const seconds = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : 60;
      timeouts.set(key, Math.min(seconds, timeouts.get(key) ?? seconds));
    }
    for (const child of Object.values(state)) visit(child);
  };
  visit(spec.definition((key) => `mqops-function:${key}`));
  return timeouts;
}

function deployWorkflow(spec: WorkflowSpec) {
  const name = physicalName(spec.name);
  const prefix = pascalCase(spec.name);
  const timeouts = taskTimeouts(spec);
  const functions = Object.fromEntries(
    Object.entries(spec.functions).map(([key, handler]) => {
      const timeout = timeouts.get(key);
      if (timeout === undefined) throw new Error(`${spec.name}: function ${key} is not used by any Task`);
      return [key, defineFunction(handler, timeout)];
    }),
  );
  const functionArns = Object.values(functions).map((fn) => fn.arn);

  const role = new aws.iam.Role(`${prefix}StateMachineRole`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "states.amazonaws.com" }),
    inlinePolicies: [
      {
        name: "invoke-own-functions",
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [{ effect: "Allow", actions: ["lambda:InvokeFunction"], resources: functionArns }],
        }).json,
      },
      {
        // What Step Functions needs to deliver logs to CloudWatch Logs and traces to X-Ray; these
        // actions do not support resource-level permissions.
        name: "logs-and-traces",
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [
            {
              effect: "Allow",
              actions: [
                "logs:CreateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:DescribeLogGroups",
                "logs:DescribeResourcePolicies",
                "logs:GetLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:UpdateLogDelivery",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:PutTelemetryRecords",
                "xray:PutTraceSegments",
              ],
              resources: ["*"],
            },
          ],
        }).json,
      },
    ],
  });

  const logGroup = new aws.cloudwatch.LogGroup(`${prefix}StateMachineLogs`, {
    name: `/aws/vendedlogs/states/${name}`,
    retentionInDays: 90,
  });

  const definition = $resolve(
    Object.fromEntries(Object.entries(functions).map(([key, fn]) => [key, fn.arn])),
  ).apply((arns: Record<string, string>) =>
    JSON.stringify(
      spec.definition((key) => {
        const arn = arns[key];
        if (arn === undefined) throw new Error(`${spec.name}: no function for key ${key}`);
        return arn;
      }),
    ),
  );

  const machine = new aws.sfn.StateMachine(`${prefix}StateMachine`, {
    name,
    type: "STANDARD",
    roleArn: role.arn,
    definition,
    // Execution data stays out of the logs: inputs carry broker settings and client tokens.
    loggingConfiguration: {
      level: "ALL",
      includeExecutionData: false,
      logDestination: $interpolate`${logGroup.arn}:*`,
    },
    tracingConfiguration: { enabled: true },
  });
  return machine;
}

/** Every workflow of workflows/ as a Standard state machine, by workflow name. */
export const stateMachines: Record<string, aws.sfn.StateMachine> = Object.fromEntries(
  WORKFLOWS.map((spec) => [spec.name, deployWorkflow(spec)]),
);
