import net from "node:net";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeBrokerCommand, ListBrokersCommand, MqClient, PromoteCommand } from "@aws-sdk/client-mq";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { promotionKey } from "../../functions/failover/keys.js";
import type { LocalWorkflow } from "../../local/states/engine.js";
import { type StateTable, startStateTable } from "./support/state-table.js";

// The failover workflow's promotion path on the local ASL engine with the real handlers: Amazon MQ,
// EventBridge and SNS are mocked, the state table is a real (local) DynamoDB, the primary's
// instances are ports nothing listens on (silent) and the replica is a port answering STOMP.
const TABLE = process.env.STATE_TABLE_NAME ?? "mqops-test-state";
const mq = mockClient(MqClient);
const events = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);

let table: StateTable;
let engine: typeof import("../../local/states/engine.js");
let workflow: LocalWorkflow;
let replicaServer: net.Server;
let replicaPort = 0;
let sequence = 0;
let primaryId = "";
const REPLICA_ID = "b-replica";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function execute(input: Record<string, unknown>) {
  sequence += 1;
  const run = engine.runWorkflow(workflow, input, {
    executionName: `promotion-${sequence}`,
    skipDelays: true,
  });
  try {
    return { output: (await run.result) as Record<string, unknown>, error: undefined };
  } catch (error) {
    return { output: undefined, error: (error as { cause?: { name: string; message: string } }).cause };
  }
}

const publishedTypes = () =>
  events
    .commandCalls(PutEventsCommand)
    .flatMap((call) => (call.args[0].input.Entries ?? []).map((entry) => entry.DetailType));

const register = (policy: "auto" | "approval", phase = "WATCHING", version = 1) =>
  table.doc.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        ...promotionKey(primaryId),
        type: "promotion",
        brokerId: primaryId,
        replicaBrokerId: REPLICA_ID,
        policy,
        checksBeforePromotion: 2,
        phase,
        version,
      },
    }),
  );
const registration = async () =>
  (await table.doc.send(new GetCommand({ TableName: TABLE, Key: promotionKey(primaryId) }))).Item;

beforeAll(async () => {
  process.env.FAILOVER_PROBE_INTERVAL_SECONDS = "1";
  process.env.FAILOVER_PROBE_TIMEOUT_MS = "300";
  table = await startStateTable(TABLE);
  engine = await import("../../local/states/engine.js");
  const { failover } = await import("../../workflows/failover.js");
  workflow = await engine.loadWorkflow(failover);
  replicaServer = net.createServer((socket) => {
    socket.on("error", () => undefined);
    socket.once("data", () => socket.write("CONNECTED\nversion:1.2\n\n\0"));
  });
  await new Promise<void>((resolve) => replicaServer.listen(0, "127.0.0.1", resolve));
  replicaPort = (replicaServer.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => replicaServer.close(() => resolve()));
  await table.close();
});

let promoted = false;
beforeEach(async () => {
  for (const client of [mq, events, sns]) client.reset();
  promoted = false;
  primaryId = `b-primary-${sequence}-${Date.now()}`;
  const [one, two] = [await freePort(), await freePort()];
  mq.on(ListBrokersCommand).resolves({
    BrokerSummaries: [
      { BrokerId: primaryId, DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ", EngineType: "ACTIVEMQ" },
    ],
  });
  mq.on(DescribeBrokerCommand, { BrokerId: primaryId }).resolves({
    BrokerId: primaryId,
    BrokerName: "orders",
    BrokerState: "RUNNING",
    DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    Tags: { "mqops:managed": "true" },
    BrokerInstances: [
      { Endpoints: [`stomp://127.0.0.1:${one}`] },
      { Endpoints: [`stomp://127.0.0.1:${two}`] },
    ],
    DataReplicationMode: "CRDR",
    DataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
  });
  mq.on(DescribeBrokerCommand, { BrokerId: REPLICA_ID }).callsFake(() => ({
    BrokerId: REPLICA_ID,
    BrokerName: "orders-replica",
    BrokerState: promoted ? "RUNNING" : "REPLICA",
    DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    BrokerInstances: [{ Endpoints: [`stomp://127.0.0.1:${replicaPort}`] }],
    DataReplicationMode: "CRDR",
    DataReplicationMetadata: { DataReplicationRole: promoted ? "PRIMARY" : "REPLICA" },
  }));
  mq.on(PromoteCommand).callsFake(() => {
    promoted = true;
    return { BrokerId: REPLICA_ID };
  });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
});

afterEach(() => {
  promoted = false;
});

describe("failover workflow: promotion", () => {
  it("promotes the replica with FAILOVER after the configured silent checks (policy auto)", async () => {
    await register("auto");

    const { error } = await execute({ source: "schedule", brokerIds: [primaryId], rounds: 3 });

    expect(error).toBeUndefined();
    expect(mq).toHaveReceivedCommandTimes(PromoteCommand, 1);
    expect(mq).toHaveReceivedCommandWith(PromoteCommand, { BrokerId: REPLICA_ID, Mode: "FAILOVER" });
    expect(publishedTypes()).toContain("BrokerPromoted");
    const entry = events
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .find((candidate) => candidate.DetailType === "BrokerPromoted");
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      eventType: "BrokerPromoted",
      brokerId: primaryId,
      detail: {
        newPrimaryBrokerId: REPLICA_ID,
        mode: "FAILOVER",
        endpoint: `stomp://127.0.0.1:${replicaPort}`,
      },
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      MessageAttributes: { eventType: { DataType: "String", StringValue: "BrokerPromoted" } },
    });
    expect(await registration()).toMatchObject({ phase: "PROMOTED" });
  });

  it("proposes once and waits for the approval, which a later run carries out (policy approval)", async () => {
    await register("approval");

    await execute({ source: "schedule", brokerIds: [primaryId], rounds: 3 });

    expect(publishedTypes().filter((type) => type === "BrokerPromotionProposed")).toHaveLength(1);
    expect(mq).not.toHaveReceivedCommand(PromoteCommand);
    const proposed = await registration();
    expect(proposed).toMatchObject({ phase: "PROPOSED" });

    // The approval as POST /brokers/{id}/promotion records it.
    await register("approval", "APPROVED", (proposed?.version as number) + 1);
    const { error } = await execute({ source: "schedule", brokerIds: [primaryId], rounds: 1 });

    expect(error).toBeUndefined();
    expect(mq).toHaveReceivedCommandWith(PromoteCommand, { BrokerId: REPLICA_ID, Mode: "FAILOVER" });
    expect(publishedTypes()).toContain("BrokerPromoted");
    expect(await registration()).toMatchObject({ phase: "PROMOTED" });
  });

  it("does nothing for a silent broker that is not registered", async () => {
    await execute({ source: "schedule", brokerIds: [primaryId], rounds: 3 });

    expect(mq).not.toHaveReceivedCommand(PromoteCommand);
    expect(publishedTypes()).not.toContain("BrokerPromotionProposed");
  });
});
