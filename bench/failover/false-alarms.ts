/**
 * False alarms of failover detection: a healthy active/standby pair under load (one producer and one
 * consumer on the failover URL) on a busy machine (`--burners` processes spinning a CPU each), checked
 * by the local cloud's own schedule (a run every minute, probing every FAILOVER_PROBE_INTERVAL_SECONDS)
 * for `--seconds`. Nothing is killed, so every failover event on the bus is a false alarm. Prints the
 * measured duration, the rounds probed and the count of events by type; asserts nothing.
 *
 *   npm run bench:failover -- --false-alarms --seconds 3600 [--burners 1]
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { LiveTraffic } from "../../test/integration/support/live-traffic.js";
import { LocalCloudProcess } from "../../test/integration/support/local-cloud-process.js";
import { BENCH_USER, createPair, loggedEvents } from "./pair.js";

const FAILOVER_TYPES = new Set([
  "BrokerFailoverDetected",
  "BrokerUnavailable",
  "BrokerRecovered",
  "BrokerFlapping",
  "BrokerPromotionProposed",
  "BrokerPromoted",
]);

/** A process that keeps one CPU busy until killed: the "busy machine". */
const burner = (): ChildProcess =>
  spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore", detached: false });

export async function falseAlarms(seconds: number, burners: number): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-false-alarms-"));
  const cloud = new LocalCloudProcess(dataDir);
  const spinning: ChildProcess[] = [];
  let traffic: LiveTraffic | undefined;
  try {
    await cloud.start();
    const { brokerId, stompUrl } = await createPair(cloud, "bench-false-alarms");
    traffic = new LiveTraffic(stompUrl, BENCH_USER, "bench.load", 5);
    traffic.start();
    for (let i = 0; i < burners; i++) spinning.push(burner());
    const startedAt = Date.now();
    console.log(`false alarms: broker ${brokerId}, ${burners} burner(s), load on, for ${seconds} s`);
    while (Date.now() - startedAt < seconds * 1000) {
      await sleep(Math.min(60_000, startedAt + seconds * 1000 - Date.now()));
      const elapsed = Math.round((Date.now() - startedAt) / 1000);
      console.log(
        `  ${elapsed} s: ${loggedEvents(dataDir, brokerId, FAILOVER_TYPES).length} failover event(s), ${traffic.confirmedCount} messages sent, ${traffic.receivedCount} received`,
      );
    }
    const measuredSeconds = Math.round((Date.now() - startedAt) / 1000);
    for (const child of spinning) child.kill("SIGKILL");
    spinning.length = 0;
    const figures = await traffic.stop();
    traffic = undefined;
    const sfn = new SFNClient(cloud.clientConfig());
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    const machine = machines.stateMachines?.find((candidate) => candidate.name?.endsWith("failover"));
    const runs = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machine?.stateMachineArn, maxResults: 1000 }),
    );
    let rounds = 0;
    let failedRuns = 0;
    for (const run of runs.executions ?? []) {
      if (run.status === "FAILED") failedRuns++;
      if (run.status !== "SUCCEEDED") continue;
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: run.executionArn }));
      const output = JSON.parse(described.output ?? "{}") as { outcomes?: { rounds?: number }[] };
      for (const outcome of output.outcomes ?? []) rounds += outcome.rounds ?? 0;
    }
    const events = loggedEvents(dataDir, brokerId, FAILOVER_TYPES);
    const byType = new Map<string, number>();
    for (const event of events) byType.set(event["detail-type"], (byType.get(event["detail-type"]) ?? 0) + 1);
    console.log(
      `false alarms: ${events.length} in ${measuredSeconds} s (${[...byType].map(([type, n]) => `${type}=${n}`).join(", ") || "none"}); ` +
        `${runs.executions?.length ?? 0} scheduled runs (${failedRuns} failed), ${rounds} probe rounds; ` +
        `load: ${figures.confirmed} sent, ${figures.lost} lost, longest send gap ${figures.longestSendGapMs} ms; ${burners} burner(s)`,
    );
  } finally {
    for (const child of spinning) child.kill("SIGKILL");
    if (traffic !== undefined) await traffic.stop(1_000).catch(() => undefined);
    await cloud.stop();
    cloud.killLeftovers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
