import type { StateMachineDefinition } from "../../workflows/asl.js";
import type { WorkflowSpec } from "../../workflows/types.js";
import { invoke, type LambdaHandler, loadHandler } from "./lambda-runtime.js";

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type TaskHandlers = Record<string, (input: JsonValue) => Promise<JsonValue>>;

/** A Task whose Resource maps to no handler: the local cloud refuses to run it rather than call real AWS. */
export class UnboundTaskError extends Error {
  constructor(workflow: string, tasks: string[]) {
    super(`Workflow ${workflow} has Tasks bound to no local handler: ${tasks.join(", ")}`);
    this.name = "UnboundTaskError";
  }
}

/** The Lambda function name of a workflow function, as the local cloud names it. */
export const localFunctionName = (workflow: string, functionKey: string) =>
  `mqops-${workflow}-${functionKey}`;

export function localFunctionArn(
  workflow: string,
  functionKey: string,
  region: string,
  account: string,
): string {
  return `arn:aws:lambda:${region}:${account}:function:${localFunctionName(workflow, functionKey)}`;
}

/** Every Task state in a definition, nested Map and Parallel states included: name → state. */
export function taskStates(definition: { States: Record<string, Record<string, unknown>> }) {
  const tasks = new Map<string, Record<string, unknown>>();
  const visit = (states: Record<string, Record<string, unknown>>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === "Task") tasks.set(name, state);
      const nested = (state.ItemProcessor ?? state.Iterator) as { States?: typeof states } | undefined;
      if (nested?.States !== undefined) visit(nested.States);
      for (const branch of (state.Branches ?? []) as { States: typeof states }[]) visit(branch.States);
    }
  };
  visit(definition.States);
  return tasks;
}

/** The function `arn:aws:states:::lambda:invoke` calls: Parameters (JSONPath) or Arguments (JSONata). */
export function invokedFunction(state: Record<string, unknown>): string {
  const fields = (state.Parameters ?? state.Arguments) as Record<string, unknown> | undefined;
  return String(fields?.FunctionName);
}

/**
 * Binds every Task of a workflow to its handler in functions/, keyed by state name as the ASL engine
 * wants. A Resource that is the function's ARN gets the handler's result; `arn:aws:states:::lambda:invoke`
 * gets Lambda's `{Payload, StatusCode}` envelope. Any Task left unbound is an error.
 */
export async function bindTaskHandlers(
  spec: WorkflowSpec,
  definition: StateMachineDefinition,
  resolveArn: (functionKey: string) => string,
): Promise<TaskHandlers> {
  const byArn = new Map(Object.keys(spec.functions).map((key) => [resolveArn(key), key]));
  const loaded = new Map<string, LambdaHandler>();
  const load = async (key: string) => {
    const cached = loaded.get(key);
    if (cached !== undefined) return cached;
    const handlerPath = spec.functions[key];
    if (handlerPath === undefined) throw new UnboundTaskError(spec.name, [key]);
    const handler = await loadHandler(handlerPath);
    loaded.set(key, handler);
    return handler;
  };
  const handlers: TaskHandlers = {};
  const unbound: string[] = [];
  for (const [stateName, state] of taskStates(definition)) {
    const resource = String(state.Resource);
    const viaInvoke = resource === "arn:aws:states:::lambda:invoke";
    const functionArn = viaInvoke ? invokedFunction(state) : resource;
    const key = byArn.get(functionArn);
    if (key === undefined) {
      unbound.push(`${stateName} (${resource})`);
      continue;
    }
    const handler = await load(key);
    const functionName = functionArn.split(":").pop() ?? key;
    handlers[stateName] = async (input) => {
      const payload = viaInvoke ? (input as { Payload?: JsonValue }).Payload : input;
      const result = (await invoke(handler, functionName, payload)) as JsonValue;
      return viaInvoke ? { Payload: result, StatusCode: 200 } : result;
    };
  }
  if (unbound.length > 0) throw new UnboundTaskError(spec.name, unbound);
  return handlers;
}
