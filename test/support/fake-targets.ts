import type { SetTimer, StartExecution } from "../../local/targets.js";

/** A StartExecution that records each call and fails the first `failures` ones with `errorName`. */
export function recordingStartExecution(options: { failures?: number; errorName?: string } = {}) {
  const calls: Array<{ stateMachineArn: string; input: string; at: number }> = [];
  let failuresLeft = options.failures ?? 0;
  const startExecution: StartExecution = async ({ stateMachineArn, input }) => {
    calls.push({ stateMachineArn, input, at: Date.now() });
    if (failuresLeft > 0) {
      failuresLeft--;
      throw Object.assign(new Error("throttled"), { name: options.errorName ?? "ThrottlingException" });
    }
    return { executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${calls.length}` };
  };
  return {
    startExecution,
    calls,
    setFailures(count: number) {
      failuresLeft = count;
    },
  };
}

/** A clock and timer the test moves by hand: `advance` runs every timer that falls due. */
export function manualTime(start = Date.parse("2026-11-30T12:00:00Z")) {
  let now = start;
  let timers: Array<{ due: number; callback: () => void; cancelled: boolean }> = [];
  const armed: number[] = [];
  const setTimer: SetTimer = (callback, delay) => {
    const timer = { due: now + delay, callback, cancelled: false };
    timers.push(timer);
    armed.push(delay);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  };
  return {
    now: () => now,
    setTimer,
    /** Delays of the timers armed so far, in order (cancelled ones included). */
    delays: () => [...armed],
    pending: () => timers.filter((timer) => !timer.cancelled && timer.due > now).length,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const next = timers
          .filter((timer) => !timer.cancelled && timer.due <= until)
          .sort((a, b) => a.due - b.due)[0];
        if (next === undefined) break;
        now = next.due;
        timers = timers.filter((timer) => timer !== next);
        next.callback();
        // Let the callback's promise chain (a StartExecution and its retry) settle.
        for (let turn = 0; turn < 10; turn++) await Promise.resolve();
      }
      now = until;
    },
  };
}
