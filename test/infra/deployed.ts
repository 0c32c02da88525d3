/** Reading the evaluated app the way AWS would see it: functions by handler, policies as JSON. */
import { type Evaluation, named, ofType, type RecordedResource } from "./harness.js";

export interface PolicyStatement {
  Effect: string;
  Action: string[] | string;
  Resource?: string[] | string;
  Principal?: Record<string, string[] | string>;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface DeployedFunction {
  handler: string;
  id: string;
  lambda: RecordedResource;
  role: RecordedResource;
  arn: string;
}

/** Each sst.aws.Function by the handler SST was asked to build. */
export function functionsByHandler(evaluation: Evaluation): Map<string, DeployedFunction> {
  const functions = new Map<string, DeployedFunction>();
  for (const build of evaluation.builds) {
    const handler = String(build.handler);
    const id = String(build.functionID);
    const lambda = named(evaluation, `${id}Function`);
    functions.set(handler, {
      handler,
      id,
      lambda,
      role: named(evaluation, `${id}Role`),
      arn: String(lambda.state.arn),
    });
  }
  return functions;
}

export const asList = (value: string[] | string | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function parsePolicy(policy: unknown): PolicyStatement[] {
  const document = typeof policy === "string" ? JSON.parse(policy) : policy;
  const statements = (document as { Statement?: PolicyStatement[] | PolicyStatement }).Statement;
  return statements === undefined ? [] : Array.isArray(statements) ? statements : [statements];
}

/** The statements of a role's inline policies. */
export function inlineStatements(role: RecordedResource): PolicyStatement[] {
  const policies = (role.inputs.inlinePolicies ?? []) as { policy: unknown }[];
  return policies.flatMap((inline) => parsePolicy(inline.policy));
}

export function trustStatements(role: RecordedResource): PolicyStatement[] {
  return parsePolicy(role.inputs.assumeRolePolicy);
}

/** Every action granted by a role's inline policies, sorted and unique. */
export function grantedActions(role: RecordedResource): string[] {
  return [...new Set(inlineStatements(role).flatMap((statement) => asList(statement.Action)))].sort();
}

export function stateMachines(evaluation: Evaluation): RecordedResource[] {
  return ofType(evaluation, "aws:sfn/stateMachine:StateMachine");
}
