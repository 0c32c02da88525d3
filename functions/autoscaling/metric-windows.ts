import type { MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import { MQ_NAMESPACE } from "./alarm-specs.js";
import type { MetricWindow } from "./metrics.js";

/** The policy's window: Amazon MQ publishes one data point a minute, and the policy reasons per minute. */
export const WINDOW_SECONDS = 60;
/** How much history a decision reads: the policy learns the service rate from the last hour. */
export const HISTORY_SECONDS = 3_600;

const FIELDS = {
  enq: { metric: "EnqueueCount", stat: "Sum", field: "enqueueCount" },
  dsp: { metric: "DispatchCount", stat: "Sum", field: "dispatchCount" },
  size: { metric: "QueueSize", stat: "Average", field: "queueSize" },
  cons: { metric: "ConsumerCount", stat: "Average", field: "consumerCount" },
} as const;
type Series = keyof typeof FIELDS;

/**
 * GetMetricData queries for one queue: each metric of each broker instance on its own, so the
 * instances can be summed in code where a missing point stays missing (metric math would have to
 * FILL it, and the policy must see a gap as a gap, not as zero).
 */
export function windowQueries(instances: readonly string[], queue: string): MetricDataQuery[] {
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
          Period: WINDOW_SECONDS,
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
    const timestamps = result.Timestamps ?? [];
    const values = result.Values ?? [];
    timestamps.forEach((timestamp, index) => {
      const value = values[index];
      if (value === undefined || !Number.isFinite(value)) return;
      const start = Math.floor(timestamp.getTime() / 1000);
      const window = byStart.get(start) ?? { start };
      window[field] = (window[field] ?? 0) + value;
      byStart.set(start, window);
    });
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}
