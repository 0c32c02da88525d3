import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InstanceProbe } from "../../functions/failover/detector.js";
import { failoverStateKey } from "../../functions/failover/keys.js";
import { type StateTable, startStateTable } from "./support/state-table.js";

// The failover steps of two overlapping runs, interleaved by hand, on a real DynamoDB (dynalite): the
// outbox's conditional writes are evaluated by DynamoDB, not by the test. EventBridge and SNS are
// mocked; what PutEvents received is what was announced.
const TABLE = process.env.STATE_TABLE_NAME ?? "mqops-test-state";
const bus = mockClient(EventBridgeClient);
const sns = mockClient(SNSClient);

let table: StateTable;
let steps: {
  recordCheck: typeof import("../../functions/failover/record-check.js").recordCheck;
  publishEvents: typeof import("../../functions/failover/publish-events.js").publishEvents;
  notifyChange: typeof import("../../functions/failover/notify-change.js").notifyChange;
  markEventsDelivered: typeof import("../../functions/failover/mark-delivered.js").markEventsDelivered;
};
/** Set by `holdNextStateWrite`: the next write of the failover state waits for `release`. */
let hold: { reached: () => void; released: Promise<void> } | undefined;

let brokerId: string;
let sequence = 0;
const broker = () => ({
  brokerId,
  brokerName: "orders",
  instances: [
    { instance: 1, endpoints: ["ssl://b-1.mq:61617"] },
    { instance: 2, endpoints: ["ssl://b-2.mq:61617"] },
  ],
});
const round = (at: string, active: number) => ({
  broker: broker(),
  probe: {
    at,
    probes: [1, 2].map(
      (instance): InstanceProbe => ({
        instance,
        endpoint: `ssl://b-${instance}.mq:61617`,
        protocol: "openwire",
        outcome: instance === active ? "answered" : "refused",
        latencyMs: 3,
      }),
    ),
  },
});

type Check = Awaited<ReturnType<typeof steps.recordCheck>>;

/** What the workflow does after RecordCheck when there are events: publish, notify, mark delivered. */
async function announce(check: Check): Promise<void> {
  if (check.eventCount === 0) return;
  await steps.publishEvents({ events: check.events });
  await steps.notifyChange({ events: check.events });
  await steps.markEventsDelivered({ brokerId, events: check.events });
}

/** RecordCheck as the workflow runs it: retried while it loses the conditional write. */
async function recordWithRetry(input: ReturnType<typeof round>): Promise<Check> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await steps.recordCheck(input);
    } catch (error) {
      if ((error as Error).name !== "FailoverStateConflictError" || attempt === 5) throw error;
    }
  }
}

/** The next write of the broker's failover state waits until `release` is called. */
function holdNextStateWrite() {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const writing = new Promise<void>((resolve) => {
    reached = resolve;
  });
  hold = { reached, released };
  return { writing, release };
}

const announced = () =>
  bus
    .commandCalls(PutEventsCommand)
    .flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => e.DetailType));
const outbox = async () =>
  (await table.doc.send(new GetCommand({ TableName: TABLE, Key: failoverStateKey(brokerId) }))).Item
    ?.undeliveredEvents;

beforeAll(async () => {
  table = await startStateTable(TABLE);
  const { ddb } = await import("../../functions/lib/document-client.js");
  ddb.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Item?: { sk?: unknown } };
      const current = hold;
      if (current !== undefined && input.Item?.sk === "FAILOVER") {
        hold = undefined;
        current.reached();
        await current.released;
      }
      return next(args);
    },
    { step: "initialize", name: "holdFailoverStateWrite" },
  );
  steps = {
    recordCheck: (await import("../../functions/failover/record-check.js")).recordCheck,
    publishEvents: (await import("../../functions/failover/publish-events.js")).publishEvents,
    notifyChange: (await import("../../functions/failover/notify-change.js")).notifyChange,
    markEventsDelivered: (await import("../../functions/failover/mark-delivered.js")).markEventsDelivered,
  };
});

afterAll(async () => {
  await table.close();
});

beforeEach(async () => {
  for (const client of [bus, sns]) client.reset();
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  sequence += 1;
  brokerId = `b-outbox-${sequence}`;
  // The baseline: instance 1 active, nothing to announce.
  await steps.recordCheck(round("2026-12-01T00:00:00.000Z", 1));
});

describe("the failover outbox under overlapping runs", () => {
  it("announces a failover once when another run's round read the outbox before it was marked delivered", async () => {
    // Run A's round sees the failover and records it with its event in the outbox.
    const a = await steps.recordCheck(round("2026-12-01T00:00:10.000Z", 2));
    expect(a.events.map((event) => event.type)).toEqual(["BrokerFailoverDetected"]);
    await steps.publishEvents({ events: a.events });
    await steps.notifyChange({ events: a.events });

    // Run B's round has read the state (the event still in the outbox) and is about to write it ...
    const held = holdNextStateWrite();
    const bRound = recordWithRetry(round("2026-12-01T00:00:12.000Z", 2));
    await held.writing;
    // ... when run A marks its event delivered.
    expect(await steps.markEventsDelivered({ brokerId, events: a.events })).toEqual({ cleared: true });
    held.release();
    const b = await bRound;
    await announce(b);

    expect(b.events).toEqual([]);
    expect(announced()).toEqual(["BrokerFailoverDetected"]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(await outbox()).toBeUndefined();
  });

  it("removes delivered events by identity even after a later round wrote the state", async () => {
    const a = await steps.recordCheck(round("2026-12-01T00:00:10.000Z", 2));
    await steps.publishEvents({ events: a.events });
    await steps.notifyChange({ events: a.events });
    // Run B writes its round first (carrying A's event forward, A not having marked it yet).
    const b = await recordWithRetry(round("2026-12-01T00:00:12.000Z", 2));
    expect(b.events).toEqual(a.events);

    expect(await steps.markEventsDelivered({ brokerId, events: a.events })).toEqual({ cleared: true });
    expect(await outbox()).toBeUndefined();
    // B's own mark finds nothing left to remove.
    expect(await steps.markEventsDelivered({ brokerId, events: b.events })).toEqual({ cleared: false });
  });

  it("announces again, once, the events of a round whose delivery failed", async () => {
    const a = await steps.recordCheck(round("2026-12-01T00:00:10.000Z", 2));
    sns.on(PublishCommand).rejects(Object.assign(new Error("down"), { name: "InternalErrorException" }));
    await steps.publishEvents({ events: a.events });
    await expect(steps.notifyChange({ events: a.events })).rejects.toThrow();
    sns.on(PublishCommand).resolves({ MessageId: "m-2" });

    const next = await recordWithRetry(round("2026-12-01T00:00:20.000Z", 2));
    await announce(next);
    const after = await recordWithRetry(round("2026-12-01T00:00:30.000Z", 2));
    await announce(after);

    expect(next.events.map((event) => event.type)).toEqual(["BrokerFailoverDetected"]);
    expect(after.events).toEqual([]);
    expect(announced()).toEqual(["BrokerFailoverDetected", "BrokerFailoverDetected"]);
    expect(await outbox()).toBeUndefined();
  });
});
