import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { MQ_NAMESPACE } from "./alarm-specs.js";
import type { MetricWindow } from "./metrics.js";

/** The policy's window: Amazon MQ publishes one data point a minute, and the policy reasons per minute. */
export const WINDOW_SECONDS = 60;
/** How much history a decision reads: the policy learns the service rate from the last hour. */
export const HISTORY_SECONDS = 3_600;

/**
 * Counts are summed per minute. Gauges are read at the metrics' own period and each minute takes its
 * last sample: with one-minute data (Amazon MQ) that is the minute's only point; with the local cloud's
 * 10 s data an average over the minute would not be the queue's size at the minute's end, and the
 * policy checks that counts explain the change in size from one minute to the next.
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
          Period: FIELDS[series].gauge ? Math.min(periodSeconds, WINDOW_SECONDS) : WINDOW_SECONDS,
          Stat: FIELDS[series].stat,
        },
      }),
    ),
  );
}

/** The time range of the last hour of complete windows before `now` (epoch seconds). */
export function historyRange(now: number): { start: number; end: number } {
  const end = Math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS;
  return { start: end - HISTORY_SECONDS, end };
}

/**
 * GetMetricData results as the policy's windows, instances summed: a field is the sum over the
 * instances that have a point for that minute, absent when none has (after a failover only the new
 * active instance reports). Pure.
 */
export function toWindows(results: readonly MetricDataResult[]): MetricWindow[] {
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
      const start = Math.floor(at / WINDOW_SECONDS) * WINDOW_SECONDS;
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
