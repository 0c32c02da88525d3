import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AlarmStateChangeEvent,
  type Alarms,
  createAlarms,
} from "../../../../../local/cloudwatch/alarms/index.js";
import type { AwsRequest } from "../../../../../local/server/service.js";
import { FakeMetrics } from "./fake-metrics.js";

const REGION = "us-east-1";
const TOPIC = "arn:aws:sns:us-east-1:000000000000:alarms";
const START = Date.UTC(2026, 10, 30, 23, 30, 0);
const REQUEST = {} as AwsRequest;

let dataDir: string;
let clock: number;
let metrics: FakeMetrics;
let events: AlarmStateChangeEvent[];
let published: { topicArn: string; subject: string; message: string }[];
let alarms: Alarms;

function start() {
  alarms = createAlarms({
    dataDir,
    region: REGION,
    metrics,
    now: () => clock,
    emitEvent: (event) => {
      events.push(event);
    },
    publishToTopic: (topicArn, subject, message) => {
      published.push({ topicArn, subject, message });
    },
  });
  return alarms;
}

async function call(operation: string, input: Record<string, unknown>) {
  const handler = alarms.operations[operation];
  if (handler === undefined) throw new Error(`no operation ${operation}`);
  return handler(input, REQUEST);
}

async function describeOne(name: string): Promise<MetricAlarm> {
  const output = (await call("DescribeAlarms", { AlarmNames: [name] })) as { MetricAlarms: MetricAlarm[] };
  const [alarm] = output.MetricAlarms;
  if (alarm === undefined) throw new Error(`alarm ${name} not described`);
  return alarm;
}

const queueDepth = {
  AlarmName: "mqops-orders-backlog",
  AlarmDescription: "orders is behind",
  Namespace: "AWS/AmazonMQ",
  MetricName: "QueueSize",
  Dimensions: [
    { Name: "Broker", Value: "b1-1" },
    { Name: "Queue", Value: "orders" },
  ],
  Statistic: "Maximum",
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 100,
  ComparisonOperator: "GreaterThanThreshold",
  AlarmActions: [TOPIC],
  OKActions: [TOPIC],
};

const put = (value: number, at = clock) =>
  metrics.put("AWS/AmazonMQ", "QueueSize", queueDepth.Dimensions, at, value);

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-alarms-"));
  clock = START;
  metrics = new FakeMetrics();
  events = [];
  published = [];
  start();
});

afterEach(async () => {
  vi.useRealTimers();
  await alarms.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("PutMetricAlarm and DescribeAlarms", () => {
  it("creates an alarm in INSUFFICIENT_DATA, described with AWS's fields", async () => {
    await call("PutMetricAlarm", queueDepth);
    const alarm = await describeOne(queueDepth.AlarmName);
    expect(alarm).toMatchObject({
      AlarmName: "mqops-orders-backlog",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:mqops-orders-backlog",
      AlarmDescription: "orders is behind",
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
      InsufficientDataActions: [],
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      Namespace: "AWS/AmazonMQ",
      MetricName: "QueueSize",
      Statistic: "Maximum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 100,
      ComparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm.StateUpdatedTimestamp).toEqual(new Date(START));
    expect(alarm.StateTransitionedTimestamp).toEqual(new Date(START));
    expect(alarm.AlarmConfigurationUpdatedTimestamp).toEqual(new Date(START));
  });

  it("keeps the state of an alarm it updates, and its tags", async () => {
    await call("PutMetricAlarm", { ...queueDepth, Tags: [{ Key: "team", Value: "mq" }] });
    await call("SetAlarmState", {
      AlarmName: queueDepth.AlarmName,
      StateValue: "ALARM",
      StateReason: "test",
    });
    clock += 5000;
    await call("PutMetricAlarm", { ...queueDepth, Threshold: 200, Tags: [{ Key: "ignored", Value: "x" }] });
    const alarm = await describeOne(queueDepth.AlarmName);
    expect(alarm).toMatchObject({ StateValue: "ALARM", StateReason: "test", Threshold: 200 });
    expect(alarm.AlarmConfigurationUpdatedTimestamp).toEqual(new Date(START + 5000));
    expect(await call("ListTagsForResource", { ResourceARN: alarm.AlarmArn })).toEqual({
      Tags: [{ Key: "team", Value: "mq" }],
    });
  });

  it.each([
    [{ ...queueDepth, Period: 45 }, "InvalidParameterValue"],
    [{ ...queueDepth, EvaluationPeriods: 2, DatapointsToAlarm: 3 }, "InvalidParameterValue"],
    [{ ...queueDepth, AlarmName: undefined }, "MissingParameter"],
    [{ ...queueDepth, Statistic: undefined }, "MissingParameter"],
    [{ ...queueDepth, ExtendedStatistic: "p90" }, "InvalidParameterCombination"],
    [{ ...queueDepth, TreatMissingData: "sometimes" }, "InvalidParameterValue"],
    [{ ...queueDepth, ComparisonOperator: "GreaterThanUpperThreshold" }, "InvalidParameterValue"],
    [{ ...queueDepth, Period: 60, EvaluationPeriods: 1441 }, "InvalidParameterValue"],
    [{ ...queueDepth, Metrics: [{ Id: "e1", Expression: "m1", Period: 60 }] }, "InvalidParameterCombination"],
  ])("refuses an invalid alarm with AWS's error (%#)", async (input, code) => {
    await expect(call("PutMetricAlarm", input)).rejects.toMatchObject({ code, status: 400 });
  });

  it("refuses a metric-math alarm whose queries do not return exactly one series", async () => {
    const metric = { Namespace: "AWS/AmazonMQ", MetricName: "EnqueueCount", Dimensions: [] };
    await expect(
      call("PutMetricAlarm", {
        AlarmName: "math",
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanThreshold",
        Metrics: [
          { Id: "m1", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
          { Id: "m2", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
        ],
      }),
    ).rejects.toMatchObject({ code: "InvalidParameterValue" });
  });

  it("filters by names, prefix, state and action prefix, and pages with MaxRecords and NextToken", async () => {
    for (const name of ["a-1", "a-2", "a-3", "b-1"])
      await call("PutMetricAlarm", {
        ...queueDepth,
        AlarmName: name,
        AlarmActions: name === "b-1" ? [] : [TOPIC],
        OKActions: [],
      });
    await call("SetAlarmState", { AlarmName: "a-2", StateValue: "ALARM", StateReason: "test" });
    const names = async (input: Record<string, unknown>) =>
      ((await call("DescribeAlarms", input)) as { MetricAlarms: MetricAlarm[] }).MetricAlarms.map(
        (a) => a.AlarmName,
      );
    expect(await names({ AlarmNamePrefix: "a-" })).toEqual(["a-1", "a-2", "a-3"]);
    expect(await names({ AlarmNames: ["b-1", "a-1", "zzz"] })).toEqual(["a-1", "b-1"]);
    expect(await names({ StateValue: "ALARM" })).toEqual(["a-2"]);
    expect(await names({ ActionPrefix: "arn:aws:sns:" })).toEqual(["a-1", "a-2", "a-3"]);
    expect(await names({ AlarmTypes: ["CompositeAlarm"] })).toEqual([]);
    const first = (await call("DescribeAlarms", { MaxRecords: 3 })) as {
      MetricAlarms: MetricAlarm[];
      NextToken: string;
    };
    expect(first.MetricAlarms.map((a) => a.AlarmName)).toEqual(["a-1", "a-2", "a-3"]);
    expect(await names({ MaxRecords: 3, NextToken: first.NextToken })).toEqual(["b-1"]);
    await expect(call("DescribeAlarms", { AlarmNames: ["a-1"], AlarmNamePrefix: "a" })).rejects.toMatchObject(
      {
        code: "InvalidParameterCombination",
      },
    );
    await expect(call("DescribeAlarms", { NextToken: "bogus" })).rejects.toMatchObject({
      code: "InvalidNextToken",
    });
  });

  it("finds alarms for a metric with DescribeAlarmsForMetric", async () => {
    await call("PutMetricAlarm", queueDepth);
    await call("PutMetricAlarm", { ...queueDepth, AlarmName: "other", MetricName: "ConsumerCount" });
    const output = (await call("DescribeAlarmsForMetric", {
      Namespace: "AWS/AmazonMQ",
      MetricName: "QueueSize",
      Dimensions: [...queueDepth.Dimensions].reverse(),
    })) as { MetricAlarms: MetricAlarm[] };
    expect(output.MetricAlarms.map((a) => a.AlarmName)).toEqual([queueDepth.AlarmName]);
  });
});

describe("evaluation", () => {
  it("goes to ALARM when breaching data arrives, with the event, the SNS notification and history", async () => {
    await call("PutMetricAlarm", queueDepth);
    await alarms.evaluateAll();
    expect(events).toEqual([]);
    clock = START + 120_500;
    put(150, START + 60_500);
    await vi.waitFor(() => expect(events).toHaveLength(1));

    const alarm = await describeOne(queueDepth.AlarmName);
    expect(alarm.StateValue).toBe("ALARM");
    expect(alarm.StateReason).toBe(
      "Threshold Crossed: 1 out of the last 1 datapoints [150.0 (30/11/26 23:31:00)] was greater than the " +
        "threshold (100.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    expect(JSON.parse(alarm.StateReasonData ?? "")).toMatchObject({
      version: "1.0",
      statistic: "Maximum",
      period: 60,
      recentDatapoints: [150],
      threshold: 100,
      evaluatedDatapoints: [{ timestamp: "2026-11-30T23:31:00.000+0000", sampleCount: 1, value: 150 }],
    });
    expect(alarm.StateTransitionedTimestamp).toEqual(new Date(START + 120_500));

    const [event] = events;
    expect(event).toMatchObject({
      version: "0",
      "detail-type": "CloudWatch Alarm State Change",
      source: "aws.cloudwatch",
      account: "000000000000",
      time: "2026-11-30T23:32:00Z",
      region: REGION,
      resources: [alarm.AlarmArn],
      detail: {
        alarmName: queueDepth.AlarmName,
        state: { value: "ALARM", reason: alarm.StateReason, reasonData: alarm.StateReasonData },
        previousState: { value: "INSUFFICIENT_DATA", reason: "Unchecked: Initial alarm creation" },
        configuration: {
          description: "orders is behind",
          metrics: [
            {
              metricStat: {
                metric: {
                  dimensions: { Broker: "b1-1", Queue: "orders" },
                  name: "QueueSize",
                  namespace: "AWS/AmazonMQ",
                },
                period: 60,
                stat: "Maximum",
              },
              returnData: true,
            },
          ],
        },
      },
    });
    expect(event?.detail.previousState).not.toHaveProperty("reasonData");

    await vi.waitFor(() => expect(published).toHaveLength(1));
    const [notification] = published;
    expect(notification?.topicArn).toBe(TOPIC);
    expect(notification?.subject).toBe('ALARM: "mqops-orders-backlog" in US East (N. Virginia)');
    expect(JSON.parse(notification?.message ?? "")).toMatchObject({
      AlarmName: queueDepth.AlarmName,
      AlarmDescription: "orders is behind",
      AWSAccountId: "000000000000",
      NewStateValue: "ALARM",
      NewStateReason: alarm.StateReason,
      StateChangeTime: "2026-11-30T23:32:00.500+0000",
      Region: "US East (N. Virginia)",
      AlarmArn: alarm.AlarmArn,
      OldStateValue: "INSUFFICIENT_DATA",
      Trigger: {
        MetricName: "QueueSize",
        Namespace: "AWS/AmazonMQ",
        StatisticType: "Statistic",
        Statistic: "MAXIMUM",
        Dimensions: [
          { value: "b1-1", name: "Broker" },
          { value: "orders", name: "Queue" },
        ],
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 100,
      },
    });

    await vi.waitFor(async () => {
      const history = (await call("DescribeAlarmHistory", { AlarmName: queueDepth.AlarmName })) as {
        AlarmHistoryItems: { HistoryItemType: string; HistorySummary: string; HistoryData: string }[];
      };
      expect(history.AlarmHistoryItems.map((item) => item.HistoryItemType)).toEqual([
        "Action",
        "StateUpdate",
        "ConfigurationUpdate",
      ]);
      const [action, update, created] = history.AlarmHistoryItems;
      expect(action?.HistorySummary).toBe(`Successfully executed action ${TOPIC}`);
      expect(update?.HistorySummary).toBe("Alarm updated from INSUFFICIENT_DATA to ALARM");
      expect(JSON.parse(update?.HistoryData ?? "")).toMatchObject({
        version: "1.0",
        oldState: { stateValue: "INSUFFICIENT_DATA", stateReason: "Unchecked: Initial alarm creation" },
        newState: {
          stateValue: "ALARM",
          stateReason: alarm.StateReason,
          stateReasonData: { threshold: 100 },
        },
      });
      expect(created?.HistorySummary).toBe('Alarm "mqops-orders-backlog" created');
    });
  });

  it("notices missing data on evaluation and goes to INSUFFICIENT_DATA once the range holds none", async () => {
    await call("PutMetricAlarm", queueDepth);
    put(150, START + 60_500);
    clock = START + 120_500;
    await alarms.evaluateAll();
    expect((await describeOne(queueDepth.AlarmName)).StateValue).toBe("ALARM");
    // The range (N + 2 periods) holds the datapoint of 23:31 until 23:34 has ended: the state stays.
    for (const at of [181_000, 241_000]) {
      clock = START + at;
      await alarms.evaluateAll();
      expect((await describeOne(queueDepth.AlarmName)).StateValue).toBe("ALARM");
    }
    clock = START + 301_000;
    await alarms.evaluateAll();
    const alarm = await describeOne(queueDepth.AlarmName);
    expect(alarm.StateValue).toBe("INSUFFICIENT_DATA");
    expect(alarm.StateReason).toBe("Insufficient Data: 1 datapoint was unknown.");
    expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM", "INSUFFICIENT_DATA"]);
  });

  it("evaluates a metric-math alarm on its returned expression", async () => {
    const metric = (name: string) => ({
      Namespace: "AWS/AmazonMQ",
      MetricName: name,
      Dimensions: [{ Name: "Broker", Value: "b1-1" }],
    });
    await call("PutMetricAlarm", {
      AlarmName: "backlog-growing",
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 10,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
      Metrics: [
        { Id: "e1", Expression: "m1 - m2", Label: "Backlog", ReturnData: true },
        {
          Id: "m1",
          MetricStat: { Metric: metric("EnqueueCount"), Period: 60, Stat: "Sum" },
          ReturnData: false,
        },
        {
          Id: "m2",
          MetricStat: { Metric: metric("DispatchCount"), Period: 60, Stat: "Sum" },
          ReturnData: false,
        },
      ],
    });
    for (const [minute, enqueued, dispatched] of [
      [1, 100, 50],
      [2, 100, 40],
    ] as const) {
      metrics.put("AWS/AmazonMQ", "EnqueueCount", metric("").Dimensions, START + minute * 60_000, enqueued);
      metrics.put(
        "AWS/AmazonMQ",
        "DispatchCount",
        metric("").Dimensions,
        START + minute * 60_000,
        dispatched,
      );
    }
    clock = START + 180_500;
    await alarms.evaluateAll();
    const alarm = await describeOne("backlog-growing");
    expect(alarm.StateValue).toBe("ALARM");
    expect(alarm.Metrics?.map((query) => query.Id)).toEqual(["e1", "m1", "m2"]);
    expect(JSON.parse(alarm.StateReasonData ?? "")).not.toHaveProperty("statistic");
    const event = events.at(-1);
    expect(event?.detail.configuration.metrics).toEqual([
      { expression: "m1 - m2", id: "e1", label: "Backlog", returnData: true },
      {
        id: "m1",
        metricStat: {
          metric: { dimensions: { Broker: "b1-1" }, name: "EnqueueCount", namespace: "AWS/AmazonMQ" },
          period: 60,
          stat: "Sum",
        },
        returnData: false,
      },
      {
        id: "m2",
        metricStat: {
          metric: { dimensions: { Broker: "b1-1" }, name: "DispatchCount", namespace: "AWS/AmazonMQ" },
          period: 60,
          stat: "Sum",
        },
        returnData: false,
      },
    ]);
  });

  it("evaluates on the timer every period without new data", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "Date"] });
    vi.setSystemTime(START + 1000);
    await alarms.close();
    metrics = new FakeMetrics();
    alarms = createAlarms({
      dataDir,
      region: REGION,
      metrics,
      emitEvent: (event) => {
        events.push(event);
      },
      publishToTopic: () => {},
    });
    await call("PutMetricAlarm", { ...queueDepth, TreatMissingData: "breaching", Period: 10 });
    await vi.advanceTimersByTimeAsync(0);
    // The first evaluation happens right after creation: no datapoint, missing ones are breaching.
    expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM"]);
    // A datapoint of the period in progress counts as soon as it is there.
    metrics.put("AWS/AmazonMQ", "QueueSize", queueDepth.Dimensions, Date.now(), 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM", "OK"]);
    // Nothing arrives afterwards: the 10-second timer (2 s after each boundary) notices once the
    // range (3 periods) has none, at 23:30:42 (the datapoint is of 23:30:00-23:30:10).
    await vi.advanceTimersByTimeAsync(40_000);
    expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM", "OK"]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM", "OK", "ALARM"]);
  });
});

describe("evaluation errors", () => {
  it("keeps the state and says what is wrong while the queries cannot be evaluated", async () => {
    await call("PutMetricAlarm", queueDepth);
    put(150, START + 60_500);
    clock = START + 120_500;
    await alarms.evaluateAll();
    metrics.failure = new Error("Error in expression 'e1': unknown function");
    clock += 1000;
    await alarms.evaluateAll();
    expect(await describeOne(queueDepth.AlarmName)).toMatchObject({
      StateValue: "ALARM",
      StateReason: "Error in expression 'e1': unknown function",
      EvaluationState: "EVALUATION_ERROR",
    });
    metrics.failure = undefined;
    await alarms.evaluateAll();
    expect(await describeOne(queueDepth.AlarmName)).not.toHaveProperty("EvaluationState");
    expect(events.map((event) => event.detail.state.value)).toEqual(["ALARM"]);
  });
});

describe("failures", () => {
  it("reports an evaluation that cannot be saved to onError, and goes on", async () => {
    const errors: unknown[] = [];
    await alarms.close();
    alarms = createAlarms({
      dataDir,
      region: REGION,
      metrics,
      now: () => clock,
      emitEvent: () => {},
      publishToTopic: () => {},
      onError: (error) => errors.push(error),
    });
    await call("PutMetricAlarm", queueDepth);
    put(150, START + 60_500);
    clock = START + 120_500;
    rmSync(dataDir, { recursive: true, force: true });
    await alarms.evaluateAll();
    expect(errors).toEqual([expect.objectContaining({ code: "ENOENT" })]);
    mkdirSync(dataDir);
  });
});

describe("SetAlarmState", () => {
  it("sets the state until the next evaluation, which puts it back", async () => {
    await call("PutMetricAlarm", queueDepth);
    put(50, START + 60_500);
    clock = START + 120_500;
    await alarms.evaluateAll();
    expect((await describeOne(queueDepth.AlarmName)).StateValue).toBe("OK");
    await call("SetAlarmState", {
      AlarmName: queueDepth.AlarmName,
      StateValue: "ALARM",
      StateReason: "testing the pager",
      StateReasonData: '{"by":"test"}',
    });
    const set = await describeOne(queueDepth.AlarmName);
    expect(set).toMatchObject({
      StateValue: "ALARM",
      StateReason: "testing the pager",
      StateReasonData: '{"by":"test"}',
    });
    expect(events.at(-1)?.detail.state).toMatchObject({ value: "ALARM", reason: "testing the pager" });
    clock += 1000;
    await alarms.evaluateAll();
    expect((await describeOne(queueDepth.AlarmName)).StateValue).toBe("OK");
  });

  it("answers ResourceNotFound for an unknown alarm and InvalidFormat for reason data that is not JSON", async () => {
    await expect(
      call("SetAlarmState", { AlarmName: "nope", StateValue: "OK", StateReason: "x" }),
    ).rejects.toMatchObject({ code: "ResourceNotFound", status: 404 });
    await call("PutMetricAlarm", queueDepth);
    await expect(
      call("SetAlarmState", {
        AlarmName: queueDepth.AlarmName,
        StateValue: "OK",
        StateReason: "x",
        StateReasonData: "{not json",
      }),
    ).rejects.toMatchObject({ code: "InvalidFormat", status: 400 });
  });
});

describe("actions", () => {
  it("runs no action while actions are disabled, and again once enabled", async () => {
    await call("PutMetricAlarm", queueDepth);
    await call("DisableAlarmActions", { AlarmNames: [queueDepth.AlarmName] });
    expect((await describeOne(queueDepth.AlarmName)).ActionsEnabled).toBe(false);
    await call("SetAlarmState", { AlarmName: queueDepth.AlarmName, StateValue: "ALARM", StateReason: "a" });
    expect(events).toHaveLength(1);
    expect(published).toEqual([]);
    await call("EnableAlarmActions", { AlarmNames: [queueDepth.AlarmName] });
    await call("SetAlarmState", { AlarmName: queueDepth.AlarmName, StateValue: "OK", StateReason: "b" });
    expect(published.map((p) => p.subject)).toEqual(['OK: "mqops-orders-backlog" in US East (N. Virginia)']);
  });

  it("accepts a non-SNS action and notes in history that it did not run", async () => {
    const scaling =
      "arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:p:autoScalingGroupName/g:policyName/up";
    await call("PutMetricAlarm", { ...queueDepth, AlarmActions: [scaling] });
    await call("SetAlarmState", { AlarmName: queueDepth.AlarmName, StateValue: "ALARM", StateReason: "a" });
    const history = (await call("DescribeAlarmHistory", { HistoryItemType: "Action" })) as {
      AlarmHistoryItems: { HistorySummary: string; HistoryData: string }[];
    };
    expect(history.AlarmHistoryItems).toHaveLength(1);
    expect(history.AlarmHistoryItems[0]?.HistorySummary).toContain(`Failed to execute action ${scaling}`);
    expect(JSON.parse(history.AlarmHistoryItems[0]?.HistoryData ?? "")).toMatchObject({
      actionState: "Failed",
    });
  });
});

describe("DeleteAlarms, history and tags", () => {
  it("deletes nothing when one name is unknown", async () => {
    await call("PutMetricAlarm", queueDepth);
    await expect(call("DeleteAlarms", { AlarmNames: [queueDepth.AlarmName, "nope"] })).rejects.toMatchObject({
      code: "ResourceNotFound",
      status: 404,
    });
    expect(await describeOne(queueDepth.AlarmName)).toBeDefined();
    await call("DeleteAlarms", { AlarmNames: [queueDepth.AlarmName] });
    const output = (await call("DescribeAlarms", {})) as { MetricAlarms: MetricAlarm[] };
    expect(output.MetricAlarms).toEqual([]);
  });

  it("filters history by type and date, scans either way and pages", async () => {
    await call("PutMetricAlarm", queueDepth);
    for (const [offset, state] of [
      [1000, "ALARM"],
      [2000, "OK"],
      [3000, "ALARM"],
    ] as const) {
      clock = START + offset;
      await call("SetAlarmState", { AlarmName: queueDepth.AlarmName, StateValue: state, StateReason: state });
    }
    type Page = { AlarmHistoryItems: { HistorySummary: string; Timestamp: Date }[]; NextToken?: string };
    const ascending = (await call("DescribeAlarmHistory", {
      HistoryItemType: "StateUpdate",
      ScanBy: "TimestampAscending",
      MaxRecords: 2,
    })) as Page;
    expect(ascending.AlarmHistoryItems.map((item) => item.HistorySummary)).toEqual([
      "Alarm updated from INSUFFICIENT_DATA to ALARM",
      "Alarm updated from ALARM to OK",
    ]);
    const rest = (await call("DescribeAlarmHistory", {
      HistoryItemType: "StateUpdate",
      ScanBy: "TimestampAscending",
      MaxRecords: 2,
      NextToken: ascending.NextToken,
    })) as Page;
    expect(rest.AlarmHistoryItems.map((item) => item.HistorySummary)).toEqual([
      "Alarm updated from OK to ALARM",
    ]);
    expect(rest.NextToken).toBeUndefined();
    const window = (await call("DescribeAlarmHistory", {
      HistoryItemType: "StateUpdate",
      StartDate: new Date(START + 1500),
      EndDate: new Date(START + 2500),
    })) as Page;
    expect(window.AlarmHistoryItems.map((item) => item.Timestamp)).toEqual([new Date(START + 2000)]);
  });

  it("tags an alarm by ARN and answers ResourceNotFoundException for an unknown one", async () => {
    await call("PutMetricAlarm", queueDepth);
    const arn = (await describeOne(queueDepth.AlarmName)).AlarmArn;
    await call("TagResource", {
      ResourceARN: arn,
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    });
    await call("UntagResource", { ResourceARN: arn, TagKeys: ["a"] });
    expect(await call("ListTagsForResource", { ResourceARN: arn })).toEqual({
      Tags: [{ Key: "b", Value: "2" }],
    });
    await expect(
      call("ListTagsForResource", { ResourceARN: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:nope" }),
    ).rejects.toMatchObject({ code: "ResourceNotFoundException", status: 404 });
  });
});

describe("durability", () => {
  it("restores alarms, their state, tags and history after a restart", async () => {
    await call("PutMetricAlarm", { ...queueDepth, Tags: [{ Key: "team", Value: "mq" }] });
    await call("SetAlarmState", {
      AlarmName: queueDepth.AlarmName,
      StateValue: "ALARM",
      StateReason: "kept",
    });
    await alarms.close();
    start();
    const alarm = await describeOne(queueDepth.AlarmName);
    expect(alarm).toMatchObject({ StateValue: "ALARM", StateReason: "kept" });
    expect(await call("ListTagsForResource", { ResourceARN: alarm.AlarmArn })).toEqual({
      Tags: [{ Key: "team", Value: "mq" }],
    });
    const history = (await call("DescribeAlarmHistory", {})) as { AlarmHistoryItems: unknown[] };
    // Created, ALARM, and the SNS action it ran.
    expect(history.AlarmHistoryItems).toHaveLength(3);
    // The restored alarm listens for its metric again.
    clock = START + 120_500;
    put(50, START + 60_500);
    await vi.waitFor(() => expect(events.at(-1)?.detail.state.value).toBe("OK"));
  });
});
