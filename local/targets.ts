/**
 * How EventBridge rules and EventBridge Scheduler schedules of the local cloud start a workflow, and
 * how they retry a start that fails (both services share the same RetryPolicy shape and defaults).
 */

/** Starts a Step Functions execution (the states service's in-process StartExecution). */
export type StartExecution = (input: {
  stateMachineArn: string;
  input: string;
  name?: string;
}) => Promise<{ executionArn: string }>;

/** Arms a one-shot timer; tests pass a fake one to step through retries without waiting. */
export type SetTimer = (callback: () => void, delayMs: number) => { cancel(): void };

/** Node's setTimeout caps a delay at 2^31-1 ms (about 24.8 days): longer delays are re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const realTimer: SetTimer = (callback, delayMs) => {
  let handle: NodeJS.Timeout;
  const due = Date.now() + Math.max(0, delayMs);
  const arm = () => {
    const remaining = due - Date.now();
    handle = setTimeout(
      remaining > MAX_TIMEOUT_MS ? arm : callback,
      Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS),
    );
    // A pending schedule or retry must not keep a stopping process alive.
    handle.unref();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
};

/** EventBridge's and Scheduler's RetryPolicy; both default to 185 attempts within 24 hours. */
export interface RetryPolicy {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
}

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

/**
 * The pause before retry `n` (1-based): exponential from 1 s, doubling, capped at 5 minutes, so 185
 * attempts spread over most of a day as AWS's do. AWS adds jitter and does not document its curve;
 * locally the pauses are deterministic so tests can step through them.
 */
export function retryDelayMs(retry: number): number {
  return Math.min(1000 * 2 ** (retry - 1), 300_000);
}

/**
 * Errors no retry can fix (the target does not exist, the input is refused): EventBridge and
 * Scheduler drop the event at once for these rather than retrying.
 */
const PERMANENT = new Set([
  "StateMachineDoesNotExist",
  "StateMachineDeleting",
  "InvalidArn",
  "InvalidName",
  "InvalidExecutionInput",
  "ExecutionAlreadyExists",
  "ValidationException",
]);

export const isRetryable = (error: unknown) => !PERMANENT.has((error as Error)?.name ?? "");

export interface DeliveryOutcome {
  attempts: number;
  executionArn?: string;
  error?: unknown;
}

/**
 * Delivers to targets in the background with retries, without blocking the caller (PutEvents,
 * a firing schedule). `close()` cancels every pending retry.
 */
export class Deliveries {
  private readonly pending = new Set<{ cancel(): void }>();
  private closed = false;

  constructor(
    private readonly options: {
      startExecution: StartExecution;
      now: () => number;
      setTimer: SetTimer;
      /** Called once per delivery when it succeeds or is given up (the log, tests). */
      onOutcome?: (outcome: DeliveryOutcome & { stateMachineArn: string }) => void;
    },
  ) {}

  send(request: { stateMachineArn: string; input: string; retryPolicy?: RetryPolicy; eventTime?: number }) {
    if (this.closed) return;
    const maxRetries = request.retryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    const maxAgeMs =
      (request.retryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    const born = request.eventTime ?? this.options.now();
    const report = (outcome: DeliveryOutcome) =>
      this.options.onOutcome?.({ ...outcome, stateMachineArn: request.stateMachineArn });

    // Attempt n failing leads to retry n (attempt n + 1), if the policy and the event's age allow it.
    const attempt = async (number: number) => {
      if (this.closed) return;
      try {
        const { executionArn } = await this.options.startExecution({
          stateMachineArn: request.stateMachineArn,
          input: request.input,
        });
        report({ attempts: number, executionArn });
      } catch (error) {
        const delay = retryDelayMs(number);
        const tooOld = this.options.now() + delay - born > maxAgeMs;
        if (this.closed || !isRetryable(error) || number > maxRetries || tooOld) {
          report({ attempts: number, error });
          return;
        }
        const timer = this.options.setTimer(() => {
          this.pending.delete(timer);
          void attempt(number + 1);
        }, delay);
        this.pending.add(timer);
      }
    };
    void attempt(1);
  }

  close() {
    this.closed = true;
    for (const timer of this.pending) timer.cancel();
    this.pending.clear();
  }
}
