import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { type CounterReading, periodCounts, type QueueCounters } from "./counters.js";
import {
  AMAZON_MQ_NAMESPACE,
  brokerDatums,
  brokerDimension,
  type DatumContext,
  queueDatums,
} from "./datums.js";
import { assertAllowedPeriod, lastCompletePeriodStart, nextBoundary, storageResolution } from "./period.js";
import {
  type InstanceStatistics,
  InstanceStatisticsReader,
  type ReaderTimeouts,
} from "./statistics-reader.js";
import type { StompTarget } from "./stomp-client.js";

/** A running broker whose instances the collector reads, and the user it reads them as. */
export interface CollectableBroker {
  /** The Amazon MQ broker name; the `Broker` dimension is `<brokerName>-<index>`. */
  brokerName: string;
  instances: Array<{
    index: number /* 1-based, the Broker dimension suffix */;
    host: string;
    stompPort: number;
  }>;
  /** The runtime's internal monitoring user (never a customer's user). Never logged. */
  credentials: { username: string; password: string };
}

export interface MetricsCollectorOptions {
  /** MQOPS_METRICS_PERIOD_SECONDS (see `parseMetricsPeriod`): 10, 30 or 60. */
  periodSeconds: number;
  brokers: () => CollectableBroker[] | Promise<CollectableBroker[]>;
  publish: (namespace: "AWS/AmazonMQ", data: MetricDatum[]) => void | Promise<void>;
  /** Wall clock in ms; periods and timestamps are computed from it. Default `Date.now`. */
  now?: () => number;
  /** Notices: an instance that stops or starts answering, a failed publish. Never holds a password. */
  log?: (line: string) => void;
  timeouts?: Partial<ReaderTimeouts>;
}

export interface MetricsCollector {
  /** Reads every instance now and publishes the last complete period's data (timestamp: its start). */
  collectOnce(): Promise<void>;
  /** Stops the schedule, waits for a collection under way and closes every broker connection. */
  stop(): Promise<void>;
}

/** Amazon MQ publishes the first 1,000 destinations of a broker. */
export const MAX_QUEUES_PER_BROKER = 1000;
/** PutMetricData takes at most 1,000 datums per call. */
export const MAX_DATUMS_PER_PUBLISH = 1000;
/**
 * A standby listens on nothing and is refused at once; these bound a broker that accepts the TCP
 * connection but does not answer (hung, or busy replaying its journal).
 */
export const DEFAULT_TIMEOUTS: ReaderTimeouts = { connectMs: 2_000, readMs: 3_000 };

interface InstanceTarget {
  key: string;
  brokerName: string;
  index: number;
  target: StompTarget;
}

function instanceTargets(brokers: CollectableBroker[]): InstanceTarget[] {
  return brokers.flatMap((broker) =>
    broker.instances.map((instance) => ({
      key: `${broker.brokerName}\u0000${instance.index}`,
      brokerName: broker.brokerName,
      index: instance.index,
      target: {
        host: instance.host,
        port: instance.stompPort,
        username: broker.credentials.username,
        password: broker.credentials.password,
      },
    })),
  );
}

function sameTarget(a: StompTarget, b: StompTarget): boolean {
  return a.host === b.host && a.port === b.port && a.username === b.username && a.password === b.password;
}

function counterReading(statistics: InstanceStatistics): CounterReading {
  return {
    brokerId: statistics.broker.brokerId,
    queues: new Map(
      statistics.queues.map((queue) => [
        queue.queue,
        {
          enqueueCount: queue.enqueueCount,
          dequeueCount: queue.dequeueCount,
          dispatchCount: queue.dispatchCount,
          expiredCount: queue.expiredCount,
        },
      ]),
    ),
  };
}

/**
 * Publishes each running broker instance's own counters as Amazon MQ's CloudWatch metrics
 * (namespace `AWS/AmazonMQ`), once per period at wall-clock period boundaries.
 *
 * - Only an instance that answers reports: the standby of an active/standby pair is refused, so after
 *   a failover the other `Broker` suffix carries the series, as on Amazon MQ.
 * - Every datum of a collection carries the start of the period it covers as its timestamp (counts
 *   are what happened in that period; gauges are their value at its end), so the period is complete
 *   in CloudWatch as soon as it is published. StorageResolution is 1 below 60 s.
 * - Counts are differences of the broker's cumulative counters (`counters.ts`). The collector reads
 *   every instance once as it starts, publishing nothing, so that activity from before it started
 *   (of unknown periods) is not counted. An instance or queue first seen later started after the
 *   previous read, so its counts start from 0.
 */
export function startMetricsCollector(options: MetricsCollectorOptions): MetricsCollector {
  const periodSeconds = options.periodSeconds;
  assertAllowedPeriod(periodSeconds);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const timeouts: ReaderTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const readers = new Map<string, InstanceStatisticsReader>();
  const readings = new Map<string, CounterReading>();
  const answering = new Set<string>();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let timer: NodeJS.Timeout | undefined;

  function readerFor(instance: InstanceTarget): InstanceStatisticsReader {
    const existing = readers.get(instance.key);
    if (existing !== undefined && sameTarget(existing.target, instance.target)) return existing;
    existing?.close();
    const reader = new InstanceStatisticsReader(instance.target, timeouts);
    readers.set(instance.key, reader);
    return reader;
  }

  async function readInstance(instance: InstanceTarget): Promise<InstanceStatistics | undefined> {
    const dimension = brokerDimension(instance.brokerName, instance.index);
    try {
      const statistics = await readerFor(instance).read();
      if (!answering.has(instance.key)) log(`metrics: ${dimension} reports statistics`);
      answering.add(instance.key);
      return statistics;
    } catch (error) {
      // A standby refuses every period: only a change from answering is worth a line.
      if (answering.delete(instance.key)) {
        log(`metrics: ${dimension} stopped answering: ${(error as Error).message}`);
      }
      return undefined;
    }
  }

  function forgetGone(targets: InstanceTarget[]): void {
    const live = new Set(targets.map((instance) => instance.key));
    for (const [key, reader] of readers) {
      if (live.has(key)) continue;
      reader.close();
      readers.delete(key);
      readings.delete(key);
      answering.delete(key);
    }
  }

  /** One read of every instance; `periodStart` undefined is the start's baseline read, which publishes nothing. */
  async function collect(periodStart: number | undefined): Promise<void> {
    const targets = instanceTargets(await options.brokers());
    forgetGone(targets);
    const results = await Promise.all(targets.map(readInstance));
    if (periodStart === undefined) {
      targets.forEach((instance, position) => {
        const statistics = results[position];
        if (statistics !== undefined) readings.set(instance.key, counterReading(statistics));
      });
      return;
    }
    const base = {
      timestamp: new Date(periodStart),
      storageResolution: storageResolution(periodSeconds),
      // The reply subscription each reader holds on its broker.
      ownConsumers: 1,
    };
    const data: MetricDatum[] = [];
    targets.forEach((instance, position) => {
      const statistics = results[position];
      if (statistics === undefined) return;
      const reading = counterReading(statistics);
      const counts: Map<string, QueueCounters> = periodCounts(readings.get(instance.key), reading);
      readings.set(instance.key, reading);
      const context: DatumContext = { ...base, broker: brokerDimension(instance.brokerName, instance.index) };
      data.push(...brokerDatums(context, statistics.broker));
      const queues = [...statistics.queues]
        .sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0))
        .slice(0, MAX_QUEUES_PER_BROKER);
      for (const queue of queues) data.push(...queueDatums(context, queue, counts.get(queue.queue)));
    });
    for (let start = 0; start < data.length; start += MAX_DATUMS_PER_PUBLISH) {
      await options.publish(AMAZON_MQ_NAMESPACE, data.slice(start, start + MAX_DATUMS_PER_PUBLISH));
    }
  }

  /** Collections run one after another: each counts from the readings the previous one left. */
  function enqueue(periodStart: number | undefined): Promise<void> {
    const next = running.then(async () => {
      if (stopped) return;
      busy = true;
      try {
        await collect(periodStart);
      } finally {
        busy = false;
      }
    });
    running = next.catch(() => undefined);
    return next;
  }

  function schedule(): void {
    if (stopped) return;
    const boundary = nextBoundary(now(), periodSeconds);
    timer = setTimeout(
      () => {
        timer = undefined;
        if (busy) {
          // The previous collection still waits on a slow broker: queueing more would only fall
          // further behind. This period's counts go to the next collection.
          log("metrics: collection skipped, the previous one is still running");
        } else {
          enqueue(boundary - periodSeconds * 1000).catch((error: unknown) =>
            log(`metrics: collection failed: ${(error as Error).message}`),
          );
        }
        schedule();
      },
      Math.max(0, boundary - now()),
    );
    // The collector must not keep the process alive on its own.
    timer.unref();
  }

  // Counters of a broker that ran before the collector hold activity of unknown periods: the
  // baseline read now makes the first period count only what happens from here on.
  enqueue(undefined).catch((error: unknown) =>
    log(`metrics: first read failed: ${(error as Error).message}`),
  );
  schedule();
  return {
    collectOnce: () => enqueue(lastCompletePeriodStart(now(), periodSeconds)),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      for (const reader of readers.values()) reader.close();
      readers.clear();
    },
  };
}
