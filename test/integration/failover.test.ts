import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failoverStateKey } from "../../functions/failover/keys.js";
import { LocalCloudProcess } from "./support/local-cloud-process.js";

// The local cloud with real ActiveMQ JVMs: the failover workflow probes an active/standby pair every
// second while the test kills its JVMs, and what it publishes lands in events.jsonl and
// sns-messages.jsonl in the data directory.
const TIMEOUT_MS = 180_000;
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-failover-"));
const cloud = new LocalCloudProcess(dataDir, {
  FAILOVER_PROBE_INTERVAL_SECONDS: "1",
  FAILOVER_PROBE_TIMEOUT_MS: "500",
  FAILOVER_UNAVAILABLE_AFTER_CHECKS: "2",
  // Failover, unavailable and recovered are three changes: the fourth makes the broker flapping.
  FAILOVER_FLAPPING_CHANGES: "4",
});
const USER = { username: "app", password: "Failover-Pass-42" };

interface LoggedEvent {
  "detail-type": string;
  source: string;
  detail: { brokerId: string; detail: Record<string, { instance?: number; endpoint?: string } | undefined> };
}

const lines = <T>(file: string): T[] =>
  existsSync(path.join(dataDir, file))
    ? readFileSync(path.join(dataDir, file), "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as T)
    : [];

const failoverEvents = (brokerId: string) =>
  lines<LoggedEvent>("events.jsonl").filter(
    (event) => event.source === "mqops" && event.detail.brokerId === brokerId,
  );
const types = (brokerId: string) => failoverEvents(brokerId).map((event) => event["detail-type"]);

function javaPids(brokerId: string): number[] {
  try {
    return execFileSync("pgrep", ["-f", `xbean:file:${path.join(dataDir, "brokers", brokerId)}/`], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return [];
  }
}

/** The pid of the JVM listening on a port (the active instance; a standby binds nothing). */
function listener(port: number): number | undefined {
  const holder = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const match = /pid=(\d+),/.exec(holder);
  return match === null ? undefined : Number(match[1]);
}

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let brokerId = "";
let endpoints: string[][] = [];
let executionArn: string | undefined;
let sfn: SFNClient;
let doc: DynamoDBDocumentClient;

const recorded = async () =>
  (await doc.send(new GetCommand({ TableName: "mqops-local-state", Key: failoverStateKey(brokerId) }))).Item;
const portOf = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)?.[1]);

/** Starts a run that probes the broker every second for `rounds` rounds (besides the minute schedule). */
async function probeFor(rounds: number) {
  const machines = await sfn.send(new ListStateMachinesCommand({}));
  const machine = machines.stateMachines?.find((candidate) => candidate.name?.endsWith("failover"));
  const run = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machine?.stateMachineArn,
      input: JSON.stringify({ source: "manual", brokerIds: [brokerId], rounds }),
    }),
  );
  if (executionArn !== undefined) {
    await sfn.send(new StopExecutionCommand({ executionArn })).catch(() => undefined);
  }
  executionArn = run.executionArn;
}

beforeAll(async () => {
  await cloud.start();
  sfn = new SFNClient(cloud.clientConfig());
  doc = DynamoDBDocumentClient.from(new DynamoDBClient(cloud.clientConfig()));
  const started = await cloud.api("POST", "/brokers", {
    brokerName: "failover-pair",
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    hostInstanceType: "mq.m5.large",
    users: [USER],
  });
  expect(started.status).toBe(202);
  const execution = await cloud.executionResult(String(started.body.executionId));
  expect(execution).toMatchObject({ status: "SUCCEEDED" });
  brokerId = (execution.output as { brokerId: string }).brokerId;
  const described = await cloud.api("GET", `/brokers/${brokerId}`);
  endpoints = (described.body.instances as { endpoints: string[] }[]).map((instance) => instance.endpoints);
  // One long run probing every second for the whole test (the minute schedule may start more: the
  // conditional writes keep their reports single).
  await probeFor(60);
  await until("the baseline", async () => ((await recorded())?.status === "ACTIVE" ? true : undefined));
}, TIMEOUT_MS);

afterAll(async () => {
  if (executionArn !== undefined)
    await sfn.send(new StopExecutionCommand({ executionArn })).catch(() => undefined);
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

describe("failover detection on real brokers", () => {
  it(
    "kill -9 of the active → exactly one BrokerFailoverDetected naming the right instances",
    async () => {
      const before = (await recorded())?.activeInstance as number;
      const activeEndpoint = endpoints[before - 1]?.find((endpoint) => endpoint.startsWith("tcp://")) ?? "";
      const pid = listener(portOf(activeEndpoint));
      expect(pid).toBeDefined();
      process.kill(pid ?? 0, "SIGKILL");

      const event = await until("BrokerFailoverDetected", () =>
        failoverEvents(brokerId).find((candidate) => candidate["detail-type"] === "BrokerFailoverDetected"),
      );
      const other = before === 1 ? 2 : 1;
      expect(event.detail.detail.from?.instance).toBe(before);
      expect(event.detail.detail.to?.instance).toBe(other);
      // The instance reported active really is the one serving: its JVM holds the port.
      const toPort = portOf(String(event.detail.detail.to?.endpoint));
      expect(javaPids(brokerId)).toContain(listener(toPort));
      // Three more rounds (one a second) judge the pair after the event: none may announce more.
      let roundsAfter = 0;
      let lastCheckAt = (await recorded())?.lastCheckAt;
      await until("three more rounds recorded", async () => {
        const latest = (await recorded())?.lastCheckAt;
        if (latest !== lastCheckAt) roundsAfter += 1;
        lastCheckAt = latest;
        return roundsAfter >= 3 ? true : undefined;
      });
      expect(types(brokerId)).toEqual(["BrokerFailoverDetected"]);
      expect(await recorded()).toMatchObject({ status: "ACTIVE", activeInstance: other });
      const notified = lines<{ attributes: Record<string, string>; message: string }>("sns-messages.jsonl")
        .map((message) => JSON.stringify(message.attributes))
        .filter((attributes) => /Broker(FailoverDetected|Unavailable|Recovered|Flapping)/.test(attributes));
      expect(notified).toEqual([expect.stringContaining("BrokerFailoverDetected")]);
      const shown = await cloud.api("GET", `/brokers/${brokerId}`);
      expect(shown.body.failover).toMatchObject({ activeInstance: { instance: other }, status: "ACTIVE" });
    },
    TIMEOUT_MS,
  );

  it(
    "both instances down → one BrokerUnavailable; back → BrokerRecovered",
    async () => {
      await probeFor(60);
      // The runtime restarts dead instances after a backoff: keep killing them until the detector
      // has seen enough silent rounds.
      const killing = setInterval(() => {
        for (const pid of javaPids(brokerId)) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }, 100);
      try {
        await until("BrokerUnavailable", () =>
          types(brokerId).includes("BrokerUnavailable") ? true : undefined,
        );
      } finally {
        clearInterval(killing);
      }
      await probeFor(60);
      await until(
        "BrokerRecovered",
        () => (types(brokerId).includes("BrokerRecovered") ? true : undefined),
        60_000,
      ).catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}; events ${JSON.stringify(types(brokerId))}, JVMs ${javaPids(brokerId).length}, state ${JSON.stringify(await recorded())}`,
        );
      });
      expect(types(brokerId)).toEqual(["BrokerFailoverDetected", "BrokerUnavailable", "BrokerRecovered"]);
      expect(await recorded()).toMatchObject({ status: "ACTIVE" });
    },
    TIMEOUT_MS,
  );

  it(
    "a further failover within ten minutes → one BrokerFlapping, then nothing more is announced",
    async () => {
      const killActive = async () => {
        await until("both JVMs", () => (javaPids(brokerId).length === 2 ? true : undefined), 60_000);
        const ports = endpoints.map((list) => portOf(list.find((e) => e.startsWith("tcp://")) ?? ""));
        const pid = await until("the active JVM", () => ports.map(listener).find((p) => p !== undefined));
        process.kill(pid, "SIGKILL");
      };
      await probeFor(60);
      await killActive();
      await until("BrokerFlapping", () => (types(brokerId).includes("BrokerFlapping") ? true : undefined));
      const changesBefore = (await recorded())?.heldChanges as number;
      await killActive();
      await until("the held change", async () =>
        ((await recorded())?.heldChanges as number) > changesBefore ? true : undefined,
      );
      expect(types(brokerId)).toEqual([
        "BrokerFailoverDetected",
        "BrokerUnavailable",
        "BrokerRecovered",
        "BrokerFlapping",
      ]);
      // Held, not announced: the broker is still flapping (the second kill may catch the restarted
      // instance before it is a standby, so the held change may be a failover or an outage).
      expect(await recorded()).toMatchObject({ flapping: true });
    },
    TIMEOUT_MS,
  );
});
