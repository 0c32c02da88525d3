import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AlarmStateChangeEvent,
  type Alarms,
  createAlarms,
} from "../../../../../local/cloudwatch/alarms/index.js";
import { createCloudWatchService } from "../../../../../local/cloudwatch/service.js";
import { startLocalEndpoint } from "../../../../support/local-endpoint.js";

const START = Date.parse("2026-11-30T12:00:00Z");
const TOPIC = "arn:aws:sns:us-east-1:000000000000:alarms";
const dimensions = [
  { Name: "Broker", Value: "b1-1" },
  { Name: "Queue", Value: "orders" },
];

let dataDir: string;
let clock: number;
let events: AlarmStateChangeEvent[];
let published: { topicArn: string; subject: string; message: string }[];
let alarms: Alarms;
let service: ReturnType<typeof createCloudWatchService>;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: CloudWatchClient;

/** The wiring the local cloud uses: the alarms read the service's own store, created with it. */
async function start() {
  alarms = createAlarms({
    dataDir,
    region: "us-east-1",
    metrics: () => service.metrics,
    now: () => clock,
    emitEvent: (event) => {
      events.push(event);
    },
    publishToTopic: (topicArn, subject, message) => {
      published.push({ topicArn, subject, message });
    },
  });
  service = createCloudWatchService({
    dataDir,
    region: "us-east-1",
    now: () => clock,
    extraOperations: alarms.operations,
  });
  endpoint = await startLocalEndpoint([service]);
  client = new CloudWatchClient(endpoint.clientConfig);
}

async function stop() {
  client.destroy();
  await endpoint.close();
  await alarms.close();
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-alarms-sdk-"));
  clock = START + 30_000;
  events = [];
  published = [];
  await start();
});

afterEach(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const backlogAlarm: PutMetricAlarmCommandInput = {
  AlarmName: "mqops-orders-behind",
  AlarmDescription: "consumers fall behind on orders",
  EvaluationPeriods: 2,
  DatapointsToAlarm: 2,
  Threshold: 0,
  ComparisonOperator: "GreaterThanThreshold",
  AlarmActions: [TOPIC],
  Metrics: [
    { Id: "behind", Expression: "enqueued - dispatched", Label: "Behind", ReturnData: true },
    {
      Id: "enqueued",
      MetricStat: {
        Metric: { Namespace: "AWS/AmazonMQ", MetricName: "EnqueueCount", Dimensions: dimensions },
        Period: 60,
        Stat: "Sum",
      },
      ReturnData: false,
    },
    {
      Id: "dispatched",
      MetricStat: {
        Metric: { Namespace: "AWS/AmazonMQ", MetricName: "DispatchCount", Dimensions: dimensions },
        Period: 60,
        Stat: "Sum",
      },
      ReturnData: false,
    },
  ],
  Tags: [{ Key: "mqops:queue", Value: "orders" }],
};

/**
 * What the collector does once a minute, just after the minute ends: that minute's enqueued and
 * dispatched counts, stamped with its start, put straight into the store (PutMetricData refuses the
 * reserved `AWS/` namespaces, as on AWS).
 */
function publishMinute(minute: number, enqueued: number, dispatched: number) {
  clock = START + (minute + 1) * 60_000 + 200;
  const timestamp = new Date(START + minute * 60_000);
  service.metrics.putMetricData("AWS/AmazonMQ", [
    {
      MetricName: "EnqueueCount",
      Dimensions: dimensions,
      Value: enqueued,
      Unit: "Count",
      Timestamp: timestamp,
    },
    {
      MetricName: "DispatchCount",
      Dimensions: dimensions,
      Value: dispatched,
      Unit: "Count",
      Timestamp: timestamp,
    },
  ]);
}

describe("alarms through the CloudWatch SDK client", () => {
  it("creates a metric-math alarm that goes to ALARM when consumers fall behind, as data arrives", async () => {
    await client.send(new PutMetricAlarmCommand(backlogAlarm));
    const created = await client.send(
      new DescribeAlarmsCommand({ AlarmNames: [backlogAlarm.AlarmName ?? ""] }),
    );
    expect(created.MetricAlarms?.[0]).toMatchObject({
      AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:mqops-orders-behind",
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Metrics: backlogAlarm.Metrics,
    });
    expect(created.MetricAlarms?.[0]?.StateUpdatedTimestamp).toEqual(new Date(START + 30_000));

    publishMinute(1, 50, 50);
    await vi.waitFor(() => expect(events.map((event) => event.detail.state.value)).toEqual(["OK"]));
    publishMinute(2, 80, 40);
    publishMinute(3, 90, 30);
    await vi.waitFor(() => expect(events.map((event) => event.detail.state.value)).toEqual(["OK", "ALARM"]));

    const [alarm] =
      (await client.send(new DescribeAlarmsCommand({ StateValue: "ALARM" }))).MetricAlarms ?? [];
    expect(alarm?.StateReason).toBe(
      "Threshold Crossed: 2 out of the last 2 datapoints [60.0 (30/11/26 12:03:00), 40.0 (30/11/26 12:02:00)] " +
        "were greater than the threshold (0.0) (minimum 2 datapoints for OK -> ALARM transition).",
    );
    expect(events[1]?.detail.configuration.metrics[0]).toEqual({
      expression: "enqueued - dispatched",
      id: "behind",
      label: "Behind",
      returnData: true,
    });
    await vi.waitFor(() => expect(published.map((p) => p.topicArn)).toEqual([TOPIC]));
    expect(JSON.parse(published[0]?.message ?? "").Trigger.Metrics[0]).toEqual({
      Expression: "enqueued - dispatched",
      Id: "behind",
      Label: "Behind",
      ReturnData: true,
    });
  });

  it("evaluates a single-metric alarm on the store's statistics", async () => {
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: "depth",
        Namespace: "MQOps/Test",
        MetricName: "QueueSize",
        Dimensions: dimensions,
        Statistic: "Average",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      }),
    );
    // Late data of 12:01 (put at 12:02:00.2) wakes the alarm for the period that just ended.
    clock = START + 120_200;
    await client.send(
      new PutMetricDataCommand({
        Namespace: "MQOps/Test",
        MetricData: [
          {
            MetricName: "QueueSize",
            Dimensions: dimensions,
            Values: [8, 14],
            Timestamp: new Date(START + 60_000),
          },
        ],
      }),
    );
    await vi.waitFor(() => expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM"]));
    const [alarm] =
      (
        await client.send(
          new DescribeAlarmsForMetricCommand({ Namespace: "MQOps/Test", MetricName: "QueueSize" }),
        )
      ).MetricAlarms ?? [];
    expect(alarm?.StateReason).toContain(
      "[11.0 (30/11/26 12:01:00)] was greater than or equal to the threshold (10.0)",
    );
    expect(JSON.parse(alarm?.StateReasonData ?? "").evaluatedDatapoints).toEqual([
      { timestamp: "2026-11-30T12:01:00.000+0000", sampleCount: 2, value: 11 },
    ]);
  });

  it("answers AWS's errors", async () => {
    await expect(
      client.send(new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "OK", StateReason: "x" })),
    ).rejects.toMatchObject({ name: "ResourceNotFound", $metadata: { httpStatusCode: 404 } });
    await expect(
      client.send(new PutMetricAlarmCommand({ ...backlogAlarm, EvaluationPeriods: 1, DatapointsToAlarm: 2 })),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
    const badExpression = (backlogAlarm.Metrics ?? []).map((query) =>
      query.Id === "behind" ? { ...query, Expression: "enqueued -" } : query,
    );
    await expect(
      client.send(new PutMetricAlarmCommand({ ...backlogAlarm, Metrics: badExpression })),
    ).rejects.toMatchObject({
      message: expect.stringContaining("Error in expression 'behind'"),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new DeleteAlarmsCommand({ AlarmNames: ["nope"] }))).rejects.toMatchObject({
      name: "ResourceNotFound",
    });
    await expect(
      client.send(
        new ListTagsForResourceCommand({ ResourceARN: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:x" }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
  });

  it("sets state, disables actions, tags and keeps history, across a restart", async () => {
    await client.send(new PutMetricAlarmCommand(backlogAlarm));
    const arn = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:mqops-orders-behind";
    await client.send(new DisableAlarmActionsCommand({ AlarmNames: ["mqops-orders-behind"] }));
    await client.send(
      new SetAlarmStateCommand({
        AlarmName: "mqops-orders-behind",
        StateValue: "ALARM",
        StateReason: "drill",
      }),
    );
    expect(published).toEqual([]);
    await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: "owner", Value: "ops" }] }));

    await stop();
    await start();
    const [alarm] = (await client.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    expect(alarm).toMatchObject({ StateValue: "ALARM", StateReason: "drill", ActionsEnabled: false });
    expect((await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([
      { Key: "mqops:queue", Value: "orders" },
      { Key: "owner", Value: "ops" },
    ]);
    const history = await client.send(
      new DescribeAlarmHistoryCommand({ AlarmName: "mqops-orders-behind", ScanBy: "TimestampAscending" }),
    );
    expect(history.AlarmHistoryItems?.map((item) => [item.HistoryItemType, item.HistorySummary])).toEqual([
      ["ConfigurationUpdate", 'Alarm "mqops-orders-behind" created'],
      ["StateUpdate", "Alarm updated from INSUFFICIENT_DATA to ALARM"],
    ]);
    expect(history.AlarmHistoryItems?.[1]?.Timestamp).toBeInstanceOf(Date);
  });
});
