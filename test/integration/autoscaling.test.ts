import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCloudProcess } from "./support/local-cloud-process.js";
import { pidsMatching, until as waitUntil } from "./support/wait.js";

// Consumer autoscaling end to end on the local cloud, with 10 s metrics: a real broker's counters →
// CloudWatch alarms (created by the registration API) → the EventBridge rule → the autoscaling workflow
// → ECS UpdateService → consumer processes on the broker. Timings are the settings' minimums scaled to
// 10 s periods, so the whole loop runs in a few minutes.
const PERIOD_SECONDS = 10;
const TIMEOUT_MS = 600_000;
const USER = { username: "app", password: "Autoscale-Pass-4242" };
const QUEUE = "autoscale.orders";
const BROKER_NAME = "autoscale";
const SERVICE_MS = 200; // five messages a second per consumer
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-autoscaling-"));
const cloud = new LocalCloudProcess(dataDir, { MQOPS_METRICS_PERIOD_SECONDS: String(PERIOD_SECONDS) });
const brokerEnv = { MQ_USERNAME: USER.username, MQ_PASSWORD: USER.password };

let brokerId = "";
/** Every desired count the service had, in order, as sampled once a second through the test. */
const desiredHistory: Array<{ at: number; desired: number }> = [];
let sampling = true;

interface Decision {
  action: string;
  desired: number;
  previousDesired: number;
  reason: string;
  at: string;
  executionArn: string;
}

const desired = async () => {
  const described = await new ECSClient(cloud.clientConfig()).send(
    new DescribeServicesCommand({ cluster: "autoscale", services: ["consumers"] }),
  );
  const service = described.services?.[0];
  return { desired: service?.desiredCount ?? -1, running: service?.runningCount ?? -1 };
};

async function sampleDesired() {
  while (sampling) {
    try {
      const { desired: count } = await desired();
      if (desiredHistory.at(-1)?.desired !== count) desiredHistory.push({ at: Date.now(), desired: count });
    } catch {
      // The cloud is stopping: sampling ends with the test.
    }
    await sleep(1000);
  }
}

/** Samples once a second, as the desired-count sampler does. */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) =>
  waitUntil(what, probe, timeoutMs, 1000);

const consumerPids = () => pidsMatching(`consume --queue ${QUEUE}`);

/** The queue's size per period the broker reported in the last minute, newest first (CloudWatch, AWS/AmazonMQ). */
async function queueSizes(): Promise<{ at: number; size: number }[]> {
  const end = new Date();
  const data = await new CloudWatchClient(cloud.clientConfig()).send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 60_000),
      EndTime: end,
      MetricDataQueries: [
        {
          Id: "size",
          MetricStat: {
            Metric: {
              Namespace: "AWS/AmazonMQ",
              MetricName: "QueueSize",
              Dimensions: [
                { Name: "Broker", Value: `${BROKER_NAME}-1` },
                { Name: "Queue", Value: QUEUE },
              ],
            },
            Period: PERIOD_SECONDS,
            Stat: "Maximum",
          },
        },
      ],
    }),
  );
  const result = data.MetricDataResults?.[0];
  return (result?.Values ?? []).map((size, index) => ({
    at: result?.Timestamps?.[index]?.getTime() ?? 0,
    size,
  }));
}

/** The queue's size in the latest period the broker reported. */
const queueSize = async () => (await queueSizes())[0]?.size;

/** The local cloud's autoscaling state machine, looked up once. */
let autoscalingMachineArn: string | undefined;

/** Autoscaling workflow executions still running (an alarm that fired is being acted on). */
async function runningDecisions(): Promise<number> {
  const sfn = new SFNClient(cloud.clientConfig());
  if (autoscalingMachineArn === undefined) {
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    autoscalingMachineArn = machines.stateMachines?.find((machine) =>
      machine.name?.endsWith("-autoscaling"),
    )?.stateMachineArn;
    if (autoscalingMachineArn === undefined)
      throw new Error("no autoscaling state machine in the local cloud");
  }
  const running = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: autoscalingMachineArn, statusFilter: "RUNNING" }),
  );
  return running.executions?.length ?? 0;
}

/**
 * Resolves once `periods` metric periods that began after `since` have been published and every
 * autoscaling execution has ended: the alarms have evaluated those periods and acted on them.
 */
const periodsSettled = (what: string, since: number, periods: number) =>
  until(
    what,
    async () => {
      const published = (await queueSizes()).filter((point) => point.at >= since).length;
      return published >= periods && (await runningDecisions()) === 0 ? true : undefined;
    },
    (periods + 3) * PERIOD_SECONDS * 1000 + 60_000,
  );

const status = async () => {
  const got = await cloud.api("GET", `/brokers/${brokerId}/queues/${QUEUE}/autoscaling`);
  expect(got.status, JSON.stringify(got.body)).toBe(200);
  return got.body as { decisions: Decision[]; alarms: Array<{ kind: string; state: string }> };
};

beforeAll(async () => {
  await cloud.start();
  const started = await cloud.api("POST", "/brokers", {
    brokerName: BROKER_NAME,
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

  const ecs = new ECSClient(cloud.clientConfig());
  await ecs.send(new CreateClusterCommand({ clusterName: "autoscale" }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "autoscale-consumer",
      containerDefinitions: [
        {
          name: "consumer",
          image: "mqops/consumer",
          memory: 128,
          stopTimeout: 5,
          command: ["--queue", QUEUE],
          environment: [
            { name: "MQOPS_BROKER_ID", value: brokerId },
            { name: "MQOPS_SERVICE_MS", value: String(SERVICE_MS) },
            { name: "MQ_USERNAME", value: USER.username },
            { name: "MQ_PASSWORD", value: USER.password },
          ],
        },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: "autoscale",
      serviceName: "consumers",
      taskDefinition: "autoscale-consumer",
      desiredCount: 0,
    }),
  );
  void sampleDesired();
}, TIMEOUT_MS);

afterAll(async () => {
  sampling = false;
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

describe("consumer autoscaling on a real broker", () => {
  it("refuses a registration whose settings are wrong, naming the field", async () => {
    const refused = await cloud.api("PUT", `/brokers/${brokerId}/queues/${QUEUE}/autoscaling`, {
      ecs: { cluster: "autoscale", service: "consumers" },
      settings: { minConsumers: 5, maxConsumers: 2 },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("minConsumers");
  });

  it(
    "scales out when consumers fall behind, applies one decision per queue, drains the backlog and scales in to zero without reversal",
    async () => {
      const settingsFile = path.join(dataDir, "settings.json");
      writeFileSync(
        settingsFile,
        JSON.stringify({
          minConsumers: 0,
          maxConsumers: 6,
          targetWaitSeconds: 30,
          consumerStartupSeconds: 5,
          scaleOutCooldownSeconds: 10,
          scaleInCooldownSeconds: 30,
          scaleInStabilisationSeconds: 60,
          fallbackMessagesPerConsumerMinute: (60_000 / SERVICE_MS) * 0.8,
          scaleToZero: { enabled: true, quietPeriodSeconds: 60, activationQueueSize: 1 },
        }),
      );
      const again = await cloud.cli([
        "autoscaling",
        "register",
        "--broker",
        brokerId,
        "--queue",
        QUEUE,
        "--cluster",
        "autoscale",
        "--service",
        "consumers",
        "--settings",
        settingsFile,
      ]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("scale-out");

      // Twelve messages a second for 40 s: more than two consumers' worth, with none to start.
      const loadStarted = Date.now();
      const load = cloud.cli(
        ["load", "--broker", brokerId, "--queue", QUEUE, "--rate", "12/s", "--for", "40s"],
        brokerEnv,
      );
      const scaledOut = await until(
        "a scale-out",
        async () => ((await desired()).desired > 0 ? Date.now() : undefined),
        120_000,
      );
      // Backlog onset to a raised desired count: the windows end at the latest 10 s period published, so
      // one period, the alarm's evaluation and the workflow (the bench measures it; this is a loose bound).
      expect(scaledOut - loadStarted).toBeLessThan(60_000);
      // The scale-out and from-zero alarms fire together here; one decision per queue applies. Both
      // alarms have evaluated once two more periods are published and no decision is running.
      await periodsSettled("two more periods evaluated", scaledOut, 2);
      const fromZero = (await status()).decisions.filter(
        (decision) => decision.previousDesired === 0 && decision.desired > 0,
      );
      expect(fromZero, JSON.stringify(fromZero)).toHaveLength(1);
      await until(
        "consumer processes running",
        async () => (consumerPids().length > 0 ? true : undefined),
        60_000,
      );
      const finished = await load;
      expect(finished.code, finished.stderr).toBe(0);

      // The load has stopped: the consumers drain the backlog.
      await until("the backlog drained", async () => ((await queueSize()) === 0 ? true : undefined), 180_000);
      // The load has stopped and the queue is empty: the fleet scales in, to zero (scale to zero is on,
      // quiet period 60 s), and its consumer processes stop.
      const drainedAt = Date.now();
      await until(
        "the fleet at zero",
        async () => {
          const fleet = await desired();
          return fleet.desired === 0 && fleet.running === 0 && consumerPids().length === 0 ? true : undefined;
        },
        420_000,
      );
      const zeroAt = Date.now();
      // Nothing wakes it again with no traffic: three more periods evaluated by the alarms, watched by
      // the sampler.
      await periodsSettled("three periods evaluated at zero", zeroAt, 3);
      expect(desiredHistory.filter((sample) => sample.at > zeroAt && sample.desired > 0)).toEqual([]);
      const counts = desiredHistory.map((sample) => sample.desired);
      const peak = counts.indexOf(Math.max(...counts));
      // Up to the peak the count only grows, after it only shrinks: no scale-out after a scale-in.
      expect(counts.slice(0, peak + 1)).toEqual([...counts.slice(0, peak + 1)].sort((a, b) => a - b));
      expect(counts.slice(peak)).toEqual([...counts.slice(peak)].sort((a, b) => b - a));
      expect(counts.at(-1)).toBe(0);
      console.log(
        `autoscaling: drained → zero in ${Math.round((zeroAt - drainedAt) / 1000)} s; desired counts ${counts.join(" → ")}`,
      );

      // Every decision is recorded with its reason, holds included.
      const { decisions, alarms } = await status();
      expect(decisions.length).toBeGreaterThan(0);
      for (const decision of decisions) expect(decision.reason.length).toBeGreaterThan(10);
      const toZero = decisions.filter((decision) => decision.action === "scale-in" && decision.desired === 0);
      expect(toZero, JSON.stringify(decisions)).toHaveLength(1);
      expect(alarms.map((alarm) => alarm.kind).sort()).toEqual(["from-zero", "scale-in", "scale-out"]);
    },
    TIMEOUT_MS,
  );
});
