import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeBrokerCommand, ListBrokersCommand, MqClient } from "@aws-sdk/client-mq";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import type { FailoverEvent, InstanceProbe } from "../../../functions/failover/detector.js";
import { listBrokers } from "../../../functions/failover/list-brokers.js";
import { notifyChange } from "../../../functions/failover/notify-change.js";
import { publishEvents } from "../../../functions/failover/publish-events.js";
import { recordCheck } from "../../../functions/failover/record-check.js";

const mq = mockClient(MqClient);
const ddb = mockClient(DynamoDBDocumentClient);
const bus = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);

const broker = {
  brokerId: "b-1",
  brokerName: "orders",
  instances: [
    { instance: 1, endpoints: ["ssl://b-1-1.mq:61617"] },
    { instance: 2, endpoints: ["ssl://b-1-2.mq:61617"] },
  ],
};
const probes = (active: number): InstanceProbe[] =>
  [1, 2].map((instance) => ({
    instance,
    endpoint: `ssl://b-1-${instance}.mq:61617`,
    protocol: "openwire",
    outcome: instance === active ? "answered" : "timeout",
    latencyMs: 5,
  }));
const failoverEvent: FailoverEvent = {
  type: "BrokerFailoverDetected",
  brokerId: "b-1",
  brokerName: "orders",
  detectedAt: "2026-12-01T00:00:10.000Z",
  detail: { from: { instance: 1 }, to: { instance: 2 } },
};

beforeEach(() => {
  for (const client of [mq, ddb, bus, sns]) client.reset();
});

describe("ListBrokers", () => {
  it("keeps managed, built active/standby brokers and numbers their instances", async () => {
    mq.on(ListBrokersCommand).resolves({
      BrokerSummaries: [
        { BrokerId: "b-1", DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ", EngineType: "ACTIVEMQ" },
        { BrokerId: "b-2", DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ", EngineType: "ACTIVEMQ" },
        { BrokerId: "b-3", DeploymentMode: "SINGLE_INSTANCE", EngineType: "ACTIVEMQ" },
      ],
    });
    const described = (id: string, tags: Record<string, string>) => ({
      BrokerId: id,
      BrokerName: "orders",
      BrokerState: "RUNNING" as const,
      DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const,
      Tags: tags,
      BrokerInstances: [{ Endpoints: ["ssl://b-1-1.mq:61617"] }, { Endpoints: ["ssl://b-1-2.mq:61617"] }],
    });
    mq.on(DescribeBrokerCommand, { BrokerId: "b-1" }).resolves(described("b-1", { "mqops:managed": "true" }));
    mq.on(DescribeBrokerCommand, { BrokerId: "b-2" }).resolves(described("b-2", {}));

    const result = await listBrokers({ request: { source: "schedule" } });

    expect(result.brokers).toEqual([broker]);
    expect(mq).not.toHaveReceivedCommandWith(DescribeBrokerCommand, { BrokerId: "b-3" });
    expect(result.settings).toEqual({ rounds: 6, probeIntervalSeconds: 10, probeTimeoutMs: 2000 });
  });

  it("throws RequestValidationError naming the bad field", async () => {
    await expect(listBrokers({ request: { rounds: "many" } })).rejects.toMatchObject({
      name: "RequestValidationError",
      issues: [expect.objectContaining({ field: "request.rounds" })],
    });
  });
});

describe("RecordCheck", () => {
  it("records the first answer as the baseline, conditionally on no item yet", async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    const result = await recordCheck({
      broker,
      probe: { at: "2026-12-01T00:00:00.000Z", probes: probes(1) },
    });

    expect(result).toMatchObject({ status: "ACTIVE", activeInstance: 1, eventCount: 0 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: "BROKER#b-1", sk: "FAILOVER", activeInstance: 1, version: 1 }),
      ConditionExpression: "attribute_not_exists(pk)",
    });
  });

  it("sends again the events an earlier round recorded but could not send, keeping them until delivered", async () => {
    // The recorded state says instance 1 is active, with an event still in the outbox.
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    await recordCheck({ broker, probe: { at: "2026-12-01T00:00:00.000Z", probes: probes(1) } });
    const baseline = ddb.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { ...baseline, undeliveredEvents: [failoverEvent] } });
    ddb.on(PutCommand).resolves({});

    const result = await recordCheck({
      broker,
      probe: { at: "2026-12-01T00:00:20.000Z", probes: probes(1) },
    });

    expect(result).toMatchObject({ eventCount: 1, events: [failoverEvent], version: 2 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: "FAILOVER", undeliveredEvents: [failoverEvent], version: 2 }),
      ConditionExpression: "version = :read",
    });
  });

  it("throws FailoverStateConflictError when another check wrote first", async () => {
    ddb.on(GetCommand).resolves({});
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error("conditional"), { name: "ConditionalCheckFailedException" }));

    await expect(
      recordCheck({ broker, probe: { at: "2026-12-01T00:00:00.000Z", probes: probes(1) } }),
    ).rejects.toMatchObject({ name: "FailoverStateConflictError" });
  });
});

describe("PublishEvents", () => {
  it("puts each event on the bus with source mqops and the event type as detail-type", async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e" }] });

    await publishEvents({ events: [failoverEvent] });

    expect(bus).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ Source: "mqops", DetailType: "BrokerFailoverDetected" })],
    });
  });

  it("throws EventPublishFailedError when EventBridge refuses an entry", async () => {
    bus
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "ThrottlingException" }] });

    await expect(publishEvents({ events: [failoverEvent] })).rejects.toMatchObject({
      name: "EventPublishFailedError",
    });
  });
});

describe("NotifyChange", () => {
  it("publishes each event with its type as the eventType attribute", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m" });

    await notifyChange({ events: [failoverEvent] });

    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      MessageAttributes: { eventType: { DataType: "String", StringValue: "BrokerFailoverDetected" } },
    });
  });
});
