import { StateMachine } from "aws-local-stepfunctions";
import type { StateMachineDefinition } from "../../workflows/asl.js";
import type { WorkflowSpec } from "../../workflows/types.js";
import { bindTaskHandlers, localFunctionArn, type TaskHandlers, taskStates } from "./bindings.js";
import { JsonataStateMachine } from "./jsonata/machine.js";

type JsonValue = Parameters<StateMachine["run"]>[0];

import type { WorkflowRun } from "./event-types.js";

export type { EngineEvent, WorkflowRun } from "./event-types.js";

export interface LocalWorkflow {
  spec: WorkflowSpec;
  definition: StateMachineDefinition;
  handlers: TaskHandlers;
  /** aws-local-stepfunctions for JSONPath; the local JSONata machine for `QueryLanguage: "JSONata"`. */
  machine: StateMachine | JsonataStateMachine;
}

export interface RunOptions {
  executionName: string;
  /** `$$.Execution.Id`; the name when absent. */
  executionArn?: string;
  /** `$$.Execution.RoleArn`. */
  roleArn?: string;
  /** `$$.StateMachine.Id` and `.Name`. */
  stateMachine?: { id: string; name: string };
  /** The execution's start time ($$.Execution.StartTime); now by default. */
  startTime?: Date;
  /** Shorten every Wait to 10 ms and every Retry pause to none (tests); Waits still yield to timers. */
  skipDelays?: boolean;
  /**
   * Sees each Task invocation's effective input (after Parameters) and each successful result (before
   * ResultSelector), which the engine's event log lacks and Step Functions' history shows. Both are
   * called before the engine logs the matching state event.
   */
  observeTasks?: {
    input(stateName: string, input: unknown): void;
    output(stateName: string, output: unknown): void;
  };
}

/**
 * Builds a workflow for the local ASL engine once (building costs hundreds of milliseconds): its
 * definition with local Lambda ARNs, and every Task bound to its handler in functions/.
 */
export async function loadWorkflow(
  spec: WorkflowSpec,
  region = process.env.AWS_REGION ?? "us-east-1",
  account = "000000000000",
): Promise<LocalWorkflow> {
  return buildWorkflow(spec, (key) => localFunctionArn(spec.name, key, region, account));
}

/**
 * Builds a workflow whose function keys resolve to ARNs with `resolveArn` (a state machine created
 * through the API names its functions by ARN: there the key is the ARN itself).
 */
export async function buildWorkflow(
  spec: WorkflowSpec,
  resolveArn: (functionKey: string) => string,
): Promise<LocalWorkflow> {
  const definition = spec.definition(resolveArn);
  const handlers = await bindTaskHandlers(spec, definition, resolveArn);
  const machine =
    (definition as { QueryLanguage?: string }).QueryLanguage === "JSONata"
      ? jsonataMachine(definition)
      : new StateMachine(
          structuredClone(definition) as unknown as ConstructorParameters<typeof StateMachine>[0],
          {
            validationOptions: { checkArn: true, checkPaths: true },
          },
        );
  return { spec, definition, handlers, machine };
}

function jsonataMachine(definition: StateMachineDefinition): JsonataStateMachine {
  return new JsonataStateMachine(
    structuredClone(definition) as unknown as ConstructorParameters<typeof JsonataStateMachine>[0],
  );
}

/** Starts one execution; returns the engine's result promise, its event log and abort. */
export function runWorkflow(workflow: LocalWorkflow, input: unknown, options: RunOptions): WorkflowRun {
  const zero = (names: Iterable<string>) => Object.fromEntries([...names].map((name) => [name, 0]));
  const waits = Object.entries(workflow.definition.States)
    .filter(([, state]) => state.Type === "Wait")
    .map(([name]) => name);
  const startTime = (options.startTime ?? new Date()).toISOString();
  const machine = workflow.machine as StateMachine;
  return machine.run(input as JsonValue, {
    overrides: {
      taskResourceLocalHandlers: observed(workflow.handlers, options.observeTasks),
      ...(options.skipDelays === true
        ? {
            waitTimeOverrides: zero(waits),
            retryIntervalOverrides: zero(taskStates(workflow.definition).keys()),
          }
        : {}),
    },
    context: {
      Execution: {
        Id: options.executionArn ?? options.executionName,
        Name: options.executionName,
        Input: input as JsonValue,
        StartTime: startTime,
        ...(options.roleArn === undefined ? {} : { RoleArn: options.roleArn }),
        RedriveCount: 0,
      },
      ...(options.stateMachine === undefined
        ? {}
        : { StateMachine: { Id: options.stateMachine.id, Name: options.stateMachine.name } }),
    } as never,
  });
}

function observed(handlers: TaskHandlers, observer: RunOptions["observeTasks"]): TaskHandlers {
  if (observer === undefined) return handlers;
  return Object.fromEntries(
    Object.entries(handlers).map(([stateName, handler]) => [
      stateName,
      async (input: Parameters<typeof handler>[0]) => {
        observer.input(stateName, input);
        const output = await handler(input);
        observer.output(stateName, output);
        return output;
      },
    ]),
  );
}
