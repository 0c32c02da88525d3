import { StateMachine } from "aws-local-stepfunctions";
import type { StateMachineDefinition } from "../../workflows/asl.js";
import type { WorkflowSpec } from "../../workflows/types.js";
import { bindTaskHandlers, localFunctionArn, type TaskHandlers, taskStates } from "./bindings.js";

type JsonValue = Parameters<StateMachine["run"]>[0];

export interface LocalWorkflow {
  spec: WorkflowSpec;
  definition: StateMachineDefinition;
  handlers: TaskHandlers;
  machine: StateMachine;
}

export interface RunOptions {
  executionName: string;
  /** The execution's start time ($$.Execution.StartTime); now by default. */
  startTime?: Date;
  /** Shorten every Wait to 10 ms and every Retry pause to none (tests); Waits still yield to timers. */
  skipDelays?: boolean;
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
  const resolveArn = (key: string) => localFunctionArn(spec.name, key, region, account);
  const definition = spec.definition(resolveArn);
  const handlers = await bindTaskHandlers(spec, definition, resolveArn);
  const machine = new StateMachine(
    structuredClone(definition) as unknown as ConstructorParameters<typeof StateMachine>[0],
    {
      validationOptions: { checkArn: true, checkPaths: true },
    },
  );
  return { spec, definition, handlers, machine };
}

/** Starts one execution; returns the engine's result promise, its event log and abort. */
export function runWorkflow(workflow: LocalWorkflow, input: unknown, options: RunOptions) {
  const zero = (names: Iterable<string>) => Object.fromEntries([...names].map((name) => [name, 0]));
  const waits = Object.entries(workflow.definition.States)
    .filter(([, state]) => state.Type === "Wait")
    .map(([name]) => name);
  const startTime = (options.startTime ?? new Date()).toISOString();
  return workflow.machine.run(input as JsonValue, {
    overrides: {
      taskResourceLocalHandlers: workflow.handlers,
      ...(options.skipDelays === true
        ? {
            waitTimeOverrides: zero(waits),
            retryIntervalOverrides: zero(taskStates(workflow.definition).keys()),
          }
        : {}),
    },
    context: {
      Execution: {
        Id: options.executionName,
        Name: options.executionName,
        Input: input as JsonValue,
        StartTime: startTime,
      },
    } as never,
  });
}
