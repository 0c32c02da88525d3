import type { Bucket } from "./series.js";

/** The statistics of the data of one period (or of any set of buckets). */
export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Raw values for percentiles; null when some data came as statistic sets. */
  raw: number[] | null;
}

export const emptyAggregate = (): Aggregate => ({
  count: 0,
  sum: 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
  raw: [],
});

export function addBucket(aggregate: Aggregate, bucket: Bucket): void {
  aggregate.count += bucket.count;
  aggregate.sum += bucket.sum;
  aggregate.min = Math.min(aggregate.min, bucket.min);
  aggregate.max = Math.max(aggregate.max, bucket.max);
  if (aggregate.raw !== null) {
    if (bucket.raw === null) aggregate.raw = null;
    else for (const value of bucket.raw) aggregate.raw.push(value);
  }
}

const BASIC = new Set(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]);
/** `p0`…`p100` with up to two decimals (`p99.9`), as ExtendedStatistics and Stat accept them. */
const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)$/;

export const isBasicStatistic = (stat: string) => BASIC.has(stat);
export const isPercentile = (stat: string) => PERCENTILE.test(stat);
export const isStatistic = (stat: string) => isBasicStatistic(stat) || isPercentile(stat);

/** Nearest-rank percentile of the values. */
function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** A statistic of an aggregate; undefined when it has no value (no data, or no raw values for pNN). */
export function statisticValue(aggregate: Aggregate, stat: string): number | undefined {
  if (aggregate.count <= 0) return undefined;
  switch (stat) {
    case "SampleCount":
      return aggregate.count;
    case "Sum":
      return aggregate.sum;
    case "Average":
      return aggregate.sum / aggregate.count;
    case "Minimum":
      return aggregate.min;
    case "Maximum":
      return aggregate.max;
  }
  if (isPercentile(stat) && aggregate.raw !== null) return percentile(aggregate.raw, Number(stat.slice(1)));
  return undefined;
}

/** Periods CloudWatch accepts: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 seconds. */
export const isValidPeriod = (period: number) =>
  Number.isInteger(period) && period > 0 && ([1, 5, 10, 20, 30].includes(period) || period % 60 === 0);

/**
 * Where the periods of a query start. CloudWatch rounds StartTime down to the whole minute for periods
 * of a minute or more; sub-minute periods (which divide a minute) start on their own boundary.
 */
export function periodOrigin(start: number, periodSeconds: number): number {
  const unit = periodSeconds % 60 === 0 ? 60_000 : periodSeconds * 1000;
  return Math.floor(start / unit) * unit;
}

/** The start of every period from `start` (rounded as CloudWatch does) up to, not including, `end`. */
export function periodStarts(start: number, end: number, periodSeconds: number): number[] {
  const starts: number[] = [];
  for (let time = periodOrigin(start, periodSeconds); time < end; time += periodSeconds * 1000)
    starts.push(time);
  return starts;
}
