import type { StateMachine } from "aws-local-stepfunctions";

/** The engines' events and the history's, apart from the modules that make them (no import cycle). */

/** What an engine run reports: its result promise, its event log and abort. */
export type WorkflowRun = ReturnType<StateMachine["run"]>;
/** One entry of an engine run's event log. */
export type EngineEvent = WorkflowRun["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** A history event as stored: `details` is the one `<kind>EventDetails` member Step Functions gives it. */
export interface StoredEvent {
  id: number;
  previousEventId: number;
  /** Epoch milliseconds. */
  timestamp: number;
  type: string;
  details?: Record<string, Record<string, unknown>>;
}

/**
 * An event before it has an id: what one engine event becomes. `stateName` names the Map or Parallel
 * state of a detail-less event (MapStateSucceeded…) for linking; it is not part of the history.
 */
export type NewEvent = Pick<StoredEvent, "type" | "details"> & { stateName?: string };
