/**
 * The supervisor's clock: every restart backoff and failover poll of `ActiveMqRuntime` is scheduled
 * through it, so a test can hold the steps and run them when it chooses instead of sleeping.
 */
export interface SupervisionTimers {
  /** Runs `step` once `delayMs` have passed, unless the returned handle is cancelled first. */
  after(delayMs: number, step: () => Promise<void>): { cancel(): void };
}

/** Node's timers, unref'd: a pending restart must not keep Node alive (the exit handlers stop what runs). */
export const NODE_TIMERS: SupervisionTimers = {
  after(delayMs, step) {
    const timer = setTimeout(() => void step(), delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
