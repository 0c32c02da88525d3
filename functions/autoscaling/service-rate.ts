import {
  busyConsumers,
  type CompleteWindow,
  isComplete,
  type MetricWindow,
  type ServiceRateEstimate,
  waitingMessages,
} from "./metrics.js";

/** Less evidence than this and the estimate is not trusted (as in metrics.ts). */
const MIN_BUSY_CONSUMER_MINUTES = 20;
const MIN_DISPATCHES = 20;
/**
 * A minute whose busy count at its two ends differs by more than this share is a transition (a backlog
 * that emptied, a fleet that grew): taking the mean of its ends as the minute's busy consumers is then
 * badly off, one way or the other, and a large fleet draining a burst would swamp the whole hour.
 */
const MAX_TRANSITION = 0.25;

/**
 * Messages per busy consumer-minute over steady minutes only: like `estimateServiceRate`, but leaving out
 * the minutes in which the busy count changed by more than a quarter. Undefined with too little evidence.
 */
export function steadyServiceRate(
  windows: readonly MetricWindow[],
  faulty: ReadonlySet<number>,
): ServiceRateEstimate | undefined {
  let busy = 0;
  let dispatches = 0;
  for (let i = 1; i < windows.length; i++) {
    const window = windows[i];
    const previous = windows[i - 1];
    if (!isComplete(window) || !isComplete(previous) || previous.start !== window.start - 60) continue;
    if (faulty.has(window.start)) continue;
    const before = busyConsumers(previous);
    const after = busyConsumers(window);
    const larger = Math.max(before, after);
    if (larger > 0 && Math.abs(before - after) > Math.max(2, MAX_TRANSITION * larger)) continue;
    busy += (before + after) / 2;
    dispatches += window.dispatchCount;
  }
  if (busy < MIN_BUSY_CONSUMER_MINUTES || dispatches < MIN_DISPATCHES) return undefined;
  return { perConsumerMinute: dispatches / busy, busyConsumerMinutes: busy, dispatches };
}

/**
 * Messages per consumer-minute over saturated minutes only: a queue was waiting at both ends of the
 * minute (see backlogged) and the same consumers were connected, so (first in, first out, prefetch 1)
 * every consumer was busy all minute and the count is exact, with no snapshot of busy consumers to go wrong. Undefined with
 * too little evidence; a fleet that runs behind a standing queue gives plenty.
 */
export function saturatedServiceRate(
  windows: readonly MetricWindow[],
  faulty: ReadonlySet<number>,
): ServiceRateEstimate | undefined {
  let busy = 0;
  let dispatches = 0;
  for (let i = 1; i < windows.length; i++) {
    const window = windows[i];
    const previous = windows[i - 1];
    if (!isComplete(window) || !isComplete(previous) || previous.start !== window.start - 60) continue;
    if (faulty.has(window.start) || window.consumerCount !== previous.consumerCount) continue;
    if (!backlogged(window) || !backlogged(previous)) continue;
    busy += window.consumerCount;
    dispatches += window.dispatchCount;
  }
  if (busy < MIN_BUSY_CONSUMER_MINUTES || dispatches < MIN_DISPATCHES) return undefined;
  return { perConsumerMinute: dispatches / busy, busyConsumerMinutes: busy, dispatches };
}

/**
 * Messages waiting (beyond one in flight per consumer) that make a queue at a minute's end: at least one, and
 * at least this share of the minute's dispatches (0.3 s of the fleet's work). A few messages caught waiting
 * by the snapshot do not show that thousands of consumers were busy all minute; counted as saturated, such a
 * minute reads the rate as dispatches ÷ consumers, which an idle fleet makes its own utilisation, and one
 * such pair of minutes outweighs an hour of steady ones (a fleet kept at twice its need for hours).
 */
const SATURATED_WAITING_SHARE = 0.005;

function backlogged(window: CompleteWindow): boolean {
  return waitingMessages(window) >= Math.max(1, SATURATED_WAITING_SHARE * window.dispatchCount);
}
