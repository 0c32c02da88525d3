import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateBrokerCommand,
  DescribeBrokerCommand,
  type DescribeBrokerResponse,
  type MqClient,
  PromoteCommand,
  RebootBrokerCommand,
} from "@aws-sdk/client-mq";
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCloudProcess } from "./support/local-cloud-process.js";
import { StompSession } from "./support/stomp-client.js";
import { pidsMatching, until } from "./support/wait.js";

// CRDR on the local Amazon MQ with real ActiveMQ JVMs: a replica receives the primary's messages over
// the one-way bridge, SWITCHOVER swaps the roles once replication has caught up, and the failover
// workflow promotes (Promote FAILOVER) a registered replica while its primary is frozen (SIGSTOP:
// its port still accepts TCP but nothing answers, and the runtime does not restart a process that
// is alive); the promoted broker serves the replicated messages.
const TIMEOUT_MS = 120_000;
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-promotion-"));
// A 10 s metrics period, so TotalReplicationLag shows up within the test; the failover workflow
// probes every second.
const cloud = new LocalCloudProcess(dataDir, {
  MQOPS_METRICS_PERIOD_SECONDS: "10",
  FAILOVER_PROBE_INTERVAL_SECONDS: "1",
  FAILOVER_PROBE_TIMEOUT_MS: "500",
});
const USER = { username: "app", password: "Promotion-Pass-42" };
let mq: MqClient;
let primary = { id: "", arn: "" };
let replica = { id: "", arn: "" };
const frozen: number[] = [];

const describeBroker = (id: string) => mq.send(new DescribeBrokerCommand({ BrokerId: id }));

const createBroker = async (name: string, extra: Record<string, string> = {}) => {
  const created = await mq.send(
    new CreateBrokerCommand({
      BrokerName: name,
      EngineType: "ACTIVEMQ",
      EngineVersion: "5.18",
      AutoMinorVersionUpgrade: true,
      DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
      HostInstanceType: "mq.m5.large",
      PubliclyAccessible: false,
      Users: [{ Username: USER.username, Password: USER.password, ReplicationUser: true }],
      // Managed: the failover workflow watches (and may promote) only mqops's brokers.
      Tags: { "mqops:managed": "true" },
      ...extra,
    }),
  );
  return { id: created.BrokerId ?? "", arn: created.BrokerArn ?? "" };
};

const inState = (id: string, state: string) => async () => {
  const broker = await describeBroker(id);
  return broker.BrokerState === state ? broker : undefined;
};

const stompPorts = (broker: DescribeBrokerResponse) =>
  (broker.BrokerInstances ?? []).map((instance) =>
    Number(/stomp:\/\/[^:]+:(\d+)/.exec((instance.Endpoints ?? []).join(" "))?.[1]),
  );

/** A STOMP session on whichever instance of the pair is active. */
async function session(id: string): Promise<StompSession> {
  for (const port of stompPorts(await describeBroker(id))) {
    try {
      return await StompSession.connect(port, USER);
    } catch {
      // the standby binds nothing: try the other instance
    }
  }
  throw new Error(`no instance of ${id} answers`);
}

interface BrowsingClient {
  subscribe(
    headers: Record<string, string>,
    listener: (
      error: Error | null,
      message: { readString(encoding: "utf-8", callback: () => void): void },
    ) => void,
  ): void;
  destroy(): void;
  on(event: "error", listener: () => void): void;
}
const stompit = createRequire(import.meta.url)("stompit") as {
  connect(
    options: { host: string; port: number; connectHeaders: Record<string, string> },
    callback: (error: Error | null, client: BrowsingClient) => void,
  ): void;
};

/**
 * How many messages the queue holds, read with an ActiveMQ queue browser (nothing is consumed). The
 * broker sends no end-of-browse frame over STOMP here: what arrived within a second is the count.
 */
async function browse(id: string, queue: string): Promise<number> {
  for (const port of stompPorts(await describeBroker(id))) {
    const counted = await new Promise<number | undefined>((resolve) => {
      stompit.connect(
        {
          host: "127.0.0.1",
          port,
          connectHeaders: { host: "/", login: USER.username, passcode: USER.password },
        },
        (error, client) => {
          if (error !== null) {
            resolve(undefined);
            return;
          }
          client.on("error", () => resolve(undefined));
          let count = 0;
          // Each body must be read before stompit hands over the next message.
          client.subscribe(
            { destination: `/queue/${queue}`, browser: "true", ack: "auto" },
            (failed, message) => {
              if (failed === null) message.readString("utf-8", () => count++);
            },
          );
          setTimeout(() => {
            client.destroy();
            resolve(count);
          }, 1_000);
        },
      );
    });
    if (counted !== undefined) return counted;
  }
  return 0;
}

interface LoggedEvent {
  "detail-type": string;
  detail: { brokerId: string; detail: Record<string, unknown> };
}
/** The promotion events on the local bus (events.jsonl in the data directory). */
const promotionEvents = (): LoggedEvent[] => {
  const file = path.join(dataDir, "events.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LoggedEvent)
    .filter((event) => event["detail-type"].startsWith("BrokerPromot"));
};

const bodies = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

beforeAll(async () => {
  await cloud.start();
  mq = cloud.mq();
  primary = await createBroker("crdr-primary");
  await until("the primary RUNNING", inState(primary.id, "RUNNING"), 60_000);
  replica = await createBroker("crdr-replica", {
    DataReplicationMode: "CRDR",
    DataReplicationPrimaryBrokerArn: primary.arn,
  });
  await until("the replica running", inState(replica.id, "REPLICA"), 60_000);
}, TIMEOUT_MS);

afterAll(async () => {
  if (process.env.DEBUG_PROMOTION) console.log(cloud.output);
  for (const pid of frozen) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await cloud.stop();
  cloud.killLeftovers();
  if (!process.env.DEBUG_PROMOTION) rmSync(dataDir, { recursive: true, force: true });
});

describe("CRDR on the local Amazon MQ", () => {
  it(
    "makes the primary's CRDR mode pending until its reboot, then shows both roles",
    async () => {
      const pending = await describeBroker(primary.id);
      expect(pending).toMatchObject({
        DataReplicationMode: "NONE",
        PendingDataReplicationMode: "CRDR",
        PendingDataReplicationMetadata: {
          DataReplicationRole: "PRIMARY",
          DataReplicationCounterpart: { BrokerId: replica.id, Region: "us-east-1" },
        },
      });
      await mq.send(new RebootBrokerCommand({ BrokerId: primary.id }));
      const applied = await until("the primary rebooted", inState(primary.id, "RUNNING"), 60_000);
      expect(applied).toMatchObject({
        DataReplicationMode: "CRDR",
        DataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
      });
      expect(applied.PendingDataReplicationMode).toBeUndefined();
      expect(await describeBroker(replica.id)).toMatchObject({
        BrokerState: "REPLICA",
        DataReplicationMode: "CRDR",
        DataReplicationMetadata: {
          DataReplicationRole: "REPLICA",
          DataReplicationCounterpart: { BrokerId: primary.id },
        },
      });
    },
    TIMEOUT_MS,
  );

  it(
    "publishes TotalReplicationLag for the pair under the primary's name",
    async () => {
      const cloudwatch = new CloudWatchClient(cloud.clientConfig());
      const metric = await until(
        "TotalReplicationLag in CloudWatch",
        async () => {
          const listed = await cloudwatch.send(
            new ListMetricsCommand({ Namespace: "AWS/AmazonMQ", MetricName: "TotalReplicationLag" }),
          );
          return listed.Metrics?.[0];
        },
        30_000,
      );
      expect(metric.Dimensions).toEqual([{ Name: "Broker", Value: "crdr-primary" }]);
    },
    TIMEOUT_MS,
  );

  it(
    "promotes the replica by SWITCHOVER once it has caught up, and it serves the replicated messages",
    async () => {
      const producer = await session(primary.id);
      // Replication starts once the bridge has subscribed, a second or so after the primary's reboot.
      await until("replication under way", async () => {
        await producer.sendPersistent("warm-up", ["ping"]);
        return (await browse(replica.id, "warm-up")) > 0 ? true : undefined;
      });
      const sent = bodies("switchover", 50);
      await producer.sendPersistent("orders", sent);
      // SWITCHOVER is refused until the bridge is connected; it is, within a second or two of the reboot.
      await until("a SWITCHOVER accepted", async () =>
        mq
          .send(new PromoteCommand({ BrokerId: replica.id, Mode: "SWITCHOVER" }))
          .then(() => true)
          .catch(() => undefined),
      );
      await until("the roles swapped", inState(replica.id, "RUNNING"), 40_000);
      expect(await describeBroker(replica.id)).toMatchObject({
        DataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
      });
      expect(await describeBroker(primary.id)).toMatchObject({
        BrokerState: "REPLICA",
        DataReplicationMetadata: { DataReplicationRole: "REPLICA" },
      });
      const consumer = await session(replica.id);
      expect((await consumer.receive("orders", sent.length, 20_000)).sort()).toEqual([...sent].sort());
    },
    TIMEOUT_MS,
  );

  it(
    "refuses a SWITCHOVER while the primary is gone; the failover workflow promotes by FAILOVER",
    async () => {
      // Now the first broker is the replica of the promoted one: messages flow the other way.
      const sent = bodies("failover", 20);
      const producer = await session(replica.id);
      await producer.sendPersistent("payments", sent);
      await until("the messages on the replica", async () =>
        (await browse(primary.id, "payments")) >= sent.length ? true : undefined,
      );
      frozen.push(...pidsMatching(`xbean:file:${path.join(dataDir, "brokers", replica.id)}/`));
      for (const pid of frozen) process.kill(pid, "SIGSTOP");
      await expect(
        mq.send(new PromoteCommand({ BrokerId: primary.id, Mode: "SWITCHOVER" })),
      ).rejects.toMatchObject({
        name: "BadRequestException",
      });
      // The workflow does the promotion: registered with policy auto, two silent rounds are enough.
      const registered = await cloud.api("PUT", `/brokers/${replica.id}/promotion`, {
        replicaBrokerId: primary.id,
        policy: "auto",
        checksBeforePromotion: 2,
      });
      expect(registered.status).toBe(200);
      const sfn = new SFNClient(cloud.clientConfig());
      const machines = await sfn.send(new ListStateMachinesCommand({}));
      const machine = machines.stateMachines?.find((candidate) => candidate.name?.endsWith("failover"));
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: machine?.stateMachineArn,
          input: JSON.stringify({ source: "manual", brokerIds: [replica.id], rounds: 8 }),
        }),
      );
      const promotedEvent = await until(
        "BrokerPromoted",
        async () => promotionEvents().find((event) => event["detail-type"] === "BrokerPromoted"),
        40_000,
      );
      expect(promotedEvent.detail).toMatchObject({
        brokerId: replica.id,
        detail: { newPrimaryBrokerId: primary.id, mode: "FAILOVER", policy: "auto" },
      });
      expect(promotionEvents().filter((event) => event["detail-type"] === "BrokerPromoted")).toHaveLength(1);
      expect(await describeBroker(primary.id)).toMatchObject({
        BrokerState: "RUNNING",
        DataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
      });
      const consumer = await session(primary.id);
      expect((await consumer.receive("payments", sent.length, 20_000)).sort()).toEqual([...sent].sort());
    },
    TIMEOUT_MS,
  );
});
