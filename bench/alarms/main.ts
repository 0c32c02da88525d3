/**
 * Alarm latency of the local cloud: from the end of a metric period to the alarm's state-change event
 * on the bus, and on to StartExecution of the state machine a rule targets. A publisher stands in for
 * the metrics collector and puts each period's datapoint at the period's end (the collector's own
 * read time is measured by `npm run bench:metrics`); the alarm alternates between breaching and not,
 * so every period is a transition. Prints the figures; asserts nothing.
 *
 *   npm run bench:alarms [-- --periods 8]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { type Alarms, createAlarms } from "../../local/cloudwatch/alarms/index.js";
import { createCloudWatchService } from "../../local/cloudwatch/service.js";
import { createEventsService } from "../../local/events/service.js";
import { createStatesService } from "../../local/states/service.js";
import { startLocalEndpoint } from "../../test/support/local-endpoint.js";

const PERIOD_SECONDS = 10;
const { values } = parseArgs({ options: { periods: { type: "string", default: "8" } } });
const periods = Number(values.periods);

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-alarms-"));
const eventAt = new Map<number, number>();
const startedAt = new Map<number, number>();
let currentPeriodEnd = 0;

const states = createStatesService({ dataDir, region: "us-east-1", workflows: [] });
const bus = createEventsService({
  dataDir,
  region: "us-east-1",
  startExecution: async (input) => {
    const started = await states.startExecution(input);
    startedAt.set(currentPeriodEnd, Date.now());
    return started;
  },
});
let alarms: Alarms | undefined;
const cloudwatch = createCloudWatchService({
  dataDir,
  region: "us-east-1",
  extraOperations: (metrics) => {
    alarms = createAlarms({
      dataDir,
      region: "us-east-1",
      metrics,
      emitEvent: (event) => {
        eventAt.set(currentPeriodEnd, Date.now());
        return bus.putEvent(event);
      },
      publishToTopic: () => undefined,
    });
    return alarms.operations;
  },
});
const endpoint = await startLocalEndpoint([states, bus, cloudwatch]);
const role = "arn:aws:iam::000000000000:role/bench";

const sink = await new SFNClient(endpoint.clientConfig).send(
  new CreateStateMachineCommand({
    name: "bench-sink",
    roleArn: role,
    definition: JSON.stringify({ StartAt: "Done", States: { Done: { Type: "Pass", End: true } } }),
  }),
);
const events = new EventBridgeClient(endpoint.clientConfig);
await events.send(
  new PutRuleCommand({
    Name: "bench-alarms",
    EventPattern: JSON.stringify({
      source: ["aws.cloudwatch"],
      detail: { alarmName: [{ prefix: "bench-" }] },
    }),
  }),
);
await events.send(
  new PutTargetsCommand({
    Rule: "bench-alarms",
    Targets: [{ Id: "sink", Arn: sink.stateMachineArn, RoleArn: role }],
  }),
);
const dimensions = [
  { Name: "Broker", Value: "bench-1" },
  { Name: "Queue", Value: "orders" },
];
const query = (id: string, name: string) => ({
  Id: id,
  ReturnData: false,
  MetricStat: {
    Metric: { Namespace: "AWS/AmazonMQ", MetricName: name, Dimensions: dimensions },
    Period: PERIOD_SECONDS,
    Stat: "Sum",
  },
});
await new CloudWatchClient(endpoint.clientConfig).send(
  new PutMetricAlarmCommand({
    AlarmName: "bench-behind",
    Metrics: [
      query("e", "EnqueueCount"),
      query("d", "DispatchCount"),
      { Id: "behind", Expression: "FILL(e, 0) - FILL(d, 0)", ReturnData: true },
    ],
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 50,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    TreatMissingData: "notBreaching",
  }),
);

const periodMs = PERIOD_SECONDS * 1000;
const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
console.log(`alarm latency: ${periods} periods of ${PERIOD_SECONDS} s, a transition every period`);
for (let index = 0; index < periods; index++) {
  const end = (Math.floor(Date.now() / periodMs) + 1) * periodMs;
  await sleepUntil(end);
  currentPeriodEnd = end;
  const enqueued = index % 2 === 0 ? 500 : 10;
  cloudwatch.metrics.putMetricData("AWS/AmazonMQ", [
    {
      MetricName: "EnqueueCount",
      Dimensions: dimensions,
      Timestamp: new Date(end - periodMs),
      Value: enqueued,
      Unit: "Count",
      StorageResolution: 1,
    },
    {
      MetricName: "DispatchCount",
      Dimensions: dimensions,
      Timestamp: new Date(end - periodMs),
      Value: 10,
      Unit: "Count",
      StorageResolution: 1,
    },
  ]);
}
await sleepUntil(currentPeriodEnd + 2000);

// The first evaluation, when the alarm is created, comes before any period the bench publishes.
const rows = [...eventAt.keys()]
  .filter((end) => end > 0)
  .map((end) => ({
    event: (eventAt.get(end) ?? Number.NaN) - end,
    started: (startedAt.get(end) ?? Number.NaN) - end,
  }));
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const line = (label: string, xs: number[]) =>
  console.log(
    `  ${label.padEnd(44)} p50 ${percentile(xs, 50).toFixed(0).padStart(4)} ms   p95 ${percentile(xs, 95).toFixed(0).padStart(4)} ms   max ${Math.max(
      ...xs,
    )
      .toFixed(0)
      .padStart(4)} ms`,
  );
console.log(`  transitions seen: ${rows.length} of ${periods}`);
line(
  "end of period -> state-change event",
  rows.map((row) => row.event),
);
line(
  "end of period -> StartExecution of the target",
  rows.map((row) => row.started),
);
console.log("  goal: under 1000 ms beyond the period (plus the collector's read, see bench:metrics)");

await alarms?.close();
await endpoint.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
