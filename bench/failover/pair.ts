import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { LocalCloudProcess } from "../../test/integration/support/local-cloud-process.js";

/** The broker user both failover benches create their pair with and send as. */
export const BENCH_USER = { username: "bench", password: "Bench-Failover-42" };

export interface BenchPair {
  brokerId: string;
  /** The pair's STOMP URL as a `failover:(…,…)` URL, so a client rides through a failover. */
  stompUrl: string;
  /** Each instance's OpenWire port, in instance order (the active one is the one listening). */
  openwirePorts: number[];
}

/** Creates an ACTIVE_STANDBY_MULTI_AZ broker through the API and waits for its provisioning to end. */
export async function createPair(cloud: LocalCloudProcess, brokerName: string): Promise<BenchPair> {
  const created = await cloud.api("POST", "/brokers", {
    brokerName,
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    hostInstanceType: "mq.m5.large",
    users: [BENCH_USER],
  });
  const execution = await cloud.executionResult(String(created.body.executionId));
  const brokerId = (execution.output as { brokerId: string }).brokerId;
  const shown = await cloud.api("GET", `/brokers/${brokerId}`);
  const stomp = String((shown.body.urls as Record<string, string>).stomp);
  const openwirePorts = (shown.body.instances as { endpoints: string[] }[]).map((instance) =>
    Number(/tcp:\/\/[^:]+:(\d+)/.exec(instance.endpoints.join(" "))?.[1]),
  );
  return { brokerId, stompUrl: stomp.startsWith("failover:") ? stomp : `failover:(${stomp})`, openwirePorts };
}

/** An event the local cloud appended to `<data>/events.jsonl`. */
export interface LoggedEvent {
  "detail-type": string;
  time?: string;
  detail: { brokerId?: string; detectedAt?: string; detail?: { to?: { instance: number } } };
}

/** The broker's events of these detail-types on the local bus, oldest first. */
export function loggedEvents(dataDir: string, brokerId: string, types: ReadonlySet<string>): LoggedEvent[] {
  const file = path.join(dataDir, "events.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LoggedEvent)
    .filter((event) => types.has(event["detail-type"]) && event.detail.brokerId === brokerId);
}
