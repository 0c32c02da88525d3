import { JSONPath } from "jsonpath-plus";
import type { StateMachineDefinition } from "../../workflows/asl.js";
import { taskStates } from "./bindings.js";
import type { EngineEvent, NewEvent, StoredEvent } from "./event-types.js";
import { scopeOf, threadKey } from "./history-threads.js";

export type { NewEvent, StoredEvent } from "./event-types.js";

const json = (value: unknown) => JSON.stringify(value ?? null);
const text = (value: unknown) => (typeof value === "string" ? value : json(value));
const withInput = (value: unknown) => ({ input: json(value), inputDetails: { truncated: false } });
const withOutput = (value: unknown) => ({ output: json(value), outputDetails: { truncated: false } });

/** How a state's type is spelled in event types: `TaskStateEntered`, `ChoiceStateExited`… */
const stateEvent = (stateType: string, phase: "Entered" | "Exited") => `${stateType}State${phase}`;

interface TaskResource {
  resource: string;
  /** The state's TimeoutSeconds; AWS leaves it out of LambdaFunctionScheduled when unset. */
  timeoutInSeconds?: number;
  /** A Lambda function ARN gets LambdaFunction* events; an integration (`lambda:invoke`) gets Task* events. */
  lambda: boolean;
}

/**
 * Turns the ASL engine's event log into Step Functions' history events: the real event types and
 * their `…EventDetails` members (ExecutionStarted, TaskStateEntered, LambdaFunctionScheduled/Started/
 * Succeeded/Failed/TimedOut, ChoiceStateEntered/Exited, WaitStateEntered/Exited, FailStateEntered,
 * MapIteration*, ExecutionSucceeded/Failed/Aborted/TimedOut). One translator per run.
 *
 * The engine logs a Task's raw state input and processed output; the Lambda events need the
 * effective input (after Parameters) and the function's own result, which `observer` collects as the
 * handlers are called (always before the engine logs the matching event).
 */
export class HistoryTranslator {
  private readonly tasks = new Map<string, TaskResource>();
  private readonly inputs = new Map<string, unknown[]>();
  private readonly outputs = new Map<string, unknown[]>();
  /** Task attempts (by state name and Map index) whose Lambda events are open, and whether the last failed. */
  private readonly attempts = new Map<string, "running" | "failed">();
  /** Map and Parallel states (by thread and name) that failed: their exit after a Catch is no success. */
  private readonly failedStates = new Set<string>();
  /** Every Map state by name, nested ones included, for MapStateStarted's `length`. */
  private readonly mapStates = new Map<string, Record<string, unknown>>();

  constructor(
    definition: StateMachineDefinition,
    private readonly execution: { roleArn: string; region: string },
  ) {
    for (const [name, state] of taskStates(definition)) {
      const resource = String(state.Resource);
      this.tasks.set(name, {
        resource,
        timeoutInSeconds: typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : undefined,
        lambda: resource.startsWith("arn:aws:lambda:"),
      });
    }
    const visit = (states: Record<string, Record<string, unknown>>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === "Map") this.mapStates.set(name, state);
        const nested = (state.ItemProcessor ?? state.Iterator) as { States?: typeof states } | undefined;
        if (nested?.States !== undefined) visit(nested.States);
        for (const branch of (state.Branches ?? []) as { States: typeof states }[]) visit(branch.States);
      }
    };
    visit(definition.States as Record<string, Record<string, unknown>>);
  }

  readonly observer = {
    input: (stateName: string, input: unknown) => push(this.inputs, stateName, input),
    output: (stateName: string, output: unknown) => push(this.outputs, stateName, output),
  };

  /** The history events one engine event stands for (often none or several). */
  translate(event: EngineEvent, stop?: { error?: string; cause?: string }): NewEvent[] {
    switch (event.type) {
      case "ExecutionStarted":
        return [
          {
            type: "ExecutionStarted",
            details: {
              executionStartedEventDetails: { ...withInput(event.input), roleArn: this.execution.roleArn },
            },
          },
        ];
      case "ExecutionSucceeded":
        return [
          {
            type: "ExecutionSucceeded",
            details: { executionSucceededEventDetails: withOutput(event.output) },
          },
        ];
      case "ExecutionFailed":
        return [
          {
            type: "ExecutionFailed",
            details: { executionFailedEventDetails: errorAndCause(event.Error, text(event.Cause)) },
          },
        ];
      case "ExecutionAborted":
        return [
          {
            type: "ExecutionAborted",
            details: { executionAbortedEventDetails: { error: stop?.error, cause: stop?.cause } },
          },
        ];
      case "ExecutionTimeout":
        return [
          {
            type: "ExecutionTimedOut",
            details: {
              executionTimedOutEventDetails: {
                error: "States.Timeout",
                cause: "The execution ran longer than the state machine's TimeoutSeconds.",
              },
            },
          },
        ];
      case "StateEntered":
        return this.entered(
          event.state.name,
          event.state.type,
          event.state.input,
          threadKey(scopeOf(event)),
          (event as { mapLength?: number }).mapLength,
        );
      case "StateExited":
        return this.exited(event.state.name, event.state.type, event.state.output, threadKey(scopeOf(event)));
      case "StateFailed":
        return this.failed(
          event.state.name,
          event.state.type,
          event.Error,
          text(event.Cause),
          threadKey(scopeOf(event)),
        );
      case "StateRetried":
        if (event.state.type === "Map") return [this.mapStarted(event.state.name, event.state.input)];
        if (event.state.type === "Parallel")
          return [{ type: "ParallelStateStarted", stateName: event.state.name }];
        return this.scheduled(event.state.name, threadKey(scopeOf(event)));
      case "MapIterationStarted":
      case "MapIterationSucceeded":
        return [
          {
            type: event.type,
            details: {
              [event.type === "MapIterationStarted"
                ? "mapIterationStartedEventDetails"
                : "mapIterationSucceededEventDetails"]: { name: event.parentState.name, index: event.index },
            },
          },
        ];
      case "MapIterationFailed":
        return [
          {
            type: "MapIterationFailed",
            details: { mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index } },
          },
        ];
      default:
        // StateCaught and Parallel branch events have no counterpart in Step Functions' history.
        return [];
    }
  }

  private entered(
    name: string,
    type: string,
    input: unknown,
    thread: string,
    mapLength?: number,
  ): NewEvent[] {
    const events: NewEvent[] = [
      {
        type: stateEvent(type, "Entered"),
        details: { stateEnteredEventDetails: { name, ...withInput(input) } },
      },
    ];
    this.failedStates.delete(`${thread}|${name}`);
    if (type === "Task") events.push(...this.scheduled(name, thread));
    if (type === "Map") events.push(this.mapStarted(name, input, mapLength));
    if (type === "Parallel") events.push({ type: "ParallelStateStarted", stateName: name });
    return events;
  }

  /** MapStateStarted with the number of items, read as the Map reads them (InputPath, then ItemsPath). */
  private mapStarted(name: string, rawInput: unknown, knownLength?: number): NewEvent {
    const state = this.mapStates.get(name);
    const select = (path: unknown, json: unknown) =>
      typeof path === "string" && json !== null && typeof json === "object"
        ? (JSONPath({ path, json, wrap: false }) as unknown)
        : json;
    const items = select(state?.ItemsPath ?? "$", select(state?.InputPath ?? "$", rawInput));
    return {
      type: "MapStateStarted",
      stateName: name,
      details: {
        mapStateStartedEventDetails: { length: knownLength ?? (Array.isArray(items) ? items.length : 0) },
      },
    };
  }

  /** A Task attempt's scheduled and started events, if its handler was called (Parameters resolved). */
  private scheduled(name: string, thread: string): NewEvent[] {
    const task = this.tasks.get(name);
    const queued = this.inputs.get(name);
    if (task === undefined || queued === undefined || queued.length === 0) {
      // The handler has not been called yet: the events come with the attempt's end (see `lateStart`).
      this.attempts.delete(key(name, thread));
      return [];
    }
    const input = queued.shift();
    this.attempts.set(key(name, thread), "running");
    if (task.lambda) {
      return [
        {
          type: "LambdaFunctionScheduled",
          details: {
            lambdaFunctionScheduledEventDetails: {
              resource: task.resource,
              ...withInput(input),
              ...(task.timeoutInSeconds === undefined ? {} : { timeoutInSeconds: task.timeoutInSeconds }),
            },
          },
        },
        { type: "LambdaFunctionStarted" },
      ];
    }
    const integration = integrationOf(task.resource);
    return [
      {
        type: "TaskScheduled",
        details: {
          taskScheduledEventDetails: {
            ...integration,
            region: this.execution.region,
            parameters: json(input),
            timeoutInSeconds: task.timeoutInSeconds ?? 60,
          },
        },
      },
      { type: "TaskStarted", details: { taskStartedEventDetails: integration } },
    ];
  }

  /**
   * An attempt whose handler was called after its state event was translated gets its scheduled and
   * started events now, before its outcome.
   */
  private lateStart(name: string, type: string, thread: string): NewEvent[] {
    if (type !== "Task" || this.attempts.has(key(name, thread))) return [];
    return this.scheduled(name, thread);
  }

  private exited(name: string, type: string, output: unknown, thread: string): NewEvent[] {
    const events: NewEvent[] = this.lateStart(name, type, thread);
    const task = this.tasks.get(name);
    const attempt = key(name, thread);
    if (type === "Task" && task !== undefined && this.attempts.get(attempt) === "running") {
      const result = this.outputs.get(name)?.shift();
      events.push(
        task.lambda
          ? {
              type: "LambdaFunctionSucceeded",
              details: { lambdaFunctionSucceededEventDetails: withOutput(result) },
            }
          : {
              type: "TaskSucceeded",
              details: {
                taskSucceededEventDetails: { ...integrationOf(task.resource), ...withOutput(result) },
              },
            },
      );
    }
    this.attempts.delete(attempt);
    const failed = this.failedStates.delete(`${thread}|${name}`);
    if (type === "Map" && !failed) events.push({ type: "MapStateSucceeded", stateName: name });
    if (type === "Parallel" && !failed) events.push({ type: "ParallelStateSucceeded", stateName: name });
    events.push({
      type: stateEvent(type, "Exited"),
      details: { stateExitedEventDetails: { name, ...withOutput(output) } },
    });
    return events;
  }

  private failed(name: string, type: string, error: string, cause: string, thread: string): NewEvent[] {
    if (type === "Map" || type === "Parallel") {
      this.failedStates.add(`${thread}|${name}`);
      return [{ type: `${type}StateFailed`, stateName: name }];
    }
    const started = this.lateStart(name, type, thread);
    const task = this.tasks.get(name);
    const attempt = key(name, thread);
    if (type !== "Task" || task === undefined || this.attempts.get(attempt) !== "running") return [];
    this.attempts.set(attempt, "failed");
    const timedOut = error === "States.Timeout";
    if (task.lambda) {
      const kind = timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed";
      return [...started, { type: kind, details: { [`${lowerFirst(kind)}EventDetails`]: { error, cause } } }];
    }
    const kind = timedOut ? "TaskTimedOut" : "TaskFailed";
    return [
      ...started,
      {
        type: kind,
        details: { [`${lowerFirst(kind)}EventDetails`]: { ...integrationOf(task.resource), error, cause } },
      },
    ];
  }
}

function push(queues: Map<string, unknown[]>, name: string, value: unknown) {
  const queue = queues.get(name);
  if (queue === undefined) queues.set(name, [value]);
  else queue.push(value);
}

const key = (name: string, thread: string) => `${thread}|${name}`;

/** A Fail state without Error or Cause leaves them out of the event, as AWS does. */
function errorAndCause(error: string | undefined, cause: string | undefined) {
  return {
    ...(error === undefined || error === "" ? {} : { error }),
    ...(cause === undefined || cause === "" ? {} : { cause }),
  };
}
const lowerFirst = (word: string) => word.charAt(0).toLowerCase() + word.slice(1);

/** `arn:aws:states:::lambda:invoke` → `{resourceType: "lambda", resource: "invoke"}`, as Task* events name it. */
function integrationOf(resource: string) {
  const [, , , , , resourceType = "", ...rest] = resource.split(":");
  return { resourceType, resource: rest.join(":") };
}

/** A stored event as GetExecutionHistory returns it: timestamps in epoch seconds, data optional. */
export function wireEvent(event: StoredEvent, includeData: boolean) {
  const details = Object.fromEntries(
    Object.entries(event.details ?? {}).map(([member, value]) => [
      member,
      includeData
        ? value
        : Object.fromEntries(Object.entries(value).filter(([field]) => !DATA_FIELDS.has(field))),
    ]),
  );
  return {
    timestamp: event.timestamp / 1000,
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
    ...details,
  };
}

const DATA_FIELDS = new Set(["input", "inputDetails", "output", "outputDetails", "parameters"]);
