import { createServer, type Server } from "node:net";
import { DescribeBrokerCommand, MqClient, PromoteCommand } from "@aws-sdk/client-mq";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkReplica } from "../../../functions/failover/check-replica.js";
import { decidePromotionStep } from "../../../functions/failover/decide-promotion.js";
import { promoteReplica } from "../../../functions/failover/promote-replica.js";
import { recordPromotion } from "../../../functions/failover/record-promotion.js";

const mq = mockClient(MqClient);
const ddb = mockClient(DynamoDBDocumentClient);

/** A loopback port that answers STOMP's CONNECT as a broker would (a live instance). */
let stompServer: Server | undefined;
async function answeringPort(): Promise<number> {
  const server = createServer((socket) => {
    socket.once("data", () => socket.write("CONNECTED\nversion:1.2\n\n\0"));
    socket.on("error", () => undefined);
  });
  stompServer = server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address !== null ? address.port : 0;
}
/** A loopback port nothing listens on (a dead instance: refused at once). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === "object" && address !== null ? address.port : 0;
}

const brokerWith = (ports: number[]) => ({
  brokerId: "b-primary",
  brokerName: "orders",
  instances: ports.map((port, index) => ({ instance: index + 1, endpoints: [`stomp://127.0.0.1:${port}`] })),
});
const registered = (phase: string) => ({
  pk: "BROKER#b-primary",
  sk: "PROMOTION",
  type: "promotion",
  brokerId: "b-primary",
  replicaBrokerId: "b-replica",
  policy: "approval",
  checksBeforePromotion: 2,
  phase,
  version: 4,
});

beforeEach(() => {
  mq.reset();
  ddb.reset();
});
afterEach(async () => {
  await new Promise<void>((resolve) =>
    stompServer === undefined ? resolve() : stompServer.close(() => resolve()),
  );
  stompServer = undefined;
});

describe("PromoteReplica", () => {
  it("throws PrimaryAnswersError and promotes nothing when an instance of the primary answers", async () => {
    const broker = brokerWith([await deadPort(), await answeringPort()]);
    await expect(
      promoteReplica({ broker, replicaBrokerId: "b-replica", probeTimeoutMs: 1_000 }),
    ).rejects.toMatchObject({ name: "PrimaryAnswersError" });
    expect(mq).not.toHaveReceivedCommand(PromoteCommand);
  });

  it("promotes with FAILOVER when no instance of the primary answers", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerId: "b-replica",
      DataReplicationMetadata: { DataReplicationRole: "REPLICA" },
    });
    mq.on(PromoteCommand).resolves({ BrokerId: "b-replica" });
    const broker = brokerWith([await deadPort(), await deadPort()]);
    const result = await promoteReplica({ broker, replicaBrokerId: "b-replica", probeTimeoutMs: 500 });
    expect(result.mode).toBe("FAILOVER");
    expect(mq).toHaveReceivedCommandWith(PromoteCommand, { BrokerId: "b-replica", Mode: "FAILOVER" });
  });

  it("does not call Promote again when a retry finds the replica promoted already", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerId: "b-replica",
      DataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
    });
    const broker = brokerWith([await deadPort(), await deadPort()]);
    await promoteReplica({ broker, replicaBrokerId: "b-replica", probeTimeoutMs: 500 });
    expect(mq).not.toHaveReceivedCommand(PromoteCommand);
  });

  it("fails the step when Amazon MQ refuses the promotion", async () => {
    mq.on(DescribeBrokerCommand).resolves({ DataReplicationMetadata: { DataReplicationRole: "REPLICA" } });
    mq.on(PromoteCommand).rejects(Object.assign(new Error("not a replica"), { name: "BadRequestException" }));
    const broker = brokerWith([await deadPort(), await deadPort()]);
    await expect(
      promoteReplica({ broker, replicaBrokerId: "b-replica", probeTimeoutMs: 500 }),
    ).rejects.toBeInstanceOf(Error);
  });
});

describe("DecidePromotion", () => {
  const check = { classification: "none" as const, silentChecks: 2, at: "2026-12-01T04:00:00.000Z" };

  it("records the proposal conditionally and returns BrokerPromotionProposed", async () => {
    ddb.on(GetCommand).resolves({ Item: registered("WATCHING") });
    ddb.on(PutCommand).resolves({});
    const result = await decidePromotionStep({ broker: brokerWith([1, 2]), check });
    expect(result.action).toBe("propose");
    expect(result.events).toMatchObject([
      { type: "BrokerPromotionProposed", brokerId: "b-primary", detail: { replicaBrokerId: "b-replica" } },
    ]);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: "version = :read",
      ExpressionAttributeValues: { ":read": 4 },
    });
  });

  it("throws PromotionConflictError when an approval was recorded meanwhile", async () => {
    ddb.on(GetCommand).resolves({ Item: registered("WATCHING") });
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error("conditional"), { name: "ConditionalCheckFailedException" }));
    await expect(decidePromotionStep({ broker: brokerWith([1, 2]), check })).rejects.toMatchObject({
      name: "PromotionConflictError",
    });
  });

  it("writes nothing for a broker without a registration", async () => {
    ddb.on(GetCommand).resolves({});
    const result = await decidePromotionStep({ broker: brokerWith([1, 2]), check });
    expect(result).toMatchObject({ action: "none", events: [] });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});

describe("CheckReplica", () => {
  it("is not serving while the replica is not yet the PRIMARY", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerId: "b-replica",
      BrokerState: "REPLICA",
      DataReplicationMetadata: { DataReplicationRole: "REPLICA" },
    });
    expect(await checkReplica({ replicaBrokerId: "b-replica", probeTimeoutMs: 500 })).toMatchObject({
      serving: false,
    });
  });

  it("serves once it is the RUNNING primary and an instance completes a handshake", async () => {
    const port = await answeringPort();
    mq.on(DescribeBrokerCommand).resolves({
      BrokerId: "b-replica",
      BrokerName: "orders-replica",
      BrokerState: "RUNNING",
      DataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
      BrokerInstances: [{ Endpoints: [`stomp://127.0.0.1:${port}`] }],
    });
    expect(await checkReplica({ replicaBrokerId: "b-replica", probeTimeoutMs: 1_000 })).toMatchObject({
      serving: true,
      endpoint: `stomp://127.0.0.1:${port}`,
    });
  });
});

describe("RecordPromotion", () => {
  it("records PROMOTED and returns BrokerPromoted naming both brokers", async () => {
    ddb.on(GetCommand).resolves({ Item: registered("APPROVED") });
    ddb.on(PutCommand).resolves({});
    const result = await recordPromotion({
      broker: brokerWith([1, 2]),
      replicaBrokerId: "b-replica",
      promotion: { mode: "FAILOVER", promotedAt: "2026-12-01T04:00:01.000Z" },
      replica: { endpoint: "stomp://127.0.0.1:1", servingAt: "2026-12-01T04:00:03.000Z" },
    });
    expect(result.events).toMatchObject([
      {
        type: "BrokerPromoted",
        detail: { formerPrimaryBrokerId: "b-primary", newPrimaryBrokerId: "b-replica", mode: "FAILOVER" },
      },
    ]);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ phase: "PROMOTED" }),
    });
  });
});
