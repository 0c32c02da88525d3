import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import type { BrokerRunSpec } from "../../local/brokers/types.js";
import { type MetricsCollector, startMetricsCollector } from "../../local/metrics/collector.js";
import { collectableBrokers } from "../../local/metrics/runtime-brokers.js";
import { connectStomp } from "../../local/metrics/stomp-client.js";
import { totalCpuMs } from "./jvm-cpu.js";
import { mean, ms, percentile } from "./percentiles.js";

const USAGE = `Usage: npm run bench:metrics -- [--brokers N] [--queues N] [--collections N] [--round-trips N]
  Starts N real single-instance ActiveMQ brokers (default 3) with --queues queues each (default 200),
  then measures the metrics collector: its CPU and wall time per collection, the brokers' CPU per
  collection, and a send/receive round trip on broker 1 with and without collections running.
  Every JVM it starts is stopped before it exits.`;

const { values } = parseArgs({
  options: {
    brokers: { type: "string", default: "3" },
    queues: { type: "string", default: "200" },
    collections: { type: "string", default: "20" },
    "round-trips": { type: "string", default: "300" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer, got ${raw}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const BROKERS = positive("brokers", values.brokers);
const QUEUES = positive("queues", values.queues);
const COLLECTIONS = positive("collections", values.collections);
const ROUND_TRIPS = positive("round-trips", values["round-trips"]);
/** Between two round trips, so the probe measures latency rather than saturating the broker. */
const ROUND_TRIP_GAP_MS = 10;
const PROBE_QUEUE = "bench.probe";

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-metrics-"));
const runtime = new ActiveMqRuntime({ dataDir });
const user = { username: "bench", password: randomBytes(12).toString("base64url"), groups: ["admins"] };

async function startBrokers(): Promise<BrokerRunSpec[]> {
  const specs: BrokerRunSpec[] = [];
  // One at a time: cold JVMs starting together on two cores take much longer each.
  for (let index = 1; index <= BROKERS; index++) {
    const spec: BrokerRunSpec = {
      brokerId: `bench-${index}`,
      brokerName: `bench-${index}`,
      deploymentMode: "SINGLE_INSTANCE",
      configurationXml: "",
      users: [user],
      ports: await runtime.allocatePorts("SINGLE_INSTANCE"),
    };
    const started = Date.now();
    await runtime.start(spec);
    console.log(`broker ${spec.brokerName} accepting connections after ${Date.now() - started} ms`);
    specs.push(spec);
  }
  return specs;
}

/** One persistent message on each queue, so every broker holds QUEUES queues. */
async function createQueues(spec: BrokerRunSpec): Promise<void> {
  const client = await connectStomp(
    { host: "127.0.0.1", port: spec.ports[0]?.stomp ?? 0, username: user.username, password: user.password },
    5_000,
  );
  for (let queue = 0; queue < QUEUES; queue++) {
    const frame = client.send({ destination: `/queue/bench.q-${queue}`, persistent: "true" });
    frame.write("x");
    frame.end();
  }
  // Fire-and-forget sends: the collector below waits until the broker reports every queue.
  await sleep(500);
  client.destroy();
}

function jvmPids(specs: BrokerRunSpec[]): number[] {
  return specs.flatMap((spec) => runtime.status(spec.brokerId).flatMap((instance) => instance.pid ?? []));
}

type ProbeReply = { kind: "ready" } | { kind: "times"; times: number[] } | { kind: "error"; message: string };

/** The round-trip probe, in a child process (see probe-process.ts). */
class ProbeProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(port: number): Promise<ProbeProcess> {
    const child = fork(path.join(import.meta.dirname, "probe-process.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const probe = new ProbeProcess(child);
    // The credentials travel over IPC, not on the command line.
    await probe.ask({ kind: "connect", port, credentials: user, queue: PROBE_QUEUE });
    return probe;
  }

  async trips(count: number): Promise<number[]> {
    const reply = await this.ask({ kind: "trips", count, gapMs: ROUND_TRIP_GAP_MS });
    return reply.kind === "times" ? reply.times : [];
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private ask(command: object): Promise<ProbeReply> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error("the probe process exited"));
      this.child.once("exit", onExit);
      this.child.once("message", (reply: ProbeReply) => {
        this.child.off("exit", onExit);
        if (reply.kind === "error") reject(new Error(`probe: ${reply.message}`));
        else resolve(reply);
      });
      this.child.send(command);
    });
  }
}

async function main(): Promise<void> {
  let collector: MetricsCollector | undefined;
  let probe: ProbeProcess | undefined;
  try {
    const specs = await startBrokers();
    for (const spec of specs) await createQueues(spec);
    let datumsLast = 0;
    let queuesSeen = 0;
    collector = startMetricsCollector({
      periodSeconds: 60,
      brokers: () => collectableBrokers(runtime),
      publish: (_namespace, data) => {
        datumsLast += data.length;
        queuesSeen += data.filter((datum) => datum.MetricName === "QueueSize").length;
      },
    });
    const collect = async () => {
      datumsLast = 0;
      queuesSeen = 0;
      await (collector as MetricsCollector).collectOnce();
    };
    const deadline = Date.now() + 60_000;
    do {
      await collect();
      if (queuesSeen >= BROKERS * QUEUES) break;
      await sleep(500);
    } while (Date.now() < deadline);
    if (queuesSeen < BROKERS * QUEUES)
      throw new Error(`only ${queuesSeen} of ${BROKERS * QUEUES} queues reported`);
    // Warm-up: JIT on both sides, connections open.
    for (let warm = 0; warm < 3; warm++) await collect();

    const pids = jvmPids(specs);
    const wall: number[] = [];
    const cpu: number[] = [];
    const jvmCpu: number[] = [];
    for (let run = 0; run < COLLECTIONS; run++) {
      const cpuBefore = process.cpuUsage();
      const jvmBefore = totalCpuMs(pids);
      const started = process.hrtime.bigint();
      await collect();
      wall.push(Number(process.hrtime.bigint() - started) / 1e6);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
      jvmCpu.push(totalCpuMs(pids) - jvmBefore);
    }
    const datumsPerCollection = datumsLast;
    // The JVMs' own background CPU over as long as the collections took, for comparison.
    const idleJvmBefore = totalCpuMs(pids);
    const idleWindow = wall.reduce((total, value) => total + value, 0);
    await sleep(idleWindow);
    const idleJvmPerCollection = (totalCpuMs(pids) - idleJvmBefore) / COLLECTIONS;

    const first = specs[0];
    probe = await ProbeProcess.start(first?.ports[0]?.stomp ?? 0);
    await probe.trips(20); // warm-up
    const quiet = await probe.trips(ROUND_TRIPS);
    let collecting = true;
    let collectionsDuring = 0;
    const loop = (async () => {
      while (collecting) {
        await collect();
        collectionsDuring += 1;
      }
    })();
    const busy = await probe.trips(ROUND_TRIPS);
    collecting = false;
    await loop;

    const periodShare = (value: number, periodSeconds: number) =>
      `${((value / (periodSeconds * 1000)) * 100).toFixed(2)} %`;
    console.log("");
    console.log(
      `Metrics collector: ${BROKERS} brokers × ${QUEUES} queues (real JVMs), ${COLLECTIONS} collections, ${datumsPerCollection} datums each`,
    );
    console.log(
      `  wall time per collection     p50 ${ms(percentile(wall, 50))}  p95 ${ms(percentile(wall, 95))}`,
    );
    console.log(
      `  collector CPU per collection p50 ${ms(percentile(cpu, 50))}  p95 ${ms(percentile(cpu, 95))}  (mean ${ms(mean(cpu))}: ${periodShare(mean(cpu), 60)} of a core at 60 s, ${periodShare(mean(cpu), 10)} at 10 s)`,
    );
    console.log(
      `  broker CPU per collection    mean ${ms(mean(jvmCpu))} over ${BROKERS} JVMs (idle background over the same time: ${ms(idleJvmPerCollection)}; /proc ticks of 10 ms)`,
    );
    console.log(`  send→receive round trip on ${first?.brokerName}, ${ROUND_TRIPS} trips each:`);
    console.log(
      `    not collecting             p50 ${ms(percentile(quiet, 50), 2)}  p95 ${ms(percentile(quiet, 95), 2)}`,
    );
    console.log(
      `    collecting back to back     p50 ${ms(percentile(busy, 50), 2)}  p95 ${ms(percentile(busy, 95), 2)}  (${collectionsDuring} collections meanwhile)`,
    );
    console.log(
      `    added latency              p50 ${ms(percentile(busy, 50) - percentile(quiet, 50), 2)}  p95 ${ms(percentile(busy, 95) - percentile(quiet, 95), 2)}`,
    );
  } finally {
    probe?.stop();
    await collector?.stop();
    await runtime.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? error);
  process.exitCode = 1;
});
