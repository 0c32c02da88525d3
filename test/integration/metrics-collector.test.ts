import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import type { BrokerRunSpec, DeploymentMode } from "../../local/brokers/types.js";
import { type MetricsCollector, startMetricsCollector } from "../../local/metrics/collector.js";
import { collectableBrokers } from "../../local/metrics/runtime-brokers.js";
import { StompSession } from "./support/stomp-client.js";

// Real ActiveMQ JVMs (Debian's activemq 5.17): each start takes 2–5 s on two cores.
const BROKER_TEST_TIMEOUT_MS = 120_000;

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-metrics-"));
const runtime = new ActiveMqRuntime({ dataDir });
const USER = { username: "app", password: "app-pass-1234", groups: ["admins"] };
const published: MetricDatum[][] = [];
let collector: MetricsCollector;

async function brokerSpec(id: string, mode: DeploymentMode): Promise<BrokerRunSpec> {
  return {
    brokerId: id,
    brokerName: id,
    deploymentMode: mode,
    configurationXml: "",
    users: [USER],
    ports: await runtime.allocatePorts(mode),
  };
}

function javaRunningUnder(directory: string): boolean {
  try {
    execFileSync("pgrep", ["-f", `activemq.jar start xbean:file:${directory}`]);
    return true;
  } catch {
    return false;
  }
}

function dimension(datum: MetricDatum, name: string): string | undefined {
  return datum.Dimensions?.find((entry) => entry.Name === name)?.Value;
}

function matching(data: MetricDatum[], metric: string, broker: string, queue?: string): MetricDatum[] {
  return data.filter(
    (datum) =>
      datum.MetricName === metric &&
      dimension(datum, "Broker") === broker &&
      dimension(datum, "Queue") === queue,
  );
}

/** Collects (as often as needed) until `done` holds for what was published since `from`; returns that data. */
async function collectUntil(
  from: number,
  done: (data: MetricDatum[]) => boolean,
  timeoutMs = 90_000,
): Promise<MetricDatum[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await collector.collectOnce();
    const data = published.slice(from).flat();
    if (done(data)) return data;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(250);
  }
}

const sum = (data: MetricDatum[]) => data.reduce((total, datum) => total + (datum.Value ?? 0), 0);
const latest = (data: MetricDatum[]) => data.at(-1)?.Value;

beforeAll(() => {
  collector = startMetricsCollector({
    periodSeconds: 60,
    brokers: () => collectableBrokers(runtime),
    publish: (_namespace, data) => {
      published.push(data);
    },
  });
});

afterAll(async () => {
  await collector.stop();
  await runtime.stopAll();
  expect(javaRunningUnder(dataDir)).toBe(false);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a single-instance broker", () => {
  let spec: BrokerRunSpec;

  beforeAll(async () => {
    spec = await brokerSpec("metrics-single", "SINGLE_INSTANCE");
    await runtime.start(spec);
  }, BROKER_TEST_TIMEOUT_MS);

  it(
    "publishes the broker's own enqueue and dequeue counts and queue size",
    async () => {
      const port = spec.ports[0]?.stomp ?? 0;
      const session = await StompSession.connect(port, USER);
      // The queue exists before the baseline, so every later count is a delta of its counters.
      await session.sendPersistent("orders", ["first"]);
      await session.receive("orders", 1, 10_000);
      // The baseline is a read that reached the instance (under load one may time out, and the first
      // read after it would then count the whole history since the broker started).
      await collectUntil(
        published.length,
        (seen) => latest(matching(seen, "QueueSize", "metrics-single-1", "orders")) === 0,
      );
      const from = published.length;

      await session.sendPersistent(
        "orders",
        Array.from({ length: 20 }, (_, i) => `order-${i}`),
      );
      await session.receive("orders", 8, 10_000);
      await session.close();

      const data = await collectUntil(
        from,
        (seen) =>
          sum(matching(seen, "DequeueCount", "metrics-single-1", "orders")) === 8 &&
          latest(matching(seen, "QueueSize", "metrics-single-1", "orders")) === 12,
      );
      expect(sum(matching(data, "EnqueueCount", "metrics-single-1", "orders"))).toBe(20);
      expect(sum(matching(data, "DispatchCount", "metrics-single-1", "orders"))).toBeGreaterThanOrEqual(8);
      expect(latest(matching(data, "TotalMessageCount", "metrics-single-1"))).toBe(12);
      expect(latest(matching(data, "ConsumerCount", "metrics-single-1", "orders"))).toBe(0);
      // ActiveMQ's own destinations are not published.
      const queues = new Set(
        data.map((datum) => dimension(datum, "Queue")).filter((queue) => queue !== undefined),
      );
      expect(
        [...queues].filter((queue) => queue?.startsWith("ActiveMQ.") || queue?.startsWith("ID:")),
      ).toEqual([]);
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "after a restart counts what the restarted broker counted: no negative, no huge value",
    async () => {
      await collector.collectOnce();
      await runtime.stop(spec.brokerId);
      await runtime.start(spec);
      const from = published.length;

      const session = await StompSession.connect(spec.ports[0]?.stomp ?? 0, USER);
      // More than the 21 enqueues before the restart: a plain difference would give 9.
      await session.sendPersistent(
        "orders",
        Array.from({ length: 30 }, (_, i) => `after-restart-${i}`),
      );
      await session.close();

      const data = await collectUntil(
        from,
        (seen) => latest(matching(seen, "QueueSize", "metrics-single-1", "orders")) === 42,
      );
      expect(sum(matching(data, "EnqueueCount", "metrics-single-1", "orders"))).toBe(30);
      expect(data.every((datum) => (datum.Value ?? -1) >= 0)).toBe(true);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("an active/standby pair", () => {
  it(
    "reports on the active instance only; after kill -9 of the active the other suffix carries the data, -2 included",
    async () => {
      const spec = await brokerSpec("metrics-pair", "ACTIVE_STANDBY_MULTI_AZ");
      await runtime.start(spec);
      const initial = await runtime.checkStatus(spec.brokerId);
      const firstActive = initial.findIndex((instance) => instance.active);
      const session = await StompSession.connect(spec.ports[firstActive]?.stomp ?? 0, USER);
      await session.sendPersistent(
        "payments",
        Array.from({ length: 5 }, (_, i) => `payment-${i}`),
      );
      await session.close();

      /** Kills the active instance and waits for the other one's series to carry the queue. */
      const failOver = async (activeIndex: number) => {
        const reporting = `metrics-pair-${activeIndex + 1}`;
        const takingOver = `metrics-pair-${2 - activeIndex}`;
        const before = await collectUntil(
          published.length,
          (seen) => latest(matching(seen, "QueueSize", reporting, "payments")) === 5,
        );
        expect(before.filter((datum) => dimension(datum, "Broker") === takingOver)).toEqual([]);

        const status = await runtime.checkStatus(spec.brokerId);
        process.kill(status[activeIndex]?.pid ?? 0, "SIGKILL");
        const after = await collectUntil(
          published.length,
          (seen) => latest(matching(seen, "QueueSize", takingOver, "payments")) === 5,
          60_000,
        );
        expect((published.at(-1) ?? []).some((datum) => dimension(datum, "Broker") === reporting)).toBe(
          false,
        );
        expect(after.every((datum) => (datum.Value ?? -1) >= 0)).toBe(true);
      };

      await failOver(firstActive);
      if (firstActive === 1) {
        // Instance 2 was active first: once the runtime has brought it back as the standby, fail over
        // again so that the -2 series takes over too.
        await expect
          .poll(async () => (await runtime.checkStatus(spec.brokerId))[1]?.pid, { timeout: 60_000 })
          .toBeDefined();
        await failOver(0);
      }
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});
