import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { MQ_NAMESPACE } from "./alarm-specs.js";
import type { MetricWindow } from "./metrics.js";

/** The policy's window: Amazon MQ publishes one data point a minute, and the policy reasons per minute. */
export const WINDOW_SECONDS = 60;
/** How much history a decision reads: the policy learns the service rate from the last hour. */
export const HISTORY_SECONDS = 3_600;

/**
 * Every series is read at the metrics' own period (at most a minute) and folded into one-minute windows
 * in code: counts summed, gauges taking the minute's last sample. With one-minute data (Amazon MQ) that
 * is the minute's only point; with the local cloud's 10 s data the windows are the trailing minutes
 * ending at the latest period published, so a decision sees data at most one period old, and a gauge is
 * the queue's size at the window's end (the policy checks that counts explain the change in size).
 */
const FIELDS = {
  enq: { metric: "EnqueueCount", stat: "Sum", field: "enqueueCount", gauge: false },
  dsp: { metric: "DispatchCount", stat: "Sum", field: "dispatchCount", gauge: false },
  size: { metric: "QueueSize", stat: "Average", field: "queueSize", gauge: true },
  cons: { metric: "ConsumerCount", stat: "Average", field: "consumerCount", gauge: true },
} as const;
type Series = keyof typeof FIELDS;

/**
 * GetMetricData queries for one queue: each metric of each broker instance on its own, so the
 * instances can be summed in code where a missing point stays missing (metric math would have to
 * FILL it, and the policy must see a gap as a gap, not as zero).
 */
export function windowQueries(
  instances: readonly string[],
  queue: string,
  periodSeconds: number = WINDOW_SECONDS,
): MetricDataQuery[] {
  return (Object.keys(FIELDS) as Series[]).flatMap((series) =>
    instances.map(
      (broker, index): MetricDataQuery => ({
        Id: `${series}${index + 1}`,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: MQ_NAMESPACE,
            MetricName: FIELDS[series].metric,
            Dimensions: [
              { Name: "Broker", Value: broker },
              { Name: "Queue", Value: queue },
            ],
          },
          Period: Math.min(periodSeconds, WINDOW_SECONDS),
          Stat: FIELDS[series].stat,
        },
      }),
    ),
  );
}

/**
 * The time range to read for the last hour before `now` (epoch seconds): up to the last period that has
 * ended, and a minute more than the hour, since the windows' end is known only from the data.
 */
export function historyRange(
  now: number,
  periodSeconds: number = WINDOW_SECONDS,
): { start: number; end: number } {
  const period = Math.min(periodSeconds, WINDOW_SECONDS);
  const end = Math.floor(now / period) * period;
  return { start: end - HISTORY_SECONDS - WINDOW_SECONDS, end };
}

/**
 * Where the windows end: after the latest period any series has a point for (the collector may not
 * have published the period that just ended), never after `range.end`; on a minute boundary when
 * nothing was published.
 */
export function windowsEnd(
  results: readonly MetricDataResult[],
  range: { end: number },
  periodSeconds: number = WINDOW_SECONDS,
): number {
  const period = Math.min(periodSeconds, WINDOW_SECONDS);
  let latest: number | undefined;
  for (const result of results) {
    for (const timestamp of result.Timestamps ?? []) {
      const at = Math.floor(timestamp.getTime() / 1000);
      if (latest === undefined || at > latest) latest = at;
    }
  }
  if (latest === undefined) return Math.floor(range.end / WINDOW_SECONDS) * WINDOW_SECONDS;
  return Math.min(range.end, Math.floor(latest / period) * period + period);
}

/**
 * GetMetricData results as the policy's windows, instances summed: a field is the sum over the
 * instances that have a point for that minute, absent when none has (after a failover only the new
 * active instance reports). Pure.
 */
export function toWindows(results: readonly MetricDataResult[], end?: number): MetricWindow[] {
  // Windows are the minutes ending at `end` (minute-aligned without it); points from `end` on are left out.
  const offset = end === undefined ? 0 : ((end % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS;
  const oldest = end === undefined ? Number.NEGATIVE_INFINITY : end - HISTORY_SECONDS;
  const byStart = new Map<number, MetricWindow>();
  for (const result of results) {
    const series = /^([a-z]+)\d+$/.exec(result.Id ?? "")?.[1] as Series | undefined;
    if (series === undefined || !(series in FIELDS)) continue;
    const field = FIELDS[series].field;
    // Per minute, this instance's value: the sum of its counts, or the last sample of its gauge.
    const perMinute = new Map<number, { at: number; value: number }>();
    const timestamps = result.Timestamps ?? [];
    const values = result.Values ?? [];
    timestamps.forEach((timestamp, index) => {
      const value = values[index];
      if (value === undefined || !Number.isFinite(value)) return;
      const at = Math.floor(timestamp.getTime() / 1000);
      if (at < oldest || (end !== undefined && at >= end)) return;
      const start = Math.floor((at - offset) / WINDOW_SECONDS) * WINDOW_SECONDS + offset;
      const seen = perMinute.get(start);
      if (seen === undefined) perMinute.set(start, { at, value });
      else if (!FIELDS[series].gauge) seen.value += value;
      else if (at > seen.at) perMinute.set(start, { at, value });
    });
    for (const [start, { value }] of perMinute) {
      const window = byStart.get(start) ?? { start };
      window[field] = (window[field] ?? 0) + value;
      byStart.set(start, window);
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}
