import type { Dimension, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { evaluationRangeLength } from "./evaluate.js";
import type { AlarmRecord, AlarmRule, MetricSource, PeriodDatapoint } from "./model.js";

const VALUE_ID = "value";
const SAMPLES_ID = "samples";

export function alarmRule(alarm: AlarmRecord): AlarmRule {
  return {
    comparisonOperator: alarm.comparisonOperator,
    threshold: alarm.threshold,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
    treatMissingData: alarm.treatMissingData ?? "missing",
    period: alarm.period,
    statistic: alarm.metrics === undefined ? alarm.statistic : undefined,
  };
}

/** The metrics an alarm reads: what new data must wake it for. */
export function alarmMetrics(
  alarm: AlarmRecord,
): { namespace: string; metricName: string; dimensions: Dimension[] }[] {
  if (alarm.metrics === undefined)
    return [
      {
        namespace: alarm.namespace ?? "",
        metricName: alarm.metricName ?? "",
        dimensions: alarm.dimensions ?? [],
      },
    ];
  return alarm.metrics.flatMap((query) =>
    query.MetricStat?.Metric === undefined
      ? []
      : [
          {
            namespace: query.MetricStat.Metric.Namespace ?? "",
            metricName: query.MetricStat.Metric.MetricName ?? "",
            dimensions: query.MetricStat.Metric.Dimensions ?? [],
          },
        ],
  );
}

function queries(alarm: AlarmRecord): MetricDataQuery[] {
  if (alarm.metrics !== undefined) return alarm.metrics;
  const metric = {
    Namespace: alarm.namespace,
    MetricName: alarm.metricName,
    Dimensions: alarm.dimensions ?? [],
  };
  const stat = alarm.statistic ?? alarm.extendedStatistic ?? "Average";
  const unit = alarm.unit === undefined ? {} : { Unit: alarm.unit };
  return [
    {
      Id: VALUE_ID,
      MetricStat: { Metric: metric, Period: alarm.period, Stat: stat, ...unit },
      ReturnData: true,
    },
    // reasonData's evaluatedDatapoints carry each period's sample count.
    {
      Id: SAMPLES_ID,
      MetricStat: { Metric: metric, Period: alarm.period, Stat: "SampleCount", ...unit },
      ReturnData: true,
    },
  ];
}

/**
 * The alarm's evaluation range at `now`: evaluationRangeLength periods, oldest first, each aligned to the
 * period. The period in progress counts once it has data (a collector publishes one datapoint per
 * period, so that datapoint is the period's), otherwise the range ends with the last completed period:
 * an empty period that has not ended yet is not "missing".
 */
export function readEvaluationRange(
  source: MetricSource,
  alarm: AlarmRecord,
  now: number,
): PeriodDatapoint[] {
  const periodMs = alarm.period * 1000;
  const current = Math.floor(now / periodMs) * periodMs;
  const length = evaluationRangeLength(alarm.evaluationPeriods);
  const start = current - length * periodMs;
  const results = source.getMetricData(queries(alarm), new Date(start), new Date(current + periodMs));
  const returned = alarm.metrics?.find((query) => query.ReturnData !== false)?.Id ?? VALUE_ID;
  const series = (id: string) => {
    const byPeriod = new Map<number, number>();
    const result = results.find((entry) => entry.Id === id);
    (result?.Timestamps ?? []).forEach((timestamp, index) => {
      const value = result?.Values?.[index];
      if (value !== undefined)
        byPeriod.set(Math.floor(new Date(timestamp).getTime() / periodMs) * periodMs, value);
    });
    return byPeriod;
  };
  const values = series(returned);
  const samples = alarm.metrics === undefined ? series(SAMPLES_ID) : new Map<number, number>();
  const range: PeriodDatapoint[] = [];
  for (let timestamp = start; timestamp <= current; timestamp += periodMs) {
    const value = values.get(timestamp);
    const sampleCount = samples.get(timestamp);
    range.push({
      timestamp,
      ...(value === undefined ? {} : { value }),
      ...(value === undefined || sampleCount === undefined ? {} : { sampleCount }),
    });
  }
  return range.at(-1)?.value === undefined || !hasRawData(source, alarm, current)
    ? range.slice(0, -1)
    : range.slice(1);
}

/**
 * Whether any metric the alarm reads has data in the period starting at `periodStart`. A metric-math
 * expression has a value in a period with no data at all (FILL(m, 0) is 0): that value must not
 * make the open period count.
 */
function hasRawData(source: MetricSource, alarm: AlarmRecord, periodStart: number): boolean {
  if (alarm.metrics === undefined) return true;
  const stats = alarm.metrics
    .filter((query) => query.MetricStat !== undefined)
    .map((query) => ({ ...query, ReturnData: true }));
  if (stats.length === 0) return true;
  const end = periodStart + alarm.period * 1000;
  return source
    .getMetricData(stats, new Date(periodStart), new Date(end))
    .some((result) => (result.Values ?? []).length > 0);
}
