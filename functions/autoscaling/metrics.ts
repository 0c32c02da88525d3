/**
 * One-minute metric windows as Amazon MQ publishes them to CloudWatch (namespace AWS/AmazonMQ,
 * dimensions Broker + Queue, summed over the instances of an active/standby pair).
 * Any field may be absent: CloudWatch simply has no data point for that minute.
 */
export interface MetricWindow {
  /** Epoch seconds at the start of the minute the window covers. */
  start: number;
  /** Messages sent to the queue during the minute (Sum). */
  enqueueCount?: number;
  /** Messages dispatched to consumers during the minute (Sum). */
  dispatchCount?: number;
  /** Messages not yet acknowledged, waiting or in flight, at the end of the minute (gauge). */
  queueSize?: number;
  /** Consumers connected at the end of the minute (gauge). */
  consumerCount?: number;
}

/** Why a window cannot be used for rates. */
export type WindowFault = "counter-reset" | "inconsistent";

/** A window whose four values are all present. */
export interface CompleteWindow {
  start: number;
  enqueueCount: number;
  dispatchCount: number;
  queueSize: number;
  consumerCount: number;
}

export function isComplete(window: MetricWindow | undefined): window is CompleteWindow {
  return (
    window !== undefined &&
    Number.isFinite(window.enqueueCount) &&
    Number.isFinite(window.dispatchCount) &&
    Number.isFinite(window.queueSize) &&
    Number.isFinite(window.consumerCount)
  );
}

/**
 * Checks a window against the one before it. Counters that restart at zero after a broker restart
 * show up as negative per-minute counts, or as counts that no longer explain the change in queue size:
 * the queue can only grow by what was enqueued and shrink by what was dispatched, give or take the
 * messages in flight (at most one per consumer with prefetch 1).
 */
export function windowFault(
  window: MetricWindow,
  previous: MetricWindow | undefined,
): WindowFault | undefined {
  const counts = [window.enqueueCount, window.dispatchCount, window.queueSize, window.consumerCount];
  if (counts.some((value) => value !== undefined && (value < 0 || !Number.isFinite(value)))) {
    return "counter-reset";
  }
  if (!isComplete(window) || !isComplete(previous) || previous.start !== window.start - 60) return undefined;
  const sizeChange = window.queueSize - previous.queueSize;
  const flowChange = window.enqueueCount - window.dispatchCount;
  const inFlightSlack = Math.max(window.consumerCount, previous.consumerCount);
  const tolerance = inFlightSlack + 0.05 * (window.enqueueCount + window.dispatchCount) + 5;
  return Math.abs(sizeChange - flowChange) > tolerance ? "inconsistent" : undefined;
}

/** Messages waiting for a consumer: the queue size less those in flight (one per busy consumer). */
export function waitingMessages(window: CompleteWindow): number {
  return Math.max(0, window.queueSize - window.consumerCount);
}

/** Consumers holding a message at the end of the window (prefetch 1: a queued message per busy consumer). */
export function busyConsumers(window: CompleteWindow): number {
  return Math.min(window.queueSize, window.consumerCount);
}

export interface ServiceRateEstimate {
  /** Messages one busy consumer handles per minute. */
  perConsumerMinute: number;
  /** Busy consumer-minutes the estimate rests on. */
  busyConsumerMinutes: number;
  /** Dispatches the estimate rests on. */
  dispatches: number;
}

/** Less evidence than this and the estimate is not trusted. */
const MIN_BUSY_CONSUMER_MINUTES = 20;
const MIN_DISPATCHES = 20;

/**
 * Per-consumer service rate from history: dispatches per busy consumer-minute. A consumer counts as busy
 * while it holds a message, which the gauges show directly (prefetch 1: min(QueueSize, ConsumerCount)),
 * so idle capacity does not drag the estimate down the way dispatches per connected consumer would.
 * Busy consumers over a minute are taken as the mean of the counts at its two ends.
 */
export function estimateServiceRate(
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
    // Minutes whose snapshots both caught idle consumers still count: dropping them would bias the
    // ratio, since the snapshots are unbiased samples of the busy count only taken all together.
    busy += (busyConsumers(previous) + busyConsumers(window)) / 2;
    dispatches += window.dispatchCount;
  }
  if (busy < MIN_BUSY_CONSUMER_MINUTES || dispatches < MIN_DISPATCHES) return undefined;
  return { perConsumerMinute: dispatches / busy, busyConsumerMinutes: busy, dispatches };
}
