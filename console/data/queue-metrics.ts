import {
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import type { ConsoleSources } from "../sources.js";

/** What each small chart shows, with the statistic Amazon MQ's own dashboards use for it. */
export const QUEUE_METRICS = [
  { name: "EnqueueCount", stat: "Sum" },
  { name: "DispatchCount", stat: "Sum" },
  { name: "QueueSize", stat: "Maximum" },
] as const;

export interface QueueSeries {
  queue: string;
  /** Seconds since the epoch, ascending: uPlot's x axis. */
  times: number[];
  values: Record<(typeof QUEUE_METRICS)[number]["name"], (number | null)[]>;
}

const WINDOW_SECONDS = 3600;
const PERIOD_SECONDS = 60;
const MAX_QUEUES = 12;

/**
 * The instances' `Broker` dimension values: Amazon MQ reports an ActiveMQ broker's metrics per instance
 * as `<name>-1`, `<name>-2` (and `-3` for a cluster), only the active one reporting.
 */
const instanceNames = (brokerName: string) => [1, 2, 3].map((n) => `${brokerName}-${n}`);

/** The broker's queues as CloudWatch knows them: queue → the instances that reported it. */
async function queuesOf(sources: ConsoleSources, brokerName: string): Promise<Map<string, string[]>> {
  const queues = new Map<string, string[]>();
  for (const instance of instanceNames(brokerName)) {
    let nextToken: string | undefined;
    do {
      const page = await sources.cloudwatch.send(
        new ListMetricsCommand({
          Namespace: "AWS/AmazonMQ",
          MetricName: "QueueSize",
          Dimensions: [{ Name: "Broker", Value: instance }],
          NextToken: nextToken,
        }),
      );
      for (const metric of page.Metrics ?? []) {
        const queue = metric.Dimensions?.find((d) => d.Name === "Queue")?.Value;
        if (queue === undefined) continue;
        const reporters = queues.get(queue) ?? [];
        if (!reporters.includes(instance)) reporters.push(instance);
        queues.set(queue, reporters);
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  }
  return queues;
}

/**
 * Per queue, one series per metric over the last hour, summed across the instances that reported it
 * (after a failover the other instance carries the series). Pure.
 */
export function queueSeries(queue: string, results: MetricDataResult[], idPrefix: string): QueueSeries {
  const byMetric = new Map<string, Map<number, number>>();
  const times = new Set<number>();
  for (const result of results) {
    const [prefix, metric] = (result.Id ?? "").split("_");
    if (prefix !== idPrefix || metric === undefined) continue;
    const points = byMetric.get(metric) ?? new Map<number, number>();
    (result.Timestamps ?? []).forEach((timestamp, index) => {
      const t = Math.floor(timestamp.getTime() / 1000);
      times.add(t);
      points.set(t, (points.get(t) ?? 0) + (result.Values?.[index] ?? 0));
    });
    byMetric.set(metric, points);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const values = Object.fromEntries(
    QUEUE_METRICS.map(({ name }, index) => {
      const points = byMetric.get(String(index));
      return [name, sorted.map((t) => points?.get(t) ?? null)];
    }),
  ) as QueueSeries["values"];
  return { queue, times: sorted, values };
}

/** The broker's queues (at most 12, by name) with their recent metrics from CloudWatch `AWS/AmazonMQ`. */
export async function queueMetrics(sources: ConsoleSources, brokerName: string, now = new Date()) {
  const queues = [...(await queuesOf(sources, brokerName)).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, MAX_QUEUES);
  if (queues.length === 0) return [];
  const queries: MetricDataQuery[] = [];
  queues.forEach(([queue, instances], q) => {
    QUEUE_METRICS.forEach((metric, m) => {
      instances.forEach((instance, i) => {
        queries.push({
          // `q<queue>_<metric>_<instance>`: queueSeries sums the instances of one queue and metric.
          Id: `q${q}_${m}_${i}`,
          MetricStat: {
            Metric: {
              Namespace: "AWS/AmazonMQ",
              MetricName: metric.name,
              Dimensions: [
                { Name: "Broker", Value: instance },
                { Name: "Queue", Value: queue },
              ],
            },
            Period: PERIOD_SECONDS,
            Stat: metric.stat,
          },
        });
      });
    });
  });
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sources.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(now.getTime() - WINDOW_SECONDS * 1000),
        EndTime: now,
        ScanBy: "TimestampAscending",
        NextToken: nextToken,
      }),
    );
    results.push(...(page.MetricDataResults ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  // Pages may repeat an Id with further points: queueSeries adds every point of an Id by its timestamp.
  return queues.map(([queue], q) => queueSeries(queue, results, `q${q}`));
}
