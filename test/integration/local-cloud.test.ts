import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  DescribeBrokerCommand,
  RebootBrokerCommand,
  UpdateBrokerCommand,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptsConnections } from "../../local/brokers/ports.js";
import { CLOUD_CREDENTIALS, LocalCloudProcess } from "./support/local-cloud-process.js";
import { StompSession } from "./support/stomp-client.js";

// The whole local cloud as a user runs it (`mqops up` in a child process), driven through its HTTP API
// and its Amazon MQ endpoint, with real ActiveMQ JVMs behind every broker.
const TIMEOUT_MS = 180_000;
const USER = { username: "app", password: "Integration-Pass-42" };
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-cloud-"));
const cloud = new LocalCloudProcess(dataDir);

interface Provisioned {
  brokerId: string;
  urls: Record<string, string>;
}

/** `tcp://127.0.0.1:1234` and `failover:(stomp://127.0.0.1:1,stomp://127.0.0.1:2)` → the ports. */
const portsIn = (url: string) => [...url.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));

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

const passwordLeaks = (text: string) => text.includes(USER.password);

/** Every file under a directory, concatenated. */
const filesUnder = (directory: string): string =>
  readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
    .join("\n");

/** Whether the broker has the queue: ActiveMQ's statistics plugin answers only for a queue that exists. */
async function hasQueue(stompPort: number, queue: string): Promise<boolean> {
  const session = await StompSession.connect(stompPort, USER);
  try {
    await session.sendPersistent(`ActiveMQ.Statistics.Destination.${queue}`, [""], {
      "reply-to": "/queue/stats.reply",
    });
    await session.receive("stats.reply", 1, 3_000, { transformation: "jms-map-json" });
    return true;
  } catch {
    return false;
  } finally {
    session.destroy();
  }
}

async function stateOf(brokerId: string, wanted: string, timeoutMs = 60_000): Promise<string | undefined> {
  const started = Date.now();
  let state: string | undefined;
  while (Date.now() - started < timeoutMs) {
    state = (await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: brokerId }))).BrokerState;
    if (state === wanted) return state;
    await sleep(250);
  }
  return state;
}

async function provision(brokerName: string, deploymentMode: string): Promise<Provisioned> {
  const started = await cloud.api("POST", "/brokers", {
    brokerName,
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode,
    hostInstanceType: "mq.m5.large",
    users: [USER],
  });
  expect(started.status).toBe(202);
  const execution = await cloud.executionResult(String(started.body.executionId));
  expect(execution, JSON.stringify(execution)).toMatchObject({ status: "SUCCEEDED" });
  const output = execution.output as { brokerId: string; endpoints: { urls: Record<string, string> } };
  return { brokerId: output.brokerId, urls: output.endpoints.urls };
}

async function sendAndReceive(sendPort: number, receivePort: number, queue: string, bodies: string[]) {
  const producer = await StompSession.connect(sendPort, USER);
  await producer.sendPersistent(queue, bodies);
  await producer.close();
  const consumer = await StompSession.connect(receivePort, USER);
  const received = await consumer.receive(queue, bodies.length, 20_000);
  await consumer.close();
  return received;
}

beforeAll(async () => {
  await cloud.start();
}, TIMEOUT_MS);

afterAll(async () => {
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

describe("the mqops command", () => {
  it("says clearly that the local cloud is not running, and how to start it", async () => {
    const stopped = new LocalCloudProcess(path.join(dataDir, "nothing-here"));
    const result = await stopped.cli(["brokers", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /The local cloud is not running on .*nothing-here\. Start it in another terminal with: npm start/,
    );
  });

  it("prints the API's 400 with every bad field, and its 404 for an unknown broker", async () => {
    const bad = await cloud.cli(["brokers", "create", "--name", "bad name!", "--user", "admin:Zq9x"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/400 ValidationError/);
    expect(bad.stderr).toMatch(/brokerName: must be 1-50 of letters, digits, - and _/);
    expect(bad.stderr).toMatch(/users\[0\]\.password:/);
    expect(bad.stderr).not.toContain("Zq9x");
    const missing = await cloud.cli(["brokers", "get", "b-00000000-0000-0000-0000-000000000000"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^404 BrokerNotFound/);
  });

  it("lists executions and refuses a bad status filter with the API's 400", async () => {
    const listed = await cloud.cli(["executions", "list", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ executions: [] });
    const bad = await cloud.cli(["executions", "list", "--status", "DONE"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/400 ValidationError[\s\S]*status:/);
  });
});

describe("the local cloud with real brokers", () => {
  let single: Provisioned;
  let pair: Provisioned;

  it(
    "provisions a SINGLE_INSTANCE broker through the HTTP API; a persistent message goes through it",
    async () => {
      single = await provision("it-single", "SINGLE_INSTANCE");
      expect(javaPids(single.brokerId)).toHaveLength(1);
      const [stompPort = 0] = portsIn(single.urls.stomp ?? "");
      expect(await sendAndReceive(stompPort, stompPort, "orders", ["m-1"])).toEqual(["m-1"]);
      const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: single.brokerId }));
      expect(described.BrokerState).toBe("RUNNING");
      expect(described.BrokerInstances?.[0]?.Endpoints).toContain(`stomp://127.0.0.1:${stompPort}`);
      // The password is in Secrets Manager and the broker's own files, never in logs or execution history.
      expect(passwordLeaks(cloud.output)).toBe(false);
      expect(passwordLeaks(filesUnder(path.join(dataDir, "states-executions")))).toBe(false);
    },
    TIMEOUT_MS,
  );

  it(
    "mqops brokers create --mode ACTIVE_STANDBY_MULTI_AZ shows progress until RUNNING and prints failover URLs",
    async () => {
      const created = await cloud.cli([
        "brokers",
        "create",
        "--name",
        "it-pair",
        "--mode",
        "ACTIVE_STANDBY_MULTI_AZ",
        "--user",
        `${USER.username}:${USER.password}`,
      ]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toMatch(/WaitForBroker/);
      expect(created.stdout).toMatch(/Broker it-pair is RUNNING \((b-[0-9a-f-]+)\)/);
      const stomp = /stomp\s+(failover:\(stomp:\/\/127\.0\.0\.1:\d+,stomp:\/\/127\.0\.0\.1:\d+\))/.exec(
        created.stdout,
      );
      const openwire = /openwire\s+(failover:\(tcp:\/\/127\.0\.0\.1:\d+,tcp:\/\/127\.0\.0\.1:\d+\))/.exec(
        created.stdout,
      );
      expect(stomp).not.toBeNull();
      expect(openwire).not.toBeNull();
      const brokerId = /\((b-[0-9a-f-]+)\)/.exec(created.stdout)?.[1] ?? "";
      pair = { brokerId, urls: { stomp: stomp?.[1] ?? "", openwire: openwire?.[1] ?? "" } };
      expect(passwordLeaks(created.stdout + created.stderr)).toBe(false);
    },
    TIMEOUT_MS,
  );

  it(
    "the ACTIVE_STANDBY_MULTI_AZ broker's standby takes over after kill -9 of the active with no message lost",
    async () => {
      const [first = 0, second = 0] = portsIn(pair.urls.stomp ?? "");
      const activePort = (await acceptsConnections(first)) ? first : second;
      const standbyPort = activePort === first ? second : first;
      const bodies = Array.from({ length: 200 }, (_, i) => `p-${i}`);
      const producer = await StompSession.connect(activePort, USER);
      await producer.sendPersistent("payments", bodies);
      await producer.close();

      const pids = javaPids(pair.brokerId);
      expect(pids).toHaveLength(2);
      // The active JVM is the one holding the STOMP port; the standby binds nothing while it waits for the lock.
      const holder = execFileSync("ss", ["-ltnpH", `sport = :${activePort}`], { encoding: "utf8" });
      const activePid = pids.find((pid) => holder.includes(`pid=${pid},`));
      expect(activePid).toBeDefined();
      process.kill(activePid ?? 0, "SIGKILL");

      let waited = 0;
      while (!(await acceptsConnections(standbyPort)) && waited < 30_000) {
        await sleep(100);
        waited += 100;
      }
      expect(await acceptsConnections(standbyPort)).toBe(true);
      const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: pair.brokerId }));
      expect(described.BrokerState).toBe("RUNNING");
      const consumer = await StompSession.connect(standbyPort, USER);
      const received = await consumer.receive("payments", bodies.length, 30_000);
      await consumer.close();
      expect(new Set(received)).toEqual(new Set(bodies));
    },
    TIMEOUT_MS,
  );

  it(
    "provisions a CLUSTER_MULTI_AZ network of brokers that forwards a message between instances",
    async () => {
      const cluster = await provision("it-cluster", "CLUSTER_MULTI_AZ");
      expect(javaPids(cluster.brokerId)).toHaveLength(3);
      const [first = 0, second = 0] = portsIn(cluster.urls.stomp ?? "");
      expect(await sendAndReceive(first, second, "events", ["c-1"])).toEqual(["c-1"]);
    },
    TIMEOUT_MS,
  );

  it(
    "keeps brokers and their persistent messages across a restart of the local cloud",
    async () => {
      const [stompPort = 0] = portsIn(single.urls.stomp ?? "");
      const producer = await StompSession.connect(stompPort, USER);
      await producer.sendPersistent("survivors", ["s-1", "s-2"]);
      await producer.close();

      await cloud.stop();
      expect(javaPids(single.brokerId)).toEqual([]);
      expect(await acceptsConnections(stompPort)).toBe(false);

      await cloud.start();
      let state: string | undefined;
      for (let i = 0; i < 120 && state !== "RUNNING"; i++) {
        state = (await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: single.brokerId }))).BrokerState;
        if (state !== "RUNNING") await sleep(500);
      }
      expect(state).toBe("RUNNING");
      const consumer = await StompSession.connect(stompPort, USER);
      expect(await consumer.receive("survivors", 2, 20_000)).toEqual(["s-1", "s-2"]);
      await consumer.close();
      const listed = await cloud.api("GET", "/brokers");
      expect((listed.body.brokers as { brokerName: string }[]).map((b) => b.brokerName).sort()).toEqual([
        "it-cluster",
        "it-pair",
        "it-single",
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    "UpdateBroker with a new configuration revision, then RebootBroker, restarts the broker with it",
    async () => {
      const [stompPort = 0] = portsIn(single.urls.stomp ?? "");
      const mq = cloud.mq();
      const before = await mq.send(new DescribeBrokerCommand({ BrokerId: single.brokerId }));
      const configurationId = before.Configurations?.Current?.Id ?? "";
      const xml =
        '<broker xmlns="http://activemq.apache.org/schema/core"><destinations>' +
        '<queue physicalName="declared.by.revision"/></destinations></broker>';
      const updated = await mq.send(
        new UpdateConfigurationCommand({
          ConfigurationId: configurationId,
          Data: Buffer.from(xml).toString("base64"),
        }),
      );
      const revision = updated.LatestRevision?.Revision ?? 0;
      await mq.send(
        new UpdateBrokerCommand({
          BrokerId: single.brokerId,
          Configuration: { Id: configurationId, Revision: revision },
        }),
      );
      const staged = await mq.send(new DescribeBrokerCommand({ BrokerId: single.brokerId }));
      expect(staged.Configurations?.Pending).toEqual({ Id: configurationId, Revision: revision });
      expect(await hasQueue(stompPort, "declared.by.revision")).toBe(false);

      await mq.send(new RebootBrokerCommand({ BrokerId: single.brokerId }));
      expect(await stateOf(single.brokerId, "RUNNING")).toBe("RUNNING");
      const rebooted = await mq.send(new DescribeBrokerCommand({ BrokerId: single.brokerId }));
      expect(rebooted.Configurations?.Current).toEqual({ Id: configurationId, Revision: revision });
      expect(rebooted.Configurations?.Pending).toBeUndefined();
      expect(await hasQueue(stompPort, "declared.by.revision")).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    "finishes a provisioning execution that was running when the local cloud stopped, with one broker",
    async () => {
      const started = await cloud.api("POST", "/brokers", {
        brokerName: "it-interrupted",
        engineType: "ACTIVEMQ",
        engineVersion: "5.18",
        deploymentMode: "SINGLE_INSTANCE",
        hostInstanceType: "mq.m5.large",
        users: [USER],
      });
      expect(started.status).toBe(202);
      await cloud.stop();
      await cloud.start();

      const execution = await cloud.executionResult(String(started.body.executionId));
      expect(execution, JSON.stringify(execution)).toMatchObject({ status: "SUCCEEDED" });
      // It was re-run from its start after the restart (the broker's 2 s state poll had not ended at the stop).
      const sfn = new SFNClient({ endpoint: cloud.url, region: "us-east-1", credentials: CLOUD_CREDENTIALS });
      const described = await sfn.send(
        new DescribeExecutionCommand({ executionArn: String(execution.executionArn) }),
      );
      expect(described.redriveCount).toBe(1);
      const listed = await cloud.api("GET", "/brokers");
      const named = (listed.body.brokers as { brokerName: string; brokerState: string }[]).filter(
        (broker) => broker.brokerName === "it-interrupted",
      );
      expect(named).toEqual([expect.objectContaining({ brokerState: "RUNNING" })]);
      const brokerId = (execution.output as { brokerId: string }).brokerId;
      expect(javaPids(brokerId)).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    "runs beside a second local cloud with its own data directory and port, and refuses a second one on its own",
    async () => {
      const otherDir = mkdtempSync(path.join(tmpdir(), "mqops-cloud-other-"));
      const other = new LocalCloudProcess(otherDir);
      try {
        await other.start();
        expect(other.url).not.toBe(cloud.url);
        const mine = await cloud.api("GET", "/brokers");
        const theirs = await other.api("GET", "/brokers");
        expect((mine.body.brokers as unknown[]).length).toBe(4);
        expect(theirs.body).toEqual({ brokers: [] });

        const twin = new LocalCloudProcess(dataDir);
        await expect(twin.start()).rejects.toThrow(/A local cloud already runs on/);
      } finally {
        await other.stop();
        rmSync(otherDir, { recursive: true, force: true });
      }
    },
    TIMEOUT_MS,
  );

  it(
    "deletes a broker through the HTTP API: processes gone, ports free, state gone",
    async () => {
      const ports = portsIn(single.urls.openwire ?? "").concat(portsIn(single.urls.stomp ?? ""));
      const deleted = await cloud.api("DELETE", `/brokers/${single.brokerId}`);
      expect(deleted.status).toBe(202);
      let gone = false;
      for (let i = 0; i < 120 && !gone; i++) {
        const answer = await cloud
          .mq()
          .send(new DescribeBrokerCommand({ BrokerId: single.brokerId }))
          .catch((e: Error) => e);
        gone = answer instanceof Error && answer.name === "NotFoundException";
        if (!gone) await sleep(500);
      }
      expect(gone).toBe(true);
      expect(javaPids(single.brokerId)).toEqual([]);
      for (const port of ports) expect(await acceptsConnections(port)).toBe(false);
      expect(existsSync(path.join(dataDir, "brokers", single.brokerId))).toBe(false);
      expect((await cloud.api("GET", `/brokers/${single.brokerId}`)).status).toBe(404);
    },
    TIMEOUT_MS,
  );
});
