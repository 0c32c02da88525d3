import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CollectableBroker,
  type MetricsCollector,
  startMetricsCollector,
} from "../../../../local/metrics/collector.js";
import { InvalidMetricsPeriodError } from "../../../../local/metrics/errors.js";
import { FakeStatisticsBroker } from "./support/fake-statistics-broker.js";

const CREDENTIALS = { username: "mqops+monitor", password: "monitor-secret-1" };
const T0 = Date.parse("2026-12-01T10:00:00Z");

interface Published {
  namespace: string;
  data: MetricDatum[];
}

const started: { collectors: MetricsCollector[]; brokers: FakeStatisticsBroker[] } = {
  collectors: [],
  brokers: [],
};

afterEach(async () => {
  await Promise.all(started.collectors.splice(0).map((collector) => collector.stop()));
  await Promise.all(started.brokers.splice(0).map((broker) => broker.stop()));
});

async function fakeBroker(port = 0): Promise<FakeStatisticsBroker> {
  const broker = new FakeStatisticsBroker(CREDENTIALS, port);
  await broker.start();
  started.brokers.push(broker);
  return broker;
}

function collector(
  brokers: () => CollectableBroker[],
  options: { periodSeconds?: number; now?: () => number; log?: (line: string) => void; readMs?: number } = {},
) {
  const published: Published[] = [];
  let clock = T0 + 5_000;
  const instance = startMetricsCollector({
    periodSeconds: options.periodSeconds ?? 60,
    brokers,
    publish: (namespace, data) => {
      published.push({ namespace, data });
    },
    now: options.now ?? (() => clock),
    timeouts: { connectMs: 1_000, readMs: options.readMs ?? 500 },
    ...(options.log ? { log: options.log } : {}),
  });
  started.collectors.push(instance);
  return {
    collector: instance,
    published,
    /** Moves the injected clock one period on, to 5 s into the next period. */
    tick(periodSeconds = options.periodSeconds ?? 60) {
      clock += periodSeconds * 1000;
    },
    /** Datums of the last collection. */
    last(): MetricDatum[] {
      return published.at(-1)?.data ?? [];
    },
  };
}

function single(name: string, ...ports: number[]): CollectableBroker {
  return {
    brokerName: name,
    instances: ports.map((port, position) => ({ index: position + 1, host: "127.0.0.1", stompPort: port })),
    credentials: CREDENTIALS,
  };
}

function value(data: MetricDatum[], metric: string, broker: string, queue?: string): number | undefined {
  return data.find(
    (datum) =>
      datum.MetricName === metric &&
      datum.Dimensions?.find((dimension) => dimension.Name === "Broker")?.Value === broker &&
      datum.Dimensions?.find((dimension) => dimension.Name === "Queue")?.Value === queue,
  )?.Value;
}

/** A port nothing listens on (a standby binds none). */
async function closedPort(): Promise<number> {
  const broker = new FakeStatisticsBroker(CREDENTIALS);
  const port = await broker.start();
  await broker.stop();
  return port;
}

describe("startMetricsCollector", () => {
  it("refuses a period other than 10, 30 or 60 seconds", () => {
    expect(() =>
      startMetricsCollector({ periodSeconds: 15, brokers: () => [], publish: () => undefined }),
    ).toThrow(InvalidMetricsPeriodError);
  });

  it("publishes each period's counts as the broker's own counters moved, from the collector's start on", async () => {
    const broker = await fakeBroker();
    Object.assign(broker.queue("orders"), {
      enqueueCount: 100,
      dequeueCount: 90,
      dispatchCount: 95,
      size: 10,
    });
    const run = collector(() => [single("shop", broker.port)]);

    // Activity from before the collector started belongs to no known period: it is not counted.
    await run.collector.collectOnce();
    const first = run.last();
    expect(value(first, "QueueSize", "shop-1", "orders")).toBe(10);
    expect(value(first, "EnqueueCount", "shop-1", "orders")).toBe(0);

    Object.assign(broker.queue("orders"), {
      enqueueCount: 130,
      dequeueCount: 110,
      dispatchCount: 120,
      size: 30,
    });
    run.tick();
    await run.collector.collectOnce();
    const second = run.last();

    expect(run.published.every((call) => call.namespace === "AWS/AmazonMQ")).toBe(true);
    expect(value(second, "EnqueueCount", "shop-1", "orders")).toBe(30);
    expect(value(second, "DequeueCount", "shop-1", "orders")).toBe(20);
    expect(value(second, "DispatchCount", "shop-1", "orders")).toBe(25);
    expect(value(second, "QueueSize", "shop-1", "orders")).toBe(30);
    expect(value(second, "TotalEnqueueCount", "shop-1")).toBe(130);
    expect(value(second, "TotalConsumerCount", "shop-1")).toBe(0);
    // Collected at 10:01:05: the counts cover the last complete period, 10:00–10:01, stamped with its start.
    expect(new Set(second.map((datum) => datum.Timestamp?.toISOString()))).toEqual(
      new Set(["2026-12-01T10:00:00.000Z"]),
    );
    expect(new Set(second.map((datum) => datum.StorageResolution))).toEqual(new Set([60]));
  });

  it("counts activity between its start and its first collection", async () => {
    const broker = await fakeBroker();
    Object.assign(broker.queue("orders"), { enqueueCount: 100 });
    const run = collector(() => [single("shop", broker.port)]);
    // The start's baseline read: both requests answered.
    await expect.poll(() => broker.answered).toBe(2);

    broker.queue("orders").enqueueCount = 104;
    await run.collector.collectOnce();

    expect(value(run.last(), "EnqueueCount", "shop-1", "orders")).toBe(4);
  });

  it("counts everything of a broker it could not read at its start (started later)", async () => {
    const port = await closedPort();
    const run = collector(() => [single("late", port)]);
    await run.collector.collectOnce();
    expect(run.last()).toEqual([]);

    const broker = await fakeBroker(port);
    Object.assign(broker.queue("orders"), { enqueueCount: 12, size: 12 });
    run.tick();
    await run.collector.collectOnce();

    expect(value(run.last(), "EnqueueCount", "late-1", "orders")).toBe(12);
  });

  it("counts a queue created after the first collection from zero", async () => {
    const broker = await fakeBroker();
    const run = collector(() => [single("shop", broker.port)]);
    await run.collector.collectOnce();

    Object.assign(broker.queue("new-queue"), { enqueueCount: 7, size: 7 });
    run.tick();
    await run.collector.collectOnce();

    expect(value(run.last(), "EnqueueCount", "shop-1", "new-queue")).toBe(7);
  });

  it("after a broker restart counts what the new run counted, never a negative or the history", async () => {
    const broker = await fakeBroker();
    Object.assign(broker.queue("orders"), { enqueueCount: 5_000, dequeueCount: 5_000, size: 3 });
    const run = collector(() => [single("shop", broker.port)]);
    await run.collector.collectOnce();

    const port = broker.port;
    await broker.stop();
    broker.restart();
    await broker.start();
    expect(broker.port).toBe(port);
    Object.assign(broker.queue("orders"), { enqueueCount: 6, dequeueCount: 2 });
    run.tick();
    await run.collector.collectOnce();

    expect(value(run.last(), "EnqueueCount", "shop-1", "orders")).toBe(6);
    expect(value(run.last(), "DequeueCount", "shop-1", "orders")).toBe(2);
    expect(run.last().every((datum) => (datum.Value ?? -1) >= 0)).toBe(true);
  });

  it("publishes only for the instance that answers, so after a failover the other suffix reports", async () => {
    const active = await fakeBroker();
    const standbyPort = await closedPort();
    const run = collector(() => [single("pair", active.port, standbyPort)]);
    Object.assign(active.queue("orders"), { enqueueCount: 4, size: 4 });

    await run.collector.collectOnce();
    const brokers = (data: MetricDatum[]) =>
      new Set(data.map((datum) => datum.Dimensions?.find((dimension) => dimension.Name === "Broker")?.Value));
    expect(brokers(run.last())).toEqual(new Set(["pair-1"]));

    // kill -9 of the active one: the standby takes the store (messages kept, counters from 0).
    await active.stop();
    const promoted = await fakeBroker(standbyPort);
    promoted.brokerId = "ID:fake-2";
    Object.assign(promoted.queue("orders"), { enqueueCount: 3, size: 7 });
    run.tick();
    await run.collector.collectOnce();

    expect(brokers(run.last())).toEqual(new Set(["pair-2"]));
    expect(value(run.last(), "EnqueueCount", "pair-2", "orders")).toBe(3);
    expect(value(run.last(), "QueueSize", "pair-2", "orders")).toBe(7);
  });

  it("skips an instance that accepts connections but does not answer, within the read timeout", async () => {
    const hung = await fakeBroker();
    hung.answers = false;
    const healthy = await fakeBroker();
    healthy.queue("orders").size = 2;
    const lines: string[] = [];
    const run = collector(() => [single("hung", hung.port), single("healthy", healthy.port)], {
      log: (line) => lines.push(line),
    });

    const began = Date.now();
    await run.collector.collectOnce();

    expect(Date.now() - began).toBeLessThan(3_000);
    expect(value(run.last(), "QueueSize", "healthy-1", "orders")).toBe(2);
    expect(run.last().some((datum) => datum.Dimensions?.[0]?.Value === "hung-1")).toBe(false);
    expect(lines.join("\n")).not.toContain(CREDENTIALS.password);
  });

  it("keeps one connection per instance across periods and closes it on stop", async () => {
    const broker = await fakeBroker();
    const run = collector(() => [single("shop", broker.port)]);

    await run.collector.collectOnce();
    await run.collector.collectOnce();
    await run.collector.collectOnce();
    expect(broker.sockets.size).toBe(1);

    await run.collector.stop();
    await expect.poll(() => broker.sockets.size).toBe(0);
  });

  it("skips ActiveMQ's own queues, keeps the DLQ, and publishes at most 1,000 queues in calls of at most 1,000 datums", async () => {
    const broker = await fakeBroker();
    for (let index = 0; index < 1_005; index++) broker.queue(`q-${String(index).padStart(4, "0")}`);
    broker.queue("ActiveMQ.Advisory.Queue");
    broker.queue("ID:vm-1-2:1:1");
    broker.queue("ActiveMQ.DLQ").size = 1;
    // A thousand replies take a while on a loaded machine; this test is not about timeouts.
    const run = collector(() => [single("big", broker.port)], { readMs: 15_000 });

    await run.collector.collectOnce();

    const data = run.published.flatMap((call) => call.data);
    const queues = new Set(
      data
        .flatMap((datum) => datum.Dimensions?.filter((dimension) => dimension.Name === "Queue") ?? [])
        .map((dimension) => dimension.Value),
    );
    expect(queues.size).toBe(1_000);
    expect(queues.has("ActiveMQ.DLQ")).toBe(true);
    expect(queues.has("ActiveMQ.Advisory.Queue")).toBe(false);
    expect(queues.has("ID:vm-1-2:1:1")).toBe(false);
    expect(Math.max(...run.published.map((call) => call.data.length))).toBeLessThanOrEqual(1_000);
  });

  it("refuses a wrong password like any unreachable instance", async () => {
    const broker = await fakeBroker();
    const run = collector(() => [
      { ...single("shop", broker.port), credentials: { username: CREDENTIALS.username, password: "wrong" } },
    ]);

    await run.collector.collectOnce();

    expect(run.last()).toEqual([]);
  });

  it("collects on its own at the next wall-clock boundary, stamped with the period that just ended", async () => {
    const broker = await fakeBroker();
    broker.queue("orders").size = 1;
    // A clock 100 ms before 10:00:10, in step with real time so the timer fires then.
    const offset = T0 + 10_000 - 100 - Date.now();
    const published: Published[] = [];
    const scheduled = startMetricsCollector({
      periodSeconds: 10,
      brokers: () => [single("shop", broker.port)],
      publish: (namespace, data) => {
        published.push({ namespace, data });
      },
      now: () => Date.now() + offset,
    });
    started.collectors.push(scheduled);

    await expect.poll(() => published.length, { timeout: 3_000 }).toBeGreaterThan(0);

    const data = published[0]?.data ?? [];
    expect(value(data, "QueueSize", "shop-1", "orders")).toBe(1);
    expect(data[0]?.Timestamp?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(data[0]?.StorageResolution).toBe(1);
  });
});
