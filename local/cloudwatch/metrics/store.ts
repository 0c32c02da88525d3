import type {
  Datapoint,
  Dimension,
  DimensionFilter,
  Metric,
  MetricDataQuery,
  MetricDataResult,
  MetricDatum,
  ScanBy,
} from "@aws-sdk/client-cloudwatch";
import { type JournalRecord, MetricJournal } from "./journal.js";
import { metricKey, sortedDimensions } from "./metric-key.js";
import { evaluateQueries, type PeriodSource } from "./query.js";
import { Series } from "./series.js";
import { type Aggregate, addBucket, emptyAggregate, periodOrigin, statisticValue } from "./statistics.js";
import { validateMetricData } from "./validation.js";

/** How long datapoints are kept (in memory and on disk): CloudWatch's high-resolution retention. */
export const DATA_RETENTION_MS = 3 * 3600_000;
/** How long a metric stays listed by ListMetrics after its last datapoint was put, as on AWS. */
export const LISTING_RETENTION_MS = 14 * 24 * 3600_000;
const RECENTLY_ACTIVE_MS = 3 * 3600_000;
const PRUNE_EVERY_MS = 60_000;

interface MetricRecord {
  /** metricKey(): also the JSON of the journal's `m`, so journal lines are written without re-encoding it. */
  key: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** When data was last put (epoch ms, receipt time). */
  lastPut: number;
  byUnit: Map<string, Series>;
}

export type DataListener = (namespace: string, metricName: string, dimensions: Dimension[]) => void;

export interface MetricStoreOptions {
  dataDir: string;
  now?: () => number;
  /** Datapoints older than this are dropped; DATA_RETENTION_MS by default. */
  retentionMs?: number;
  /** Called when the journal cannot be written (the store keeps serving from memory). */
  onError?: (error: unknown) => void;
}

export interface ListMetricsFilter {
  namespace?: string;
  metricName?: string;
  dimensions?: DimensionFilter[];
  recentlyActive?: boolean;
}

export interface StatisticsQuery {
  namespace: string;
  metricName: string;
  dimensions?: Dimension[];
  start: Date;
  end: Date;
  period: number;
  statistics: string[];
  extendedStatistics: string[];
  unit?: string;
}

/**
 * The local CloudWatch's metric data: every metric (namespace + name + dimensions) indexed by its
 * identity, each with its buckets per unit (see ./series.ts). Data put here is journaled to
 * `<dataDir>/cloudwatch-metrics.jsonl` off the request path and replayed at start, so the last
 * DATA_RETENTION_MS (3 h) of data survive a restart; older buckets are pruned every minute, and a
 * metric stays listed for 14 days after its last data as on AWS.
 */
export class MetricStore implements PeriodSource {
  private readonly metrics = new Map<string, MetricRecord>();
  private readonly listeners = new Set<DataListener>();
  private readonly journal: MetricJournal;
  private readonly now: () => number;
  private readonly retentionMs: number;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(options: MetricStoreOptions) {
    this.now = options.now ?? Date.now;
    this.retentionMs = options.retentionMs ?? DATA_RETENTION_MS;
    this.journal = new MetricJournal(options.dataDir, () => this.records(), options.onError);
    this.journal.load((record, mJson) => this.replay(record, mJson));
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /**
   * Stores datums as PutMetricData does (same checks and errors, as `AwsServiceError`), in any
   * namespace: the local cloud's collector publishes `AWS/AmazonMQ` through this. Listeners hear of
   * each metric that received data once the whole batch is stored.
   */
  putMetricData(namespace: string, data: MetricDatum[]): void {
    const now = this.now();
    const validated = validateMetricData(data, now);
    const touched = new Map<string, MetricRecord>();
    for (const datum of validated) {
      const record = this.record(namespace, datum.metricName, datum.dimensions, now);
      this.series(record, datum.unit).add(datum.increment);
      touched.set(record.key, record);
      const { time, count, sum, min, max, raw } = datum.increment;
      // The line of a JournalRecord, written by hand: this runs for every datum the collector publishes.
      this.journal.appendLine(
        `{"m":${record.key},"u":${JSON.stringify(datum.unit)},"p":${now},"t":${time},"c":${count},"s":${sum},"n":${min},"x":${max}${raw === undefined ? "" : `,"r":${JSON.stringify(raw)}`}}`,
      );
    }
    for (const record of touched.values()) {
      for (const listener of this.listeners) {
        try {
          listener(record.namespace, record.metricName, record.dimensions);
        } catch {
          // A listener's failure is its own; the data is stored and other listeners still hear of it.
        }
      }
    }
  }

  /**
   * Calls `listener` after each PutMetricData (API or internal) for every metric that got data.
   * Returns the function that removes it.
   */
  onData(listener: DataListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * GetMetricData's evaluation (MetricStat and metric-math queries) over [start, end), without
   * pagination: one result per returned series, timestamps in `scanBy` order (TimestampDescending,
   * the API's default, unless told). Throws `AwsServiceError` (ValidationError) for invalid queries.
   */
  getMetricData(
    queries: MetricDataQuery[],
    start: Date,
    end: Date,
    scanBy: ScanBy = "TimestampDescending",
  ): MetricDataResult[] {
    return evaluateQueries(this, queries, start.getTime(), end.getTime()).map((series) => {
      const order = series.timestamps.map((_, index) => index);
      if (scanBy === "TimestampDescending") order.reverse();
      return {
        Id: series.id,
        Label: series.label,
        Timestamps: order.map((index) => new Date(series.timestamps[index] ?? 0)),
        Values: order.map((index) => series.values[index] ?? 0),
        StatusCode: "Complete",
        Messages: [],
      };
    });
  }

  /** GetMetricStatistics' datapoints (ascending), one per period with data. */
  getMetricStatistics(query: StatisticsQuery): Datapoint[] {
    const aggregates = this.periodAggregates(
      { namespace: query.namespace, metricName: query.metricName, dimensions: query.dimensions ?? [] },
      query.unit,
      query.start.getTime(),
      query.end.getTime(),
      query.period,
    );
    const units = this.unitsOf(query.namespace, query.metricName, query.dimensions ?? [], query.unit);
    return [...aggregates.entries()]
      .sort(([a], [b]) => a - b)
      .map(([time, aggregate]) => {
        const datapoint: Datapoint = {
          Timestamp: new Date(time),
          Unit: (units[0] ?? "None") as Datapoint["Unit"],
        };
        const stats: Record<string, number | undefined> = {};
        for (const stat of query.statistics) stats[stat] = statisticValue(aggregate, stat);
        Object.assign(datapoint, stats);
        if (query.extendedStatistics.length > 0) {
          const extended: Record<string, number> = {};
          for (const stat of query.extendedStatistics) {
            const value = statisticValue(aggregate, stat);
            if (value !== undefined) extended[stat] = value;
          }
          datapoint.ExtendedStatistics = extended;
        }
        return datapoint;
      });
  }

  /** ListMetrics' matches, sorted by namespace, name, dimensions (a stable order to page through). */
  listMetrics(filter: ListMetricsFilter): Metric[] {
    const now = this.now();
    const matches: MetricRecord[] = [];
    for (const record of this.metrics.values()) {
      if (filter.namespace !== undefined && record.namespace !== filter.namespace) continue;
      if (filter.metricName !== undefined && record.metricName !== filter.metricName) continue;
      if (filter.recentlyActive && record.lastPut < now - RECENTLY_ACTIVE_MS) continue;
      const dimensionsMatch = (filter.dimensions ?? []).every((wanted) =>
        record.dimensions.some(
          (dimension) =>
            dimension.Name === wanted.Name &&
            (wanted.Value === undefined || dimension.Value === wanted.Value),
        ),
      );
      if (dimensionsMatch) matches.push(record);
    }
    const keyOf = (record: MetricRecord) => metricKey(record.namespace, record.metricName, record.dimensions);
    return matches
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
      .map((record) => ({
        Namespace: record.namespace,
        MetricName: record.metricName,
        Dimensions: record.dimensions.map((dimension) => ({ ...dimension })),
      }));
  }

  /** The statistics of each period with data in [start, end), periods aligned as CloudWatch aligns them. */
  periodAggregates(
    metric: { namespace: string; metricName: string; dimensions: Dimension[] },
    unit: string | undefined,
    start: number,
    end: number,
    periodSeconds: number,
  ): Map<number, Aggregate> {
    const result = new Map<number, Aggregate>();
    const record = this.metrics.get(metricKey(metric.namespace, metric.metricName, metric.dimensions));
    if (record === undefined) return result;
    const origin = periodOrigin(start, periodSeconds);
    const periodMs = periodSeconds * 1000;
    for (const [seriesUnit, series] of record.byUnit) {
      // Without a unit, CloudWatch evaluates the data of every unit together.
      if (unit !== undefined && seriesUnit !== unit) continue;
      for (const bucket of series.range(origin, end)) {
        const periodStart = origin + Math.floor((bucket.time - origin) / periodMs) * periodMs;
        let aggregate = result.get(periodStart);
        if (aggregate === undefined) {
          aggregate = emptyAggregate();
          result.set(periodStart, aggregate);
        }
        addBucket(aggregate, bucket);
      }
    }
    return result;
  }

  /** Resolves when every datum stored so far is on disk; stops the pruning timer. */
  async close(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.journal.close();
  }

  private unitsOf(
    namespace: string,
    metricName: string,
    dimensions: Dimension[],
    unit: string | undefined,
  ): string[] {
    if (unit !== undefined) return [unit];
    const record = this.metrics.get(metricKey(namespace, metricName, dimensions));
    return record === undefined ? [] : [...record.byUnit.keys()];
  }

  private record(
    namespace: string,
    metricName: string,
    dimensions: Dimension[],
    lastPut: number,
    knownKey?: string,
  ): MetricRecord {
    const key = knownKey ?? metricKey(namespace, metricName, dimensions);
    let record = this.metrics.get(key);
    if (record === undefined) {
      record = {
        key,
        namespace,
        metricName,
        dimensions: sortedDimensions(dimensions),
        lastPut,
        byUnit: new Map(),
      };
      this.metrics.set(key, record);
    }
    record.lastPut = Math.max(record.lastPut, lastPut);
    return record;
  }

  private series(record: MetricRecord, unit: string): Series {
    let series = record.byUnit.get(unit);
    if (series === undefined) {
      series = new Series();
      record.byUnit.set(unit, series);
    }
    return series;
  }

  private identity(record: MetricRecord): Pick<JournalRecord, "m"> {
    return {
      m: [record.namespace, record.metricName, record.dimensions.map((d) => [d.Name ?? "", d.Value ?? ""])],
    };
  }

  private replay(line: JournalRecord, mJson: string | undefined): void {
    const [namespace, metricName, pairs] = line.m;
    const dimensions = pairs.map(([Name, Value]) => ({ Name, Value }));
    // `m` as written is the metric's key (sorted dimensions); checked, as a hand-edited file may differ.
    const key = mJson !== undefined && this.metrics.has(mJson) ? mJson : undefined;
    const record = this.record(namespace, metricName, dimensions, line.p, key);
    const series = this.series(record, line.u);
    if (line.T !== undefined) {
      const raw = new Map(line.R ?? []);
      line.T.forEach((time, index) => {
        const values = raw.get(index);
        series.add({
          time,
          count: line.C?.[index] ?? 0,
          sum: line.S?.[index] ?? 0,
          min: line.N?.[index] ?? 0,
          max: line.X?.[index] ?? 0,
          ...(values === undefined ? {} : { raw: values }),
        });
      });
      return;
    }
    if (line.t === undefined || line.c === undefined) return;
    series.add({
      time: line.t,
      count: line.c,
      sum: line.s ?? 0,
      min: line.n ?? 0,
      max: line.x ?? 0,
      ...(line.r === undefined ? {} : { raw: line.r }),
    });
  }

  /** The journal lines that recreate the store as it is (compaction). */
  private *records(): Generator<JournalRecord> {
    for (const record of this.metrics.values()) {
      const identity = this.identity(record);
      for (const [unit, series] of record.byUnit) {
        if (series.size === 0) {
          yield { ...identity, u: unit, p: record.lastPut };
          continue;
        }
        const { times, counts, sums, mins, maxs, raw } = series.columns();
        yield {
          ...identity,
          u: unit,
          p: record.lastPut,
          T: times,
          C: counts,
          S: sums,
          N: mins,
          X: maxs,
          R: raw,
        };
      }
    }
  }

  private prune(): void {
    const now = this.now();
    const cutoff = now - this.retentionMs;
    for (const [key, record] of this.metrics) {
      for (const series of record.byUnit.values()) series.prune(cutoff);
      if (record.lastPut < now - LISTING_RETENTION_MS) this.metrics.delete(key);
    }
  }
}
