import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  GetMetricDataCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alarmNames } from "../../functions/autoscaling/alarm-specs.js";
import {
  type Registration,
  registrationId,
  registrationKey,
  scalingStateKey,
} from "../../functions/autoscaling/registration.js";
import { scalingSettings } from "../../functions/autoscaling/settings.js";
import type { LocalWorkflow } from "../../local/states/engine.js";
import { burst, metricDataFor, steady } from "./support/queue-metrics.js";
import { type StateTable, startStateTable } from "./support/state-table.js";

const TABLE = process.env.STATE_TABLE_NAME ?? "mqops-test-state";
const cloudwatch = mockClient(CloudWatchClient);
const ecs = mockClient(ECSClient);
const sns = mockClient(SNSClient);

const BROKER_ID = "b-1234abcd";
const QUEUE = "orders";
const ID = registrationId(BROKER_ID, QUEUE);
const SERVICE_ARN = "arn:aws:ecs:us-east-1:123456789012:service/consumers/orders-consumer";
const ALARMS = alarmNames({
  prefix: "mqops-test-autoscaling",
  registrationId: ID,
  brokerName: "orders-broker",
  queue: QUEUE,
});

const registration = (settings = scalingSettings({ maxConsumers: 20 })): Registration => ({
  registrationId: ID,
  brokerId: BROKER_ID,
  brokerName: "orders-broker",
  instances: ["orders-broker-1", "orders-broker-2"],
  queue: QUEUE,
  ecs: { cluster: "consumers", service: "orders-consumer", serviceArn: SERVICE_ARN },
  settings,
  periodSeconds: 60,
  alarms: ALARMS,
  createdAt: "2026-11-30T10:00:00.000Z",
  updatedAt: "2026-11-30T10:00:00.000Z",
});

/** The event EventBridge delivers when an alarm enters ALARM (the workflow's input). */
const alarmEvent = (alarmName: string) => ({
  version: "0",
  id: `event-${alarmName.slice(-9)}`,
  "detail-type": "CloudWatch Alarm State Change",
  source: "aws.cloudwatch",
  account: "123456789012",
  time: new Date().toISOString(),
  region: "us-east-1",
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
  detail: {
    alarmName,
    state: { value: "ALARM", reason: "Threshold Crossed", timestamp: new Date().toISOString() },
    previousState: { value: "OK", reason: "", timestamp: new Date().toISOString() },
    configuration: { metrics: [] },
  },
});

let table: StateTable;
let workflow: LocalWorkflow;
let engine: typeof import("../../local/states/engine.js");

beforeAll(async () => {
  table = await startStateTable(TABLE);
  // Imported after the table exists: the handlers' DynamoDB client reads its endpoint at import.
  engine = await import("../../local/states/engine.js");
  const { autoscaling } = await import("../../workflows/autoscaling.js");
  workflow = await engine.loadWorkflow(autoscaling);
});

afterAll(async () => {
  await table.close();
});

async function execute(input: unknown, executionName = "exec-1") {
  const run = engine.runWorkflow(workflow, input, { executionName, skipDelays: true });
  try {
    return { output: (await run.result) as Record<string, unknown> | undefined, error: undefined };
  } catch (error) {
    const cause = (error as { cause?: { name: string; message: string } }).cause;
    return { output: undefined, error: cause };
  }
}

const alarmStates =
  (states: Partial<Record<keyof typeof ALARMS, string>>) => (input: DescribeAlarmsCommandInput) => ({
    MetricAlarms: (Object.keys(ALARMS) as (keyof typeof ALARMS)[])
      .filter((kind) => input.AlarmNames?.includes(ALARMS[kind]))
      .map((kind) => ({ AlarmName: ALARMS[kind], StateValue: (states[kind] ?? "OK") as "OK" })),
  });

const fleet = (desired: number, running = desired) => ({
  services: [
    {
      serviceArn: SERVICE_ARN,
      status: "ACTIVE",
      desiredCount: desired,
      runningCount: running,
      pendingCount: 0,
    },
  ],
  failures: [],
});

async function put(item: Record<string, unknown>) {
  await table.doc.send(new PutCommand({ TableName: TABLE, Item: item }));
}
async function stateItem() {
  return (await table.doc.send(new GetCommand({ TableName: TABLE, Key: scalingStateKey(ID) }))).Item;
}
async function decisions() {
  const found = await table.doc.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :d)",
      ExpressionAttributeValues: { ":pk": `AUTOSCALING#${ID}`, ":d": "DECISION#" },
    }),
  );
  return found.Items ?? [];
}

const named = (name: string, status = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

beforeEach(async () => {
  for (const client of [cloudwatch, ecs, sns]) client.reset();
  for (const key of [registrationKey(ID), scalingStateKey(ID)]) {
    await table.doc.send(new DeleteCommand({ TableName: TABLE, Key: key }));
  }
  for (const item of await decisions()) {
    await table.doc.send(new DeleteCommand({ TableName: TABLE, Key: { pk: item.pk, sk: item.sk } }));
  }
  await put({ ...registrationKey(ID), type: "autoscaling-registration", ...registration() });
  cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(steady(100, 1)));
  cloudwatch.on(DescribeAlarmsCommand).callsFake(alarmStates({}));
  cloudwatch.on(SetAlarmStateCommand).resolves({});
  ecs.on(DescribeServicesCommand).resolves(fleet(1));
  ecs.on(UpdateServiceCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
});

describe("autoscaling workflow", () => {
  it("scales out on a backlog, records why, notifies, and re-decides until the need is met", async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
    cloudwatch
      .on(DescribeAlarmsCommand)
      .callsFakeOnce(alarmStates({ "scale-out": "ALARM" }))
      .callsFake(alarmStates({}));
    let desired = 2;
    ecs.on(DescribeServicesCommand).callsFake(() => fleet(desired, 2));
    ecs.on(UpdateServiceCommand).callsFake((input: { desiredCount: number }) => {
      desired = input.desiredCount;
      return {};
    });

    const { output, error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error).toBeUndefined();
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: "consumers",
      service: SERVICE_ARN,
    });
    expect(desired).toBeGreaterThan(2);
    expect(output).toMatchObject({ registrationId: ID, rounds: 2, desired });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const message = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? "{}");
    expect(message).toMatchObject({
      type: "QueueScaled",
      detail: { action: "scale-out", from: 2, to: desired },
    });
    const recorded = await decisions();
    expect(recorded.map((d) => d.action)).toEqual(["scale-out", "hold"]);
    expect(recorded[0]).toMatchObject({
      outcome: "decided",
      trigger: "scale-out",
      applied: true,
      dataQuality: "ok",
    });
    expect(String(recorded[0]?.reason)).toContain("scale out 2 →");
    const state = await stateItem();
    expect(state).toMatchObject({ sequence: 1, serviceRateHint: 150, lastDesired: desired });
    expect(state?.lastScaleOutAt).toEqual(expect.any(Number));
    expect(state?.leaseOwner).toBeUndefined();
    expect(cloudwatch).not.toHaveReceivedCommand(SetAlarmStateCommand);
  });

  it("holds without touching the service when the fleet meets the need", async () => {
    const { output, error } = await execute(alarmEvent(ALARMS["scale-in"]));

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ rounds: 1, desired: 1 });
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect((await decisions()).map((d) => [d.action, d.applied])).toEqual([["hold", false]]);
  });

  it("keeps re-deciding each period while an alarm stays in ALARM, then re-arms it", async () => {
    cloudwatch.on(DescribeAlarmsCommand).callsFake(alarmStates({ "scale-out": "ALARM" }));

    const { output, error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error).toBeUndefined();
    // Default settings: holding through the 660 s scale-in cooldown plus a period settles it.
    expect(output).toMatchObject({ rounds: 12 });
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 12);
    expect(cloudwatch).toHaveReceivedCommandWith(SetAlarmStateCommand, {
      AlarmName: ALARMS["scale-out"],
      StateValue: "OK",
    });
    expect(await decisions()).toHaveLength(12);
    expect((await stateItem())?.leaseOwner).toBeUndefined();
  });

  it("applies once when alarms of one queue start two executions together", async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
    let desired = 2;
    ecs.on(DescribeServicesCommand).callsFake(() => fleet(desired, 2));
    ecs.on(UpdateServiceCommand).callsFake((input: { desiredCount: number }) => {
      desired = input.desiredCount;
      return {};
    });

    const [first, second] = await Promise.all([
      execute(alarmEvent(ALARMS["scale-out"]), "exec-out"),
      execute(alarmEvent(ALARMS["from-zero"]), "exec-zero"),
    ]);

    expect([first.error, second.error]).toEqual([undefined, undefined]);
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    const steppedAside = [first.output, second.output].filter((output) => output?.rounds === undefined);
    expect(steppedAside).toHaveLength(1);
    expect((await decisions()).filter((d) => d.action === "scale-out")).toHaveLength(1);
  });

  it("steps aside while another execution's lease is live, and takes over an expired one", async () => {
    const now = Math.floor(Date.now() / 1000);
    await put({ ...scalingStateKey(ID), leaseOwner: "exec-other", leaseUntil: now + 600, sequence: 4 });
    const blocked = await execute(alarmEvent(ALARMS["scale-in"]));
    expect(blocked.error).toBeUndefined();
    expect(blocked.output?.rounds).toBeUndefined();
    expect(await decisions()).toHaveLength(0);
    expect((await stateItem())?.leaseOwner).toBe("exec-other");

    await put({ ...scalingStateKey(ID), leaseOwner: "exec-other", leaseUntil: now - 1, sequence: 4 });
    const taken = await execute(alarmEvent(ALARMS["scale-in"]));
    expect(taken.output).toMatchObject({ rounds: 1 });
    expect(await decisions()).toHaveLength(1);
  });

  it("does not apply when another decision moved the sequence on after the lease was taken", async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
    ecs.on(DescribeServicesCommand).callsFake(async () => {
      await table.doc.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: scalingStateKey(ID),
          UpdateExpression: "SET #s = :s",
          ExpressionAttributeNames: { "#s": "sequence" },
          ExpressionAttributeValues: { ":s": 7 },
        }),
      );
      return fleet(2);
    });

    const { output, error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error).toBeUndefined();
    expect(output?.rounds).toBeUndefined();
    expect(ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it("ends with RegistrationNotFoundError for an alarm no registration owns, touching nothing", async () => {
    await table.doc.send(new DeleteCommand({ TableName: TABLE, Key: registrationKey(ID) }));

    const { error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error?.name).toBe("RegistrationNotFoundError");
    expect(ecs).not.toHaveReceivedAnyCommand();
    expect(await stateItem()).toBeUndefined();
  });

  it("stops at the next round when the queue is deregistered meanwhile", async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
    ecs.on(UpdateServiceCommand).callsFake(async () => {
      await table.doc.send(new DeleteCommand({ TableName: TABLE, Key: registrationKey(ID) }));
      return {};
    });
    ecs.on(DescribeServicesCommand).resolves(fleet(2));

    const { error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error?.name).toBe("RegistrationNotFoundError");
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
  });

  it("ends with ServiceNotFoundError, recorded, when the service was deleted", async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [], failures: [{ arn: SERVICE_ARN, reason: "MISSING" }] });

    const { error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error?.name).toBe("ServiceNotFoundError");
    expect(await decisions()).toEqual([
      expect.objectContaining({ outcome: "failed", error: "ServiceNotFoundError" }),
    ]);
    expect((await stateItem())?.leaseOwner).toBeUndefined();
  });

  it("ends with ServiceNotFoundError when UpdateService finds the service gone", async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
    ecs.on(DescribeServicesCommand).resolves(fleet(2));
    ecs.on(UpdateServiceCommand).rejects(named("ServiceNotActiveException"));

    const { error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error?.name).toBe("ServiceNotFoundError");
    expect(ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
  });

  it("retries throttled metric reads, then decides", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "Throttling",
      $metadata: { httpStatusCode: 400 },
    });
    cloudwatch
      .on(GetMetricDataCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .callsFake(metricDataFor(steady(100, 1)));

    const { output, error } = await execute(alarmEvent(ALARMS["scale-in"]));

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ rounds: 1 });
    expect(cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 3);
  });

  it.each([
    [
      "ReadQueueMetrics",
      () => cloudwatch.on(GetMetricDataCommand).rejects(named("AccessDenied", 403)),
      "AccessDenied",
    ],
    [
      "ReadFleet",
      () => ecs.on(DescribeServicesCommand).rejects(named("AccessDeniedException")),
      "AccessDeniedException",
    ],
    [
      "ApplyDecision",
      () => {
        cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
        ecs.on(DescribeServicesCommand).resolves(fleet(2));
        ecs.on(UpdateServiceCommand).rejects(named("InvalidParameterException"));
      },
      "InvalidParameterException",
    ],
    [
      "NotifyScaled",
      () => {
        cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
        ecs.on(DescribeServicesCommand).resolves(fleet(2));
        sns.on(PublishCommand).rejects(named("AuthorizationError", 403));
      },
      "AuthorizationError",
    ],
    [
      "Finish",
      () => {
        cloudwatch.on(DescribeAlarmsCommand).callsFake(alarmStates({ "scale-in": "ALARM" }));
        cloudwatch.on(SetAlarmStateCommand).rejects(named("AccessDenied", 403));
      },
      "AccessDenied",
    ],
  ])("records a failure of %s and ends with AutoscalingFailedError", async (_step, arrange, errorName) => {
    arrange();

    const { error } = await execute(alarmEvent(ALARMS["scale-in"]));

    expect(error?.name).toBe("AutoscalingFailedError");
    const failed = (await decisions()).filter((d) => d.outcome === "failed");
    expect(failed).toEqual([expect.objectContaining({ error: errorName, trigger: "scale-in" })]);
    expect((await stateItem())?.leaseOwner).toBeUndefined();
  });

  it("ends with AutoscalingFailedError, touching nothing, when the registration cannot be read", async () => {
    await put({ ...registrationKey(ID), type: "autoscaling-registration", ...registration(), instances: [] });

    const { error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error?.name).toBe("AutoscalingFailedError");
    expect(ecs).not.toHaveReceivedAnyCommand();
    expect(await decisions()).toEqual([]);
  });

  it("records a failure of AcquireLease (a carried state it cannot read) and ends with AutoscalingFailedError", async () => {
    await put({ ...scalingStateKey(ID), serviceRateHint: -1, sequence: 2 });

    const { error } = await execute(alarmEvent(ALARMS["scale-in"]));

    expect(error?.name).toBe("AutoscalingFailedError");
    expect(await decisions()).toEqual([expect.objectContaining({ outcome: "failed", error: "ZodError" })]);
    expect((await stateItem())?.leaseOwner).toBeUndefined();
    expect(ecs).not.toHaveReceivedAnyCommand();
  });

  it("ends as superseded when the lease is lost between applying and recording", async () => {
    cloudwatch.on(GetMetricDataCommand).callsFake(metricDataFor(burst(300, 2, 900, 5)));
    ecs.on(DescribeServicesCommand).resolves(fleet(2));
    ecs.on(UpdateServiceCommand).callsFake(async () => {
      await table.doc.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: scalingStateKey(ID),
          UpdateExpression: "SET leaseOwner = :other",
          ExpressionAttributeValues: { ":other": "exec-other" },
        }),
      );
      return {};
    });

    const { output, error } = await execute(alarmEvent(ALARMS["scale-out"]));

    expect(error).toBeUndefined();
    expect(output?.rounds).toBeUndefined();
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});
