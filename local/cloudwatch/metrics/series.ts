/**
 * One metric's data in one unit, as CloudWatch stores it: aggregated buckets (sample count, sum,
 * minimum, maximum) at the datum's storage resolution — 1 s for high-resolution data, 1 min for
 * standard — kept in time order in parallel number arrays (compact and fast to scan by range).
 * Raw values are kept per bucket only where percentiles need them beyond a single value.
 */
export interface BucketIncrement {
  /** Bucket start, epoch ms (already truncated to the storage resolution). */
  time: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /**
   * The raw values behind the increment, for percentiles: absent for a single `Value`, the values
   * (repeated per `Counts`) for `Values`, null for `StatisticValues` (no percentiles for that data).
   */
  raw?: number[] | null;
}

export interface Bucket {
  time: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Null when some of the data came as a statistic set (percentiles unavailable). */
  raw: number[] | null;
}

/** First index whose value is >= target in an ascending array. */
export function lowerBound(values: number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class Series {
  readonly times: number[] = [];
  readonly counts: number[] = [];
  readonly sums: number[] = [];
  readonly mins: number[] = [];
  readonly maxs: number[] = [];
  /** Bucket time → raw values (null: unavailable). Absent: the bucket is its single value (count 1). */
  private readonly raw = new Map<number, number[] | null>();

  get size(): number {
    return this.times.length;
  }

  add(increment: BucketIncrement): void {
    const length = this.times.length;
    const lastTime = this.times[length - 1];
    // Data nearly always arrives in time order: append, or merge into the last bucket.
    const index =
      lastTime === undefined || lastTime < increment.time
        ? length
        : lastTime === increment.time
          ? length - 1
          : lowerBound(this.times, increment.time);
    if (this.times[index] === increment.time) {
      const before = this.rawOf(index);
      this.counts[index] = (this.counts[index] ?? 0) + increment.count;
      this.sums[index] = (this.sums[index] ?? 0) + increment.sum;
      this.mins[index] = Math.min(this.mins[index] ?? increment.min, increment.min);
      this.maxs[index] = Math.max(this.maxs[index] ?? increment.max, increment.max);
      const added = incrementRaw(increment);
      this.raw.set(increment.time, before === null || added === null ? null : [...before, ...added]);
      return;
    }
    this.times.splice(index, 0, increment.time);
    this.counts.splice(index, 0, increment.count);
    this.sums.splice(index, 0, increment.sum);
    this.mins.splice(index, 0, increment.min);
    this.maxs.splice(index, 0, increment.max);
    if (increment.raw !== undefined || increment.count !== 1)
      this.raw.set(increment.time, incrementRaw(increment));
  }

  private rawOf(index: number): number[] | null {
    const time = this.times[index] ?? 0;
    const raw = this.raw.get(time);
    if (raw !== undefined) return raw;
    return this.counts[index] === 1 ? [this.sums[index] ?? 0] : null;
  }

  /** The buckets whose time is in [start, end). */
  *range(start: number, end: number): Generator<Bucket> {
    for (let index = lowerBound(this.times, start); index < this.times.length; index++) {
      const time = this.times[index] ?? 0;
      if (time >= end) return;
      yield {
        time,
        count: this.counts[index] ?? 0,
        sum: this.sums[index] ?? 0,
        min: this.mins[index] ?? 0,
        max: this.maxs[index] ?? 0,
        raw: this.rawOf(index),
      };
    }
  }

  /** Whether some bucket falls in [start, end). */
  hasDataIn(start: number, end: number): boolean {
    const index = lowerBound(this.times, start);
    return index < this.times.length && (this.times[index] ?? end) < end;
  }

  get lastTime(): number | undefined {
    return this.times[this.times.length - 1];
  }

  /** Drops the buckets older than `cutoff`; returns how many remain. */
  prune(cutoff: number): number {
    const drop = lowerBound(this.times, cutoff);
    if (drop > 0) {
      for (const time of this.times.slice(0, drop)) this.raw.delete(time);
      this.times.splice(0, drop);
      this.counts.splice(0, drop);
      this.sums.splice(0, drop);
      this.mins.splice(0, drop);
      this.maxs.splice(0, drop);
    }
    return this.times.length;
  }

  /** The buckets as columns, with the raw values of the buckets that need them by index (snapshots). */
  columns(): {
    times: number[];
    counts: number[];
    sums: number[];
    mins: number[];
    maxs: number[];
    raw: [number, number[] | null][];
  } {
    const raw: [number, number[] | null][] = [];
    this.times.forEach((time, index) => {
      const values = this.raw.get(time);
      if (values !== undefined) raw.push([index, values]);
    });
    return {
      times: [...this.times],
      counts: [...this.counts],
      sums: [...this.sums],
      mins: [...this.mins],
      maxs: [...this.maxs],
      raw,
    };
  }
}

function incrementRaw(increment: BucketIncrement): number[] | null {
  if (increment.raw === null) return null;
  if (increment.raw !== undefined) return increment.raw;
  return increment.count === 1 ? [increment.sum] : null;
}
