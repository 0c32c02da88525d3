import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { END, START, type StateMachineGraph } from "./asl-graph.js";

export interface StepFailure {
  error: string;
  cause: string;
}

/** One state as the execution went through it (a Map or Parallel holds the states run inside it). */
export interface Step {
  name: string;
  type: string;
  entered: Date | undefined;
  exited: Date | undefined;
  input: string | undefined;
  output: string | undefined;
  failure: StepFailure | undefined;
}

export interface ExecutionPath {
  /** Top-level states entered, in the order first entered. */
  visited: string[];
  /** Top-level states whose last attempt failed, with the error and cause. */
  failed: Map<string, StepFailure>;
  /** The state still running (entered, not exited, no failure) while the execution is RUNNING. */
  current: string | undefined;
  /** Edges the execution went along, as `from→to`. */
  taken: Set<string>;
  steps: Step[];
}

export const edgeKey = (from: string, to: string) => `${from}→${to}`;

/** The failure an event reports, if it is one of Step Functions' task, Lambda or execution failures. */
function failureOf(event: HistoryEvent): StepFailure | undefined {
  const details =
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails;
  if (details === undefined) return undefined;
  return { error: details.error ?? event.type ?? "", cause: details.cause ?? "" };
}

const SUCCESS_EVENTS = new Set(["LambdaFunctionSucceeded", "TaskSucceeded"]);
const EXECUTION_ENDS = new Set([
  "ExecutionSucceeded",
  "ExecutionFailed",
  "ExecutionTimedOut",
  "ExecutionAborted",
]);

/**
 * Which states an execution went through, which failed (with error and cause) and which edges of the graph
 * it took, from its history oldest first. A retried task that then succeeded is not failed; a failure the
 * execution ends with belongs to the state it was in (a Fail state's error and cause arrive that way). Pure.
 */
export function executionPath(graph: StateMachineGraph, events: HistoryEvent[]): ExecutionPath {
  const types = new Map(graph.nodes.map((node) => [node.id, node.type]));
  const topOf = (name: string) => graph.enclosing.get(name) ?? name;
  const visited: string[] = [];
  const failed = new Map<string, StepFailure>();
  const taken = new Set<string>();
  const steps: Step[] = [];
  let current: Step | undefined;
  let previous: string = START;
  let ended = false;

  for (const event of events) {
    const entered = event.stateEnteredEventDetails;
    if (entered?.name !== undefined) {
      const name = topOf(entered.name);
      if (name === entered.name || current?.name !== name) {
        if (!visited.includes(name)) visited.push(name);
        if (previous !== name) taken.add(edgeKey(previous, name));
        previous = name;
        current = {
          name,
          type: types.get(name) ?? "",
          entered: event.timestamp,
          exited: undefined,
          input: entered.input,
          output: undefined,
          failure: undefined,
        };
        steps.push(current);
        failed.delete(name);
      }
      continue;
    }
    const exited = event.stateExitedEventDetails;
    if (exited?.name !== undefined && current !== undefined && exited.name === current.name) {
      current.exited = event.timestamp;
      current.output = exited.output;
      continue;
    }
    if (SUCCESS_EVENTS.has(event.type ?? "") && current !== undefined) {
      current.failure = undefined;
      failed.delete(current.name);
      continue;
    }
    if (EXECUTION_ENDS.has(event.type ?? "")) {
      ended = true;
      if (event.type === "ExecutionSucceeded") taken.add(edgeKey(previous, END));
    }
    const failure = failureOf(event);
    if (failure !== undefined && current !== undefined) {
      current.failure = failure;
      current.exited ??= event.timestamp;
      failed.set(current.name, failure);
    }
  }
  const running = !ended && current !== undefined && current.exited === undefined;
  return { visited, failed, current: running ? current?.name : undefined, taken, steps };
}
