import net from "node:net";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeBrokerCommand, ListBrokersCommand, MqClient } from "@aws-sdk/client-mq";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { failoverStateKey } from "../../functions/failover/keys.js";
import type { LocalWorkflow } from "../../local/states/engine.js";
import { type StateTable, startStateTable } from "./support/state-table.js";

const TABLE = process.env.STATE_TABLE_NAME ?? "mqops-test-state";
const mq = mockClient(MqClient);
const events = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);

/** The first frame an ActiveMQ broker sends on an OpenWire connection: WireFormatInfo, magic `ActiveMQ`. */
const WIREFORMAT_INFO = Buffer.concat([
  Buffer.from([0, 0, 0, 0x20, 0x01]),
  Buffer.from("ActiveMQ", "latin1"),
  Buffer.alloc(19),
]);

/** One broker instance as the probe sees it: listening and answering OpenWire, or gone (port refused). */
class FakeInstance {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  constructor(readonly port: number) {}

  static async reserve(): Promise<FakeInstance> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return new FakeInstance(port);
  }

  async start(): Promise<void> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => undefined);
      socket.write(WIREFORMAT_INFO);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let table: StateTable;
let engine: typeof import("../../local/states/engine.js");
let workflow: LocalWorkflow;
let one: FakeInstance;
let two: FakeInstance;
let brokerId: string;
let sequence = 0;

const describeResponse = (id: string, tags: Record<string, string> = { "mqops:managed": "true" }) => ({
  BrokerId: id,
  BrokerName: `orders-${id}`,
  BrokerState: "RUNNING" as const,
  DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const,
  Tags: tags,
  BrokerInstances: [
    { Endpoints: [`ssl-none://x:1`, `tcp://127.0.0.1:${one.port}`, `stomp://127.0.0.1:${one.port + 1}`] },
    { Endpoints: [`tcp://127.0.0.1:${two.port}`] },
  ],
});

async function execute(input: Record<string, unknown>) {
  sequence += 1;
  const run = engine.runWorkflow(workflow, input, { executionName: `check-${sequence}`, skipDelays: true });
  try {
    return { output: (await run.result) as Record<string, unknown>, error: undefined };
  } catch (error) {
    return { output: undefined, error: (error as { cause?: { name: string; message: string } }).cause };
  }
}

const recorded = async (id: string) =>
  (await table.doc.send(new GetCommand({ TableName: TABLE, Key: failoverStateKey(id) }))).Item;

const publishedTypes = () =>
  events
    .commandCalls(PutEventsCommand)
    .flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => e.DetailType));

beforeAll(async () => {
  // skipDelays shortens only top-level Waits: the rounds inside the Map wait the configured interval.
  process.env.FAILOVER_PROBE_INTERVAL_SECONDS = "1";
  table = await startStateTable(TABLE);
  engine = await import("../../local/states/engine.js");
  const { failover } = await import("../../workflows/failover.js");
  workflow = await engine.loadWorkflow(failover);
});

afterAll(async () => {
  await table.close();
});

beforeEach(async () => {
  for (const client of [mq, events, sns]) client.reset();
  one = await FakeInstance.reserve();
  two = await FakeInstance.reserve();
  await one.start();
  brokerId = `b-test-${sequence}-${Date.now()}`;
  mq.on(ListBrokersCommand).resolves({
    BrokerSummaries: [
      { BrokerId: brokerId, DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ", EngineType: "ACTIVEMQ" },
      { BrokerId: "b-single", DeploymentMode: "SINGLE_INSTANCE", EngineType: "ACTIVEMQ" },
    ],
  });
  mq.on(DescribeBrokerCommand, { BrokerId: brokerId }).resolves(describeResponse(brokerId));
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
});

afterEach(async () => {
  await one.stop();
  await two.stop();
});

describe("failover workflow", () => {
  it("records the active instance as the baseline without publishing anything", async () => {
    const { output, error } = await execute({ source: "schedule", rounds: 2 });

    expect(error).toBeUndefined();
    expect(output?.outcomes).toEqual([
      expect.objectContaining({ brokerId, rounds: 2, lastError: { failed: false } }),
    ]);
    expect(mq).not.toHaveReceivedCommandWith(DescribeBrokerCommand, { BrokerId: "b-single" });
    expect(await recorded(brokerId)).toMatchObject({ status: "ACTIVE", activeInstance: 1, version: 2 });
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it("publishes exactly one BrokerFailoverDetected when the standby takes over", async () => {
    await execute({ source: "schedule", rounds: 1 });
    await one.stop();
    await two.start();

    const { error } = await execute({ source: "schedule", rounds: 3 });

    expect(error).toBeUndefined();
    expect(publishedTypes()).toEqual(["BrokerFailoverDetected"]);
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry?.Source).toBe("mqops");
    expect(JSON.parse(entry?.Detail ?? "{}")).toMatchObject({
      brokerId,
      detail: {
        from: { instance: 1, name: `${brokerId}-1`, endpoint: `tcp://127.0.0.1:${one.port}` },
        to: { instance: 2, name: `${brokerId}-2`, endpoint: `tcp://127.0.0.1:${two.port}` },
      },
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      MessageAttributes: { eventType: { DataType: "String", StringValue: "BrokerFailoverDetected" } },
    });
    expect(await recorded(brokerId)).toMatchObject({ status: "ACTIVE", activeInstance: 2 });
    const history = await table.doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :history)",
        ExpressionAttributeValues: { ":pk": `BROKER#${brokerId}`, ":history": "FAILOVER#" },
      }),
    );
    expect(history.Items?.map((item) => item.eventType)).toEqual(["BrokerFailoverDetected"]);
  });

  it("publishes one BrokerUnavailable after three silent rounds, then BrokerRecovered", async () => {
    await execute({ source: "schedule", rounds: 1 });
    await one.stop();

    await execute({ source: "schedule", rounds: 5 });
    expect(publishedTypes()).toEqual(["BrokerUnavailable"]);
    expect(await recorded(brokerId)).toMatchObject({ status: "UNAVAILABLE" });

    await one.start();
    await execute({ source: "schedule", rounds: 1 });
    expect(publishedTypes()).toEqual(["BrokerUnavailable", "BrokerRecovered"]);
    expect(await recorded(brokerId)).toMatchObject({ status: "ACTIVE", activeInstance: 1 });
  });

  it("checks only the named broker for an on-demand check", async () => {
    const { output } = await execute({ source: "api", brokerIds: [brokerId], rounds: 1 });

    expect(mq).not.toHaveReceivedCommand(ListBrokersCommand);
    expect(output?.outcomes).toHaveLength(1);
  });

  it("leaves a broker mqops does not manage alone", async () => {
    mq.on(DescribeBrokerCommand, { BrokerId: brokerId }).resolves(describeResponse(brokerId, {}));

    const { output } = await execute({ source: "schedule", rounds: 1 });

    expect(output?.outcomes).toEqual([]);
    expect(await recorded(brokerId)).toBeUndefined();
  });

  it("fails with RequestValidationError on an invalid input, probing nothing", async () => {
    const { error } = await execute({ source: "schedule", rounds: 0 });

    expect(error?.name).toBe("RequestValidationError");
    expect(mq).not.toHaveReceivedCommand(ListBrokersCommand);
  });

  it("fails with FailoverCheckFailedError when events cannot be published, after retrying", async () => {
    await execute({ source: "schedule", rounds: 1 });
    await one.stop();
    await two.start();
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "InternalFailure" }] });

    const { error } = await execute({ source: "schedule", rounds: 1 });

    expect(error?.name).toBe("FailoverCheckFailedError");
    expect(events.commandCalls(PutEventsCommand).length).toBeGreaterThan(1);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});
