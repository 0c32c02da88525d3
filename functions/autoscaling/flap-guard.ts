import { FLAP_SECONDS } from "./scale-in-need.js";
import type { ScalingSettings } from "./settings.js";

/** Decisions come a minute apart: a scale-out that no longer reverses a scale-in is made this much later. */
const DECISION_SECONDS = 60;

export interface Deferral {
  /** Epoch seconds from which a scale-out no longer reverses the last scale-in. */
  until: number;
  /** The longest a message is expected to wait if the scale-out waits until then, in seconds. */
  worstWaitSeconds: number;
}

/**
 * Whether a scale-out that would reverse the last scale-in within FLAP_SECONDS (a flap) can wait until it
 * no longer does, with every message still taken within the wait target. The fleet asked for now
 * (`consumers`, each taking `perConsumerMinute`) carries on until consumers started after the flap window
 * take messages: T = the rest of the window, a decision period and the start-up. First in, first out, a
 * message joining the queue then waits what the backlog grew to: waiting / capacity + T × (arrivals /
 * capacity − 1); a message already queued waited at most a minute before the window showed it. If that
 * stays within the target the scale-out waits, and the one made after the window sizes for the backlog.
 * Undefined when there is no scale-in to reverse or the wait would pass the target.
 */
export function deferScaleOut(
  now: number,
  lastScaleInAt: number | undefined,
  consumers: number,
  waiting: number,
  arrivalsPerMinute: number,
  perConsumerMinute: number,
  settings: ScalingSettings,
): Deferral | undefined {
  if (lastScaleInAt === undefined) return undefined;
  const until = lastScaleInAt + FLAP_SECONDS + DECISION_SECONDS;
  if (now >= until) return undefined;
  const helpIn = until - now + settings.consumerStartupSeconds;
  const capacity = consumers * perConsumerMinute;
  let worstWaitSeconds: number;
  if (capacity <= 0) {
    worstWaitSeconds = helpIn + DECISION_SECONDS;
  } else {
    const behind = Math.max(0, arrivalsPerMinute / capacity - 1);
    worstWaitSeconds = (60 * waiting) / capacity + helpIn * behind + DECISION_SECONDS;
  }
  return worstWaitSeconds <= settings.targetWaitSeconds ? { until, worstWaitSeconds } : undefined;
}
