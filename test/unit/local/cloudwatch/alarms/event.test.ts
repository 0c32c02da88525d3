import { describe, expect, it } from "vitest";
import {
  buildAlarmNotification,
  buildAlarmStateChangeEvent,
} from "../../../../../local/cloudwatch/alarms/index.js";
import type { AlarmRecord } from "../../../../../local/cloudwatch/alarms/model.js";

const ALARM_REASON =
  "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).";
const ALARM_DATA =
  '{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0}';
const OK_REASON =
  "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).";
const OK_DATA =
  '{"version":"1.0","queryDate":"2019-10-01T13:56:40.985+0000","startDate":"2019-10-01T13:46:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[0.0666851903306472],"threshold":50.0}';

/** The single-metric alarm of the EventBridge sample in "Alarm events and EventBridge". */
const serverCpuTooHigh: AlarmRecord = {
  alarmName: "ServerCpuTooHigh",
  alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh",
  alarmDescription: "Goes into alarm when server CPU utilization is too high!",
  actionsEnabled: true,
  okActions: [],
  alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"],
  insufficientDataActions: [],
  namespace: "AWS/EC2",
  metricName: "CPUUtilization",
  statistic: "Average",
  dimensions: [{ Name: "InstanceId", Value: "i-12345678901234567" }],
  period: 300,
  evaluationPeriods: 1,
  threshold: 50,
  comparisonOperator: "GreaterThanThreshold",
  eventMetricId: "30b6c6b2-a864-43a2-4877-c09a1afc3b87",
  configurationUpdatedAt: Date.parse("2019-09-30T10:00:00.000Z"),
  state: {
    value: "ALARM",
    reason: ALARM_REASON,
    reasonData: ALARM_DATA,
    timestamp: Date.parse("2019-10-02T17:04:40.989Z"),
  },
  stateTransitionedAt: Date.parse("2019-10-02T17:04:40.989Z"),
  tags: [],
};

describe("buildAlarmStateChangeEvent", () => {
  it("builds the single-metric sample event exactly as EventBridge delivers it", () => {
    const event = buildAlarmStateChangeEvent({
      id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
      account: "123456789012",
      region: "us-east-1",
      alarm: serverCpuTooHigh,
      previousState: {
        value: "OK",
        reason: OK_REASON,
        reasonData: OK_DATA,
        timestamp: Date.parse("2019-10-01T13:56:40.987Z"),
      },
    });
    expect(event).toStrictEqual({
      version: "0",
      id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
      "detail-type": "CloudWatch Alarm State Change",
      source: "aws.cloudwatch",
      account: "123456789012",
      time: "2019-10-02T17:04:40Z",
      region: "us-east-1",
      resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
      detail: {
        alarmName: "ServerCpuTooHigh",
        configuration: {
          description: "Goes into alarm when server CPU utilization is too high!",
          metrics: [
            {
              id: "30b6c6b2-a864-43a2-4877-c09a1afc3b87",
              metricStat: {
                metric: {
                  dimensions: { InstanceId: "i-12345678901234567" },
                  name: "CPUUtilization",
                  namespace: "AWS/EC2",
                },
                period: 300,
                stat: "Average",
              },
              returnData: true,
            },
          ],
        },
        previousState: {
          reason: OK_REASON,
          reasonData: OK_DATA,
          timestamp: "2019-10-01T13:56:40.987+0000",
          value: "OK",
        },
        state: {
          reason: ALARM_REASON,
          reasonData: ALARM_DATA,
          timestamp: "2019-10-02T17:04:40.989+0000",
          value: "ALARM",
        },
      },
    });
  });

  it("shapes a metric-math alarm's queries and leaves out a missing description and reasonData", () => {
    const metricMath: AlarmRecord = {
      ...serverCpuTooHigh,
      alarmDescription: undefined,
      namespace: undefined,
      metricName: undefined,
      statistic: undefined,
      dimensions: undefined,
      metrics: [
        { Id: "e1", Expression: "SUM(METRICS())", Label: "Total Network Traffic", ReturnData: true },
        {
          Id: "m1",
          MetricStat: {
            Metric: {
              Namespace: "AWS/EC2",
              MetricName: "NetworkIn",
              Dimensions: [{ Name: "InstanceId", Value: "i-12345678901234567" }],
            },
            Period: 300,
            Stat: "Maximum",
          },
          ReturnData: false,
        },
      ],
    };
    const event = buildAlarmStateChangeEvent({
      id: "2dde0eb1-528b-d2d5-9ca6-6d590caf2329",
      account: "123456789012",
      region: "us-east-1",
      alarm: metricMath,
      previousState: {
        value: "INSUFFICIENT_DATA",
        reason: "Unchecked: Initial alarm creation",
        timestamp: Date.parse("2019-10-02T17:20:03.642Z"),
      },
    });
    expect(event.detail.configuration).toStrictEqual({
      metrics: [
        { expression: "SUM(METRICS())", id: "e1", label: "Total Network Traffic", returnData: true },
        {
          id: "m1",
          metricStat: {
            metric: {
              dimensions: { InstanceId: "i-12345678901234567" },
              name: "NetworkIn",
              namespace: "AWS/EC2",
            },
            period: 300,
            stat: "Maximum",
          },
          returnData: false,
        },
      ],
    });
    expect(event.detail.previousState).toStrictEqual({
      reason: "Unchecked: Initial alarm creation",
      timestamp: "2019-10-02T17:20:03.642+0000",
      value: "INSUFFICIENT_DATA",
    });
  });
});

describe("buildAlarmNotification", () => {
  it("writes the SNS message CloudWatch sends, with the region's name in the subject", () => {
    const { subject, message } = buildAlarmNotification(
      serverCpuTooHigh,
      { value: "OK", reason: OK_REASON, timestamp: 0 },
      "eu-west-1",
    );
    expect(subject).toBe('ALARM: "ServerCpuTooHigh" in EU (Ireland)');
    expect(JSON.parse(message)).toStrictEqual({
      AlarmName: "ServerCpuTooHigh",
      AlarmDescription: "Goes into alarm when server CPU utilization is too high!",
      AWSAccountId: "000000000000",
      AlarmConfigurationUpdatedTimestamp: "2019-09-30T10:00:00.000+0000",
      NewStateValue: "ALARM",
      NewStateReason: ALARM_REASON,
      StateChangeTime: "2019-10-02T17:04:40.989+0000",
      Region: "EU (Ireland)",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh",
      OldStateValue: "OK",
      OKActions: [],
      AlarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"],
      InsufficientDataActions: [],
      Trigger: {
        MetricName: "CPUUtilization",
        Namespace: "AWS/EC2",
        StatisticType: "Statistic",
        Statistic: "AVERAGE",
        Unit: null,
        Dimensions: [{ value: "i-12345678901234567", name: "InstanceId" }],
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 50,
        TreatMissingData: "",
        EvaluateLowSampleCountPercentile: "",
      },
    });
  });

  it("keeps the subject within SNS's 100 characters", () => {
    const { subject } = buildAlarmNotification(
      { ...serverCpuTooHigh, alarmName: "x".repeat(200) },
      serverCpuTooHigh.state,
      "us-east-1",
    );
    expect(subject).toHaveLength(100);
  });
});
