/**
 * One documented behaviour of Step Functions: a definition and an input, and what AWS answers. The
 * outputs come from the Amazon States Language specification and the Step Functions developer guide's
 * examples; the histories (`"id previousEventId Type"`) follow how AWS links events, as measured in
 * histories recorded against AWS (see local/states/history-threads.ts).
 */
export interface ConformanceCase {
  name: string;
  /** Where the behaviour is documented. */
  source: string;
  definition: Record<string, unknown>;
  input?: unknown;
  expect: {
    status?: "SUCCEEDED" | "FAILED";
    output?: unknown;
    error?: string;
    cause?: string;
    history?: string[];
    /** Event id → its `…EventDetails` member. */
    details?: Record<number, unknown>;
    /** CreateStateMachine or StartExecution refuses it with this error. */
    refused?: string;
  };
}
