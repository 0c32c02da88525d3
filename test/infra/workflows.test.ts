import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { WORKFLOWS } from "../../workflows/index.js";
import {
  asList,
  type DeployedFunction,
  functionsByHandler,
  inlineStatements,
  trustStatements,
} from "./deployed.js";
import { type Evaluation, evaluateApp, named } from "./harness.js";

type AslValidator = (definition: unknown) => { isValid: boolean; errors: unknown[] };
const validateAsl = createRequire(import.meta.url)("asl-validator") as AslValidator;

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** Every Task state in a definition, nested branches and Map processors included. */
function tasks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(tasks);
  if (typeof value !== "object" || value === null) return [];
  const state = value as Record<string, unknown>;
  return [...(state.Type === "Task" ? [state] : []), ...Object.values(state).flatMap(tasks)];
}

// One evaluation for the file: Pulumi's runtime and SST's globals are process-wide (see harness.ts).
let evaluation: Evaluation;
let functions: Map<string, DeployedFunction>;
beforeAll(async () => {
  evaluation = await evaluateApp("ci");
  functions = functionsByHandler(evaluation);
});

describe.each(WORKFLOWS.map((spec) => [spec.name, spec] as const))("the %s workflow", (_name, spec) => {
  let machine: Record<string, unknown>;
  const arnOf = (key: string): string => {
    const handler = spec.functions[key];
    const fn = handler === undefined ? undefined : functions.get(handler);
    if (fn === undefined) throw new Error(`${spec.name}: no Lambda deployed for function key ${key}`);
    return fn.arn;
  };

  beforeAll(() => {
    machine = named(evaluation, `${pascal(spec.name)}StateMachine`).inputs;
  });

  it("deploys the workflows/ definition with the Lambda ARNs resolved in", () => {
    expect(JSON.parse(String(machine.definition))).toEqual(spec.definition(arnOf));
  });

  it("passes asl-validator", () => {
    const result = validateAsl(JSON.parse(String(machine.definition)));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it("is a Standard state machine named per stage", () => {
    expect(machine.type).toBe("STANDARD");
    expect(machine.name).toBe(`mqops-ci-${spec.name}`);
  });

  it("logs to its own log group without execution data", () => {
    const logGroup = named(evaluation, `${pascal(spec.name)}StateMachineLogs`);
    expect(machine.loggingConfiguration).toEqual({
      level: "ALL",
      includeExecutionData: false,
      logDestination: `${logGroup.state.arn}:*`,
    });
  });

  it("traces with X-Ray", () => {
    expect(machine.tracingConfiguration).toEqual({ enabled: true });
  });

  it("runs as a role only Step Functions can assume, which may invoke exactly its functions", () => {
    const role = named(evaluation, `${pascal(spec.name)}StateMachineRole`);
    expect(machine.roleArn).toBe(role.state.arn);
    for (const statement of trustStatements(role)) {
      expect(statement.Principal).toEqual({ Service: "states.amazonaws.com" });
    }
    const statements = inlineStatements(role);
    const lambdaActions = statements.flatMap((statement) =>
      asList(statement.Action).filter((action) => action.startsWith("lambda:")),
    );
    expect(lambdaActions).toEqual(["lambda:InvokeFunction"]);
    const invoke = statements.find((statement) => asList(statement.Action).includes("lambda:InvokeFunction"));
    expect(asList(invoke?.Resource).sort()).toEqual(Object.keys(spec.functions).map(arnOf).sort());
    for (const statement of statements) {
      for (const action of asList(statement.Action)) expect(action).toMatch(/^(lambda|logs|xray):[A-Z]\w+$/);
    }
  });

  it("gives each Lambda no longer than the Task that waits for it", () => {
    const byArn = new Map([...functions.values()].map((fn) => [fn.arn, fn]));
    const definition = JSON.parse(String(machine.definition));
    for (const task of tasks(definition)) {
      const fn = byArn.get(String(task.Resource));
      expect(fn, `Task resource ${String(task.Resource)}`).toBeDefined();
      expect(Number(fn?.lambda.inputs.timeout)).toBeLessThanOrEqual(Number(task.TimeoutSeconds ?? 60));
    }
  });
});
