/**
 * Maintenance figures on the local cloud (real JVMs; `mqops up` as a child process):
 * - a rolling upgrade (5.18 → 5.19) of an active/standby broker by POST /maintenance under live traffic
 *   on its failover URL: messages lost (goal 0), duplicates, the longest gap in which no send
 *   succeeded (goal: at most twice the standby's takeover time);
 * - the standby's takeover time: the longest send gap when the active JVM is killed (kill -9);
 * - a single-instance broker's downtime during the same upgrade (it is offline while it reboots).
 * Each is run `MQOPS_BENCH_RUNS` times (default 3). `npm run bench:maintenance`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { acceptsConnections } from "../../local/brokers/ports.js";
import { LiveTraffic, type TrafficFigures } from "../../test/integration/support/live-traffic.js";
import { LocalCloudProcess } from "../../test/integration/support/local-cloud-process.js";

const RUNS = Number(process.env.MQOPS_BENCH_RUNS ?? 3);
const USER = { username: "bench", password: "Bench-Password-2024" };
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-maintenance-"));
const cloud = new LocalCloudProcess(dataDir);

interface Broker {
  brokerId: string;
  stompUrl: string;
}

async function provision(brokerName: string, pair: boolean): Promise<Broker> {
  const created = await cloud.api("POST", "/brokers", {
    brokerName,
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode: pair ? "ACTIVE_STANDBY_MULTI_AZ" : "SINGLE_INSTANCE",
    hostInstanceType: pair ? "mq.m5.large" : "mq.t3.micro",
    users: [USER],
  });
  if (created.status !== 202)
    throw new Error(`POST /brokers: ${created.status} ${JSON.stringify(created.body)}`);
  const result = await cloud.executionResult(String(created.body.executionId), 120_000);
  if (result.status !== "SUCCEEDED") throw new Error(`provisioning ${brokerName}: ${JSON.stringify(result)}`);
  const output = result.output as { brokerId: string; endpoints: { urls: Record<string, string> } };
  return { brokerId: output.brokerId, stompUrl: output.endpoints.urls.stomp ?? "" };
}

/** Runs maintenance on one broker to 5.19 and waits for the run to end. */
async function upgrade(brokerId: string): Promise<{ status: string; seconds: number }> {
  const started = Date.now();
  const response = await cloud.api("POST", "/maintenance", {
    brokerIds: [brokerId],
    targetEngineVersion: "5.19",
  });
  if (response.status !== 202) throw new Error(`POST /maintenance: ${response.status}`);
  const id = String(response.body.maintenanceId);
  for (;;) {
    await sleep(500);
    const run = (await cloud.api("GET", `/maintenance/${id}`)).body;
    if (run.status !== "RUNNING")
      return { status: String(run.status), seconds: (Date.now() - started) / 1000 };
  }
}

async function withTraffic(
  broker: Broker,
  queue: string,
  during: () => Promise<void>,
): Promise<TrafficFigures> {
  const traffic = new LiveTraffic(broker.stompUrl, USER, queue, 10);
  traffic.start();
  while (traffic.receivedCount < 50) await sleep(50);
  await during();
  await sleep(2_000);
  return traffic.stop(30_000);
}

/** kill -9 of the pair's active JVM (the instance whose OpenWire port accepts connections). */
async function killActive(broker: Broker): Promise<void> {
  const ports = [...broker.stompUrl.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  for (const [index, port] of ports.entries()) {
    if (!(await acceptsConnections(port))) continue;
    const dir = path.join(dataDir, "brokers", broker.brokerId, `instance-${index + 1}`);
    const pids = execFileSync("pgrep", ["-f", `xbean:file:${dir}/`], { encoding: "utf8" })
      .trim()
      .split("\n");
    for (const pid of pids) process.kill(Number(pid), "SIGKILL");
    return;
  }
  throw new Error("no active instance found");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main() {
  await cloud.start(120_000);
  try {
    const takeovers: number[] = [];
    const rolling: TrafficFigures[] = [];
    const single: TrafficFigures[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const [pair, alone] = await Promise.all([
        provision(`bench-pair-${run}`, true),
        provision(`bench-single-${run}`, false),
      ]);
      const takeover = await withTraffic(pair, "bench.takeover", async () => {
        await killActive(pair);
        await sleep(5_000);
      });
      takeovers.push(takeover.longestSendGapMs);
      let pairRun = { status: "", seconds: 0 };
      rolling.push(
        await withTraffic(pair, "bench.rolling", async () => {
          pairRun = await upgrade(pair.brokerId);
        }),
      );
      let singleRun = { status: "", seconds: 0 };
      single.push(
        await withTraffic(alone, "bench.single", async () => {
          singleRun = await upgrade(alone.brokerId);
        }),
      );
      const last = rolling.at(-1);
      const lastSingle = single.at(-1);
      console.log(
        `run ${run}: takeover gap ${takeover.longestSendGapMs} ms (lost ${takeover.lost}); ` +
          `rolling upgrade ${pairRun.status} in ${pairRun.seconds.toFixed(1)} s: ${last?.confirmed} sent, lost ${last?.lost}, ` +
          `duplicates ${last?.duplicates}, longest send gap ${last?.longestSendGapMs} ms; ` +
          `single instance ${singleRun.status} in ${singleRun.seconds.toFixed(1)} s: downtime ${lastSingle?.longestSendGapMs} ms, lost ${lastSingle?.lost}`,
      );
    }
    const takeover = median(takeovers);
    const gap = median(rolling.map((f) => f.longestSendGapMs));
    console.log(
      "\nMaintenance figures (median of",
      RUNS,
      "runs, local cloud, Debian's ActiveMQ 5.17.2 JVMs)",
    );
    console.log(`  standby takeover (kill -9 of the active): longest send gap ${takeover} ms`);
    console.log(
      `  rolling upgrade of an active/standby pair: lost ${rolling.reduce((s, f) => s + f.lost, 0)} in total, ` +
        `duplicates ${rolling.reduce((s, f) => s + f.duplicates, 0)} in total, longest send gap ${gap} ms ` +
        `(${(gap / Math.max(takeover, 1)).toFixed(1)}× the takeover; goal ≤ 2×)`,
    );
    console.log(
      `  single-instance upgrade: downtime (longest send gap) ${median(single.map((f) => f.longestSendGapMs))} ms, ` +
        `lost ${single.reduce((s, f) => s + f.lost, 0)} in total`,
    );
  } finally {
    await cloud.stop();
    cloud.killLeftovers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
