import type { Dimension, MetricDataQuery, MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { MetricSource } from "../../../../../local/cloudwatch/alarms/model.js";

interface Point {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  timestamp: number;
  value: number;
}

const sameMetric = (point: Point, namespace?: string, name?: string, dimensions: Dimension[] = []) =>
  point.namespace === namespace &&
  point.metricName === name &&
  point.dimensions.length === dimensions.length &&
  point.dimensions.every((d) => dimensions.some((e) => e.Name === d.Name && e.Value === d.Value));

/**
 * A stand-in for the metric store in tests of the alarms alone: MetricStat queries with Sum, Average,
 * Maximum, Minimum and SampleCount, and the expression `a - b` between two queries' series.
 */
export class FakeMetrics implements MetricSource {
  readonly points: Point[] = [];
  /** When set, getMetricData throws it (as the store does for a query it cannot evaluate). */
  failure: Error | undefined;
  private readonly listeners = new Set<
    (namespace: string, metricName: string, dimensions: Dimension[]) => void
  >();

  put(namespace: string, metricName: string, dimensions: Dimension[], timestamp: number, value: number) {
    this.points.push({ namespace, metricName, dimensions, timestamp, value });
    for (const listener of this.listeners) listener(namespace, metricName, dimensions);
  }

  onData(listener: (namespace: string, metricName: string, dimensions: Dimension[]) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getMetricData(queries: MetricDataQuery[], start: Date, end: Date): MetricDataResult[] {
    if (this.failure !== undefined) throw this.failure;
    const series = new Map<string, Map<number, number>>();
    for (const query of queries) {
      const stat = query.MetricStat;
      if (stat === undefined) continue;
      const periodMs = (stat.Period ?? 60) * 1000;
      const buckets = new Map<number, number[]>();
      for (const point of this.points) {
        if (!sameMetric(point, stat.Metric?.Namespace, stat.Metric?.MetricName, stat.Metric?.Dimensions))
          continue;
        if (point.timestamp < start.getTime() || point.timestamp >= end.getTime()) continue;
        const bucket = Math.floor(point.timestamp / periodMs) * periodMs;
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), point.value]);
      }
      const values = new Map<number, number>();
      for (const [bucket, samples] of buckets) {
        const sum = samples.reduce((a, b) => a + b, 0);
        const byStat: Record<string, number> = {
          Sum: sum,
          Average: sum / samples.length,
          Maximum: Math.max(...samples),
          Minimum: Math.min(...samples),
          SampleCount: samples.length,
        };
        const value = byStat[stat.Stat ?? ""];
        if (value !== undefined) values.set(bucket, value);
      }
      series.set(query.Id ?? "", values);
    }
    for (const query of queries) {
      const match = /^(\w+)\s*-\s*(\w+)$/.exec(query.Expression ?? "");
      if (match === null) continue;
      const left = series.get(match[1] ?? "") ?? new Map<number, number>();
      const right = series.get(match[2] ?? "") ?? new Map<number, number>();
      const values = new Map<number, number>();
      for (const [bucket, value] of left) {
        const other = right.get(bucket);
        if (other !== undefined) values.set(bucket, value - other);
      }
      series.set(query.Id ?? "", values);
    }
    return queries
      .filter((query) => query.ReturnData !== false)
      .map((query) => {
        const values = [...(series.get(query.Id ?? "") ?? new Map<number, number>())].sort(
          (a, b) => b[0] - a[0],
        );
        return {
          Id: query.Id,
          Timestamps: values.map(([timestamp]) => new Date(timestamp)),
          Values: values.map(([, value]) => value),
          StatusCode: "Complete",
        };
      });
  }
}
