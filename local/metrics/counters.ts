/**
 * Per-period counts from the broker's cumulative counters, pure.
 *
 * ActiveMQ's `enqueueCount`, `dequeueCount`, `dispatchCount` and `expiredCount` count from the
 * moment the broker (or the queue) was created. Amazon MQ publishes what happened in each period,
 * so the collector publishes the difference between two reads. A restart (new broker id) or a queue
 * deleted and created again starts the counters from 0: the period then counts the new value itself,
 * which is what happened since the restart; it is never negative and never the whole history.
 */

export const COUNTER_NAMES = ["enqueueCount", "dequeueCount", "dispatchCount", "expiredCount"] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type QueueCounters = Record<CounterName, number>;

/** One read of one broker instance: the id of the broker run it came from and each queue's counters. */
export interface CounterReading {
  brokerId: string;
  queues: ReadonlyMap<string, QueueCounters>;
}

/** What changed since `previous`; a counter lower than before was reset, so it counts from 0. */
export function counterDelta(previous: number | undefined, current: number): number {
  if (previous === undefined || current < previous) return Math.max(0, current);
  return current - previous;
}

/**
 * Each queue's counts for the period that ends with `current`.
 *
 * - `previous` from the same broker run: per-counter deltas; a queue not seen before was created
 *   since the last read, so it counts from 0.
 * - No previous read, or one from another broker run (restart, failover to the other instance):
 *   everything counted since that run started, which began after the last read.
 */
export function periodCounts(
  previous: CounterReading | undefined,
  current: CounterReading,
): Map<string, QueueCounters> {
  const sameRun = previous !== undefined && previous.brokerId === current.brokerId;
  const counts = new Map<string, QueueCounters>();
  for (const [queue, counters] of current.queues) {
    const before = sameRun ? previous.queues.get(queue) : undefined;
    counts.set(
      queue,
      Object.fromEntries(
        COUNTER_NAMES.map((name) => [name, counterDelta(before?.[name], counters[name])]),
      ) as QueueCounters,
    );
  }
  return counts;
}
