/**
 * Failover detection latency on the local cloud with real ActiveMQ JVMs: kill -9 of the active
 * instance of an active/standby pair → BrokerFailoverDetected on the bus (events.jsonl). Prints the
 * distribution of `detectedAt − kill` and of the event's arrival in the log; asserts nothing.
 * Flapping is switched off (every kill is a change worth announcing here).
 *
 *   npm run bench:failover [-- --kills 10 --interval 1]
 *   npm run bench:failover -- --false-alarms --seconds 3600 [--burners 1]   (false-alarms.ts)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { LocalCloudProcess } from "../../test/integration/support/local-cloud-process.js";
import { falseAlarms } from "./false-alarms.js";
import { createPair, loggedEvents } from "./pair.js";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "20" },
    interval: { type: "string", default: "1" },
    "false-alarms": { type: "boolean", default: false },
    seconds: { type: "string", default: "3600" },
    burners: { type: "string", default: "1" },
  },
});
const kills = Number(values.kills);
const interval = Number(values.interval);

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-failover-"));
const cloud = new LocalCloudProcess(dataDir, {
  FAILOVER_PROBE_INTERVAL_SECONDS: String(interval),
  FAILOVER_PROBE_TIMEOUT_MS: "500",
  FAILOVER_FLAPPING_CHANGES: "1000",
});

const DETECTED = new Set(["BrokerFailoverDetected"]);
const failovers = (brokerId: string) => loggedEvents(dataDir, brokerId, DETECTED);

function listener(port: number): number | undefined {
  const held = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const match = /pid=(\d+),/.exec(held);
  return match === null ? undefined : Number(match[1]);
}
const javaCount = (brokerId: string) => {
  try {
    return execFileSync("pgrep", ["-f", `xbean:file:${path.join(dataDir, "brokers", brokerId)}/`], {
      encoding: "utf8",
    })
      .trim()
      .split("\n").length;
  } catch {
    return 0;
  }
};

/**
 * Whether the instance not listening has logged, since its latest start, that it waits for the lock
 * as the standby (ActiveMQ's SharedFileLocker: "… is locked by another server. This broker is now in
 * slave mode waiting a lock to be acquired").
 */
function standbyWaiting(brokerId: string, ports: number[]): boolean {
  const standby = ports.findIndex((port) => listener(port) === undefined);
  if (standby < 0) return false;
  const log = path.join(dataDir, "brokers", brokerId, `instance-${standby + 1}`, "activemq.log");
  if (!existsSync(log)) return false;
  const text = readFileSync(log, "utf8");
  return text.lastIndexOf("slave mode waiting a lock") > text.lastIndexOf("Using Persistence Adapter");
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function main() {
  await cloud.start();
  const sfn = new SFNClient(cloud.clientConfig());
  const { brokerId, openwirePorts: ports } = await createPair(cloud, "bench-failover");
  const machines = await sfn.send(new ListStateMachinesCommand({}));
  const machine = machines.stateMachines?.find((candidate) => candidate.name?.endsWith("failover"));
  const detected: number[] = [];
  const logged: number[] = [];
  for (let kill = 0; kill < kills; kill++) {
    // A pair, not just two JVMs: the one not serving has reached the KahaDB lock and waits on it, so the
    // kill is a failover and not an outage (a restarted JVM still booting cannot take over).
    const standbyStarted = Date.now();
    while (
      !(javaCount(brokerId) === 2 && standbyWaiting(brokerId, ports)) &&
      Date.now() - standbyStarted < 60_000
    )
      await sleep(200);
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine?.stateMachineArn,
        input: JSON.stringify({ source: "manual", brokerIds: [brokerId], rounds: Math.ceil(25 / interval) }),
      }),
    );
    await sleep(2_500);
    const activePort = ports.find((port) => listener(port) !== undefined);
    const pid = activePort === undefined ? undefined : listener(activePort);
    if (pid === undefined) continue;
    const seen = failovers(brokerId).length;
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    while (failovers(brokerId).length === seen && Date.now() - killedAt < 20_000) await sleep(50);
    const event = failovers(brokerId)[seen];
    if (event === undefined) {
      console.log(`kill ${kill + 1}: no BrokerFailoverDetected within 20 s`);
      continue;
    }
    detected.push(Date.parse(event.detail.detectedAt ?? "") - killedAt);
    logged.push(Date.now() - killedAt);
    console.log(
      `kill ${kill + 1}: detected after ${detected.at(-1)} ms, in events.jsonl after ${logged.at(-1)} ms`,
    );
  }
  for (const [name, values] of [
    ["kill → detectedAt", detected],
    ["kill → event on the bus (polled every 50 ms)", logged],
  ] as const) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `${name}: n=${sorted.length}/${kills} p50=${percentile(sorted, 50)} ms p95=${percentile(sorted, 95)} ms max=${sorted.at(-1)} ms (probe interval ${interval} s)`,
    );
  }
}

if (values["false-alarms"]) {
  rmSync(dataDir, { recursive: true, force: true });
  await falseAlarms(Number(values.seconds), Number(values.burners));
} else {
  try {
    await main();
  } finally {
    await cloud.stop();
    cloud.killLeftovers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
