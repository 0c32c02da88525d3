import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCloudProcess } from "./support/local-cloud-process.js";
import { pidsMatching, until } from "./support/wait.js";

// The event plumbing of the local cloud as a user meets it: `mqops up` with 10 s metrics, one real
// broker, `mqops load`, then CloudWatch → alarm → EventBridge rule → Step Functions, a Scheduler
// `at(...)` schedule, and an ECS service whose tasks are real consumer processes.
const PERIOD_SECONDS = 10;
const TIMEOUT_MS = 180_000;
const USER = { username: "app", password: "Plumbing-Pass-4242" };
const QUEUE = "plumbing.orders";
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-plumbing-"));
const cloud = new LocalCloudProcess(dataDir, { MQOPS_METRICS_PERIOD_SECONDS: String(PERIOD_SECONDS) });

let brokerId = "";
let brokerName = "";
let sinkArn = "";
let sent = 0;

const cloudwatch = () => new CloudWatchClient(cloud.clientConfig());
const sfn = () => new SFNClient(cloud.clientConfig());

const queueMetric = (id: string, metricName: string, stat = "Sum"): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: "AWS/AmazonMQ",
      MetricName: metricName,
      Dimensions: [
        { Name: "Broker", Value: `${brokerName}-1` },
        { Name: "Queue", Value: QUEUE },
      ],
    },
    Period: PERIOD_SECONDS,
    Stat: stat,
  },
});

/** The queue's series over the last five minutes, by query id. */
async function series(queries: MetricDataQuery[]) {
  const end = new Date(Date.now() + PERIOD_SECONDS * 1000);
  const result = await cloudwatch().send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(end.getTime() - 5 * 60_000),
      EndTime: end,
      ScanBy: "TimestampAscending",
    }),
  );
  return Object.fromEntries(
    (result.MetricDataResults ?? []).map((r) => [
      r.Id ?? "",
      { values: r.Values ?? [], times: r.Timestamps ?? [] },
    ]),
  );
}

const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

const consumerPids = () => pidsMatching(`consume --queue ${QUEUE}`);

const brokerEnv = { MQ_USERNAME: USER.username, MQ_PASSWORD: USER.password };

beforeAll(async () => {
  await cloud.start();
  brokerName = "plumbing";
  const started = await cloud.api("POST", "/brokers", {
    brokerName,
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode: "SINGLE_INSTANCE",
    hostInstanceType: "mq.m5.large",
    users: [USER],
  });
  expect(started.status).toBe(202);
  const execution = await cloud.executionResult(String(started.body.executionId));
  expect(execution, JSON.stringify(execution)).toMatchObject({ status: "SUCCEEDED" });
  brokerId = (execution.output as { brokerId: string }).brokerId;

  // A state machine that only records what started it: rules and schedules target it.
  const sink = await sfn().send(
    new CreateStateMachineCommand({
      name: "plumbing-sink",
      roleArn: "arn:aws:iam::000000000000:role/plumbing",
      definition: JSON.stringify({ StartAt: "Received", States: { Received: { Type: "Pass", End: true } } }),
    }),
  );
  sinkArn = sink.stateMachineArn ?? "";
}, TIMEOUT_MS);

afterAll(async () => {
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

/** Inputs of the sink's executions, oldest first, with their start dates. */
async function sinkInputs() {
  const listed = await sfn().send(new ListExecutionsCommand({ stateMachineArn: sinkArn }));
  const described = await Promise.all(
    (listed.executions ?? []).map((e) =>
      sfn().send(new DescribeExecutionCommand({ executionArn: e.executionArn })),
    ),
  );
  return described
    .map((e) => ({ input: JSON.parse(e.input ?? "{}") as Record<string, unknown>, startDate: e.startDate }))
    .sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0));
}

describe("event plumbing on a real broker", () => {
  it(
    "publishes the queue's counters within one period, and a metric-math alarm on them starts a workflow through a rule",
    async () => {
      const events = new EventBridgeClient(cloud.clientConfig());
      await events.send(
        new PutRuleCommand({
          Name: "plumbing-alarms",
          EventPattern: JSON.stringify({
            source: ["aws.cloudwatch"],
            "detail-type": ["CloudWatch Alarm State Change"],
            detail: { alarmName: [{ prefix: "plumbing-" }], state: { value: ["ALARM"] } },
          }),
        }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: "plumbing-alarms",
          Targets: [{ Id: "sink", Arn: sinkArn, RoleArn: "arn:aws:iam::000000000000:role/plumbing" }],
        }),
      );
      await cloudwatch().send(
        new PutMetricAlarmCommand({
          AlarmName: "plumbing-consumers-behind",
          Metrics: [
            { ...queueMetric("enqueued", "EnqueueCount"), ReturnData: false },
            { ...queueMetric("dispatched", "DispatchCount"), ReturnData: false },
            { Id: "behind", Expression: "FILL(enqueued, 0) - FILL(dispatched, 0)", ReturnData: true },
          ],
          ComparisonOperator: "GreaterThanThreshold",
          Threshold: 0,
          EvaluationPeriods: 1,
          DatapointsToAlarm: 1,
          TreatMissingData: "notBreaching",
        }),
      );

      // No consumer: every message sent is enqueued and none dispatched.
      const loadStarted = Date.now();
      const load = cloud.cli(
        ["load", "--broker", brokerId, "--queue", QUEUE, "--rate", "20/s", "--for", "15s"],
        brokerEnv,
      );
      const firstSeen = await until("EnqueueCount in GetMetricData", async () => {
        const { enqueued } = await series([queueMetric("enqueued", "EnqueueCount")]);
        return enqueued !== undefined && total(enqueued.values) > 0 ? Date.now() : undefined;
      });
      // The first period with messages ends at most one period after the load starts; its data is there then.
      expect(firstSeen - loadStarted).toBeLessThanOrEqual((PERIOD_SECONDS + 3) * 1000);
      const finished = await load;
      expect(finished.code, finished.stderr).toBe(0);
      sent = Number(/sent (\d+) persistent messages/.exec(finished.stdout + finished.stderr)?.[1]);
      expect(sent).toBeGreaterThan(200);
      expect(`${finished.stdout}${finished.stderr}`).not.toContain(USER.password);

      const counted = await until("every sent message counted", async () => {
        const got = await series([
          queueMetric("enqueued", "EnqueueCount"),
          queueMetric("dispatched", "DispatchCount"),
        ]);
        return total(got.enqueued?.values ?? []) === sent ? got : undefined;
      });
      expect(total(counted.dispatched?.values ?? [])).toBe(0);
      expect(counted.dispatched?.values.length).toBeGreaterThan(0);

      const alarm = await until("the alarm in ALARM", async () => {
        const described = await cloudwatch().send(
          new DescribeAlarmsCommand({ AlarmNames: ["plumbing-consumers-behind"] }),
        );
        const found = described.MetricAlarms?.[0];
        return found?.StateValue === "ALARM" ? found : undefined;
      });
      expect(alarm.StateReason).toMatch(/greater than the threshold/);

      const started = await until("the rule's execution", async () => {
        const inputs = await sinkInputs();
        return inputs.find((e) => e.input.source === "aws.cloudwatch");
      });
      expect(started.input).toMatchObject({
        "detail-type": "CloudWatch Alarm State Change",
        resources: [alarm.AlarmArn],
        detail: { alarmName: "plumbing-consumers-behind", state: { value: "ALARM" } },
      });
    },
    TIMEOUT_MS,
  );

  it(
    "starts a state machine from an at(...) schedule within a second of its time",
    async () => {
      const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 4000);
      await new SchedulerClient(cloud.clientConfig()).send(
        new CreateScheduleCommand({
          Name: "plumbing-once",
          ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
          FlexibleTimeWindow: { Mode: "OFF" },
          Target: {
            Arn: sinkArn,
            RoleArn: "arn:aws:iam::000000000000:role/plumbing",
            Input: '{"marker":"at"}',
          },
        }),
      );
      const fired = await until("the schedule's execution", async () => {
        const inputs = await sinkInputs();
        return inputs.find((e) => e.input.marker === "at");
      });
      const lateMs = (fired.startDate?.getTime() ?? 0) - at.getTime();
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThanOrEqual(1000);
    },
    TIMEOUT_MS,
  );

  it(
    "runs an ECS service's desired count as consumer processes that drain the queue, and none at 0",
    async () => {
      const ecs = new ECSClient(cloud.clientConfig());
      await ecs.send(new CreateClusterCommand({ clusterName: "plumbing" }));
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "plumbing-consumer",
          containerDefinitions: [
            {
              name: "consumer",
              image: "mqops/consumer",
              command: ["--queue", QUEUE],
              stopTimeout: 5,
              memory: 128,
              environment: [
                { name: "MQOPS_BROKER_ID", value: brokerId },
                { name: "MQOPS_SERVICE_MS", value: "5" },
                { name: "MQ_USERNAME", value: USER.username },
                { name: "MQ_PASSWORD", value: USER.password },
              ],
            },
          ],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster: "plumbing",
          serviceName: "consumers",
          taskDefinition: "plumbing-consumer",
          desiredCount: 0,
        }),
      );
      expect(consumerPids()).toEqual([]);

      await ecs.send(
        new UpdateServiceCommand({ cluster: "plumbing", service: "consumers", desiredCount: 3 }),
      );
      await until("three running tasks", async () => {
        const described = await ecs.send(
          new DescribeServicesCommand({ cluster: "plumbing", services: ["consumers"] }),
        );
        return described.services?.[0]?.runningCount === 3 ? true : undefined;
      });
      expect(consumerPids()).toHaveLength(3);

      // Drained: the broker's own counters say every message was dequeued and none waits.
      await until(
        "the queue drained",
        async () => {
          const got = await series([
            queueMetric("dequeued", "DequeueCount"),
            queueMetric("size", "QueueSize", "Maximum"),
          ]);
          const sizes = got.size?.values ?? [];
          return total(got.dequeued?.values ?? []) === sent && sizes[sizes.length - 1] === 0
            ? true
            : undefined;
        },
        90_000,
      );

      await ecs.send(
        new UpdateServiceCommand({ cluster: "plumbing", service: "consumers", desiredCount: 0 }),
      );
      await until("no running task", async () => {
        const described = await ecs.send(
          new DescribeServicesCommand({ cluster: "plumbing", services: ["consumers"] }),
        );
        return described.services?.[0]?.runningCount === 0 ? true : undefined;
      });
      await until(
        "no consumer process",
        async () => (consumerPids().length === 0 ? true : undefined),
        15_000,
      );
    },
    TIMEOUT_MS,
  );
});
