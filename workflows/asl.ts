import { ThrottledError, TransientAwsError } from "../functions/lib/errors.js";

/**
 * Small builders for Amazon States Language (JSONPath) so every workflow declares its Tasks the same
 * way: a timeout, retries on Lambda's transient errors and AWS throttling, and a Catch.
 */
export type State = Record<string, unknown>;
export type StateMachineDefinition = {
  Comment: string;
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
};

/** Lambda service errors Step Functions recommends retrying on every Lambda Task. */
export const LAMBDA_TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

export interface TaskOptions {
  resource: string;
  parameters: Record<string, unknown>;
  resultPath: string | null;
  next?: string;
  end?: boolean;
  timeoutSeconds?: number;
  /** Extra named errors to retry on (throttling and transient AWS errors are always retried). */
  retryOn?: string[];
  /** Where any error goes, with the error at `$.error`. */
  catchTo?: string;
}

/** A Lambda Task with a timeout, retry with exponential backoff, and a Catch-all into `catchTo`. */
export function lambdaTask(options: TaskOptions): State {
  const state: State = {
    Type: "Task",
    Resource: options.resource,
    Parameters: options.parameters,
    ResultPath: options.resultPath,
    TimeoutSeconds: options.timeoutSeconds ?? 60,
    Retry: [
      { ErrorEquals: LAMBDA_TRANSIENT_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 },
      {
        ErrorEquals: [ThrottledError.errorName, TransientAwsError.errorName, ...(options.retryOn ?? [])],
        IntervalSeconds: 2,
        MaxAttempts: 5,
        BackoffRate: 2,
        MaxDelaySeconds: 30,
      },
    ],
  };
  if (options.catchTo !== undefined) {
    state.Catch = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: options.catchTo }];
  }
  if (options.end === true) state.End = true;
  else state.Next = options.next;
  return state;
}

/** A Fail state whose Error is one of the exported error names. */
export function fail(error: string, cause: string): State {
  return { Type: "Fail", Error: error, Cause: cause };
}
