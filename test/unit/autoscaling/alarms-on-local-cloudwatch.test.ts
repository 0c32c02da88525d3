import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AlarmTarget, alarmSpecs } from "../../../functions/autoscaling/alarm-specs.js";
import { historyRange, toWindows, windowQueries } from "../../../functions/autoscaling/metric-windows.js";
import { registrationId } from "../../../functions/autoscaling/registration.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import {
  type AlarmStateChangeEvent,
  type Alarms,
  createAlarms,
} from "../../../local/cloudwatch/alarms/index.js";
import { createCloudWatchService } from "../../../local/cloudwatch/service.js";
import { startLocalEndpoint } from "../../support/local-endpoint.js";

// The contract between the alarm specs and the local CloudWatch: the same PutMetricAlarm inputs the API
// sends are accepted, evaluated on Amazon MQ-shaped data and emit the state-change events the rule catches.
const START = Date.parse("2026-11-30T12:00:00Z");
const target: AlarmTarget = {
  prefix: "mqops-local-autoscaling",
  registrationId: registrationId("b-1", "orders"),
  brokerName: "orders-broker",
  instances: ["orders-broker-1", "orders-broker-2"],
  queue: "orders",
  settings: scalingSettings({ scaleToZero: { enabled: true }, scaleInStabilisationSeconds: 120 }),
  periodSeconds: 60,
};
const [scaleOut, scaleIn, fromZero] = alarmSpecs(target);

let dataDir: string;
let clock: number;
let events: AlarmStateChangeEvent[];
let alarms: Alarms;
let service: ReturnType<typeof createCloudWatchService>;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: CloudWatchClient;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-autoscaling-alarms-"));
  clock = START + 30_000;
  events = [];
  alarms = createAlarms({
    dataDir,
    region: "us-east-1",
    metrics: () => service.metrics,
    now: () => clock,
    emitEvent: (event) => {
      events.push(event);
    },
    publishToTopic: () => undefined,
  });
  service = createCloudWatchService({
    dataDir,
    region: "us-east-1",
    now: () => clock,
    extraOperations: alarms.operations,
  });
  endpoint = await startLocalEndpoint([service]);
  client = new CloudWatchClient(endpoint.clientConfig);
  for (const spec of alarmSpecs(target)) await client.send(new PutMetricAlarmCommand(spec));
});

afterEach(async () => {
  client.destroy();
  await endpoint.close();
  await alarms.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One minute of the active instance's queue metrics, as the collector publishes them after the minute. */
function publishMinute(minute: number, values: { enq: number; dsp: number; size: number; cons: number }) {
  clock = START + (minute + 1) * 60_000 + 200;
  const Timestamp = new Date(START + minute * 60_000);
  const Dimensions = [
    { Name: "Broker", Value: "orders-broker-1" },
    { Name: "Queue", Value: "orders" },
  ];
  service.metrics.putMetricData("AWS/AmazonMQ", [
    { MetricName: "EnqueueCount", Dimensions, Value: values.enq, Unit: "Count", Timestamp },
    { MetricName: "DispatchCount", Dimensions, Value: values.dsp, Unit: "Count", Timestamp },
    { MetricName: "QueueSize", Dimensions, Value: values.size, Unit: "Count", Timestamp },
    { MetricName: "ConsumerCount", Dimensions, Value: values.cons, Unit: "Count", Timestamp },
  ]);
}

const entered = (state: string) =>
  events.filter((e) => e.detail.state.value === state).map((e) => e.detail.alarmName);

describe("the autoscaling alarms on the local CloudWatch", () => {
  it("are accepted as the API sends them", async () => {
    const described = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: target.prefix }));
    expect(described.MetricAlarms?.map((alarm) => alarm.AlarmName).sort()).toEqual(
      [scaleOut, scaleIn, fromZero].map((spec) => spec?.AlarmName).sort(),
    );
  });

  it("go to ALARM for a growing backlog (scale-out) with the standby instance silent", async () => {
    publishMinute(0, { enq: 100, dsp: 100, size: 2, cons: 2 });
    publishMinute(1, { enq: 500, dsp: 100, size: 402, cons: 2 });
    await vi.waitFor(() => expect(entered("ALARM")).toContain(scaleOut?.AlarmName));
    expect(entered("ALARM")).not.toContain(scaleIn?.AlarmName);
  });

  it("go to ALARM from zero on the first waiting message, and for idle consumers over the window", async () => {
    publishMinute(0, { enq: 0, dsp: 0, size: 0, cons: 3 });
    publishMinute(1, { enq: 0, dsp: 0, size: 0, cons: 3 });
    await vi.waitFor(() => expect(entered("ALARM")).toContain(scaleIn?.AlarmName));
    publishMinute(2, { enq: 1, dsp: 0, size: 1, cons: 0 });
    await vi.waitFor(() => expect(entered("ALARM")).toContain(fromZero?.AlarmName));
  });

  it("can be re-armed with SetAlarmState, as the workflow does when it stops deciding", async () => {
    publishMinute(0, { enq: 100, dsp: 100, size: 2, cons: 2 });
    publishMinute(1, { enq: 500, dsp: 100, size: 402, cons: 2 });
    await vi.waitFor(() => expect(entered("ALARM")).toContain(scaleOut?.AlarmName));
    await client.send(
      new SetAlarmStateCommand({ AlarmName: scaleOut?.AlarmName, StateValue: "OK", StateReason: "re-armed" }),
    );
    const [alarm] =
      (await client.send(new DescribeAlarmsCommand({ AlarmNames: [scaleOut?.AlarmName ?? ""] })))
        .MetricAlarms ?? [];
    expect(alarm?.StateValue).toBe("OK");
  });

  it("answer the workflow's GetMetricData with per-minute windows it sums over the instances", async () => {
    publishMinute(0, { enq: 100, dsp: 90, size: 12, cons: 2 });
    publishMinute(1, { enq: 120, dsp: 110, size: 22, cons: 2 });
    const range = historyRange(Math.floor(clock / 1000));
    const data = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: windowQueries(target.instances, target.queue),
        StartTime: new Date(range.start * 1000),
        EndTime: new Date(range.end * 1000),
        ScanBy: "TimestampAscending",
      }),
    );
    expect(toWindows(data.MetricDataResults ?? [])).toEqual([
      { start: START / 1000, enqueueCount: 100, dispatchCount: 90, queueSize: 12, consumerCount: 2 },
      { start: START / 1000 + 60, enqueueCount: 120, dispatchCount: 110, queueSize: 22, consumerCount: 2 },
    ]);
  });
});
