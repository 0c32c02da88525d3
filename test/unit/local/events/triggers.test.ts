import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEventsService } from "../../../../local/events/service.js";
import { applyTriggers } from "../../../../local/events/triggers.js";
import { createSchedulerService } from "../../../../local/scheduler/service.js";
import type { Trigger } from "../../../../workflows/triggers.js";
import { manualTime, recordingStartExecution } from "../../../support/fake-targets.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

const ARNS = {
  provisioning: "arn:aws:states:us-east-1:000000000000:stateMachine:mqops-local-provisioning",
  autoscaling: "arn:aws:states:us-east-1:000000000000:stateMachine:mqops-local-autoscaling",
  maintenance: "arn:aws:states:us-east-1:000000000000:stateMachine:mqops-local-maintenance",
};
const TRIGGERS: Trigger[] = [
  { workflow: "provisioning", kind: "http", route: "POST /brokers" },
  {
    workflow: "autoscaling",
    kind: "alarm",
    name: "autoscaling",
    description: "A queue's alarm entered ALARM",
  },
  {
    workflow: "maintenance",
    kind: "schedule",
    name: "maintenance",
    expression: "cron(0 3 ? * SUN *)",
    input: { canary: true },
  },
];
const physicalName = (suffix: string) => `mqops-local-${suffix}`;

let dataDir: string;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let events: ReturnType<typeof createEventsService>;
let eventsClient: EventBridgeClient;
let schedulerClient: SchedulerClient;
let targets: ReturnType<typeof recordingStartExecution>;
let time: ReturnType<typeof manualTime>;

async function start() {
  const common = { dataDir, region: "us-east-1", startExecution: targets.startExecution, ...time };
  events = createEventsService(common);
  endpoint = await startLocalEndpoint([events, createSchedulerService(common)]);
  eventsClient = new EventBridgeClient(endpoint.clientConfig);
  schedulerClient = new SchedulerClient(endpoint.clientConfig);
}

async function stop() {
  eventsClient.destroy();
  schedulerClient.destroy();
  await endpoint.close();
}

const apply = () =>
  applyTriggers({
    triggers: TRIGGERS,
    physicalName,
    stateMachineArns: ARNS,
    events: eventsClient,
    scheduler: schedulerClient,
  });

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-triggers-"));
  targets = recordingStartExecution();
  time = manualTime(Date.parse("2026-11-30T12:00:00Z"));
  await start();
});

afterEach(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("applyTriggers", () => {
  it("creates the alarm rule and the schedule infra/ deploys", async () => {
    expect(await apply()).toEqual({
      rules: ["mqops-local-autoscaling"],
      schedules: ["mqops-local-maintenance"],
    });
    const rule = await eventsClient.send(new DescribeRuleCommand({ Name: "mqops-local-autoscaling" }));
    expect(rule).toMatchObject({ State: "ENABLED", Description: "A queue's alarm entered ALARM" });
    expect(JSON.parse(rule.EventPattern ?? "")).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { alarmName: [{ prefix: "mqops-local-autoscaling" }], state: { value: ["ALARM"] } },
    });
    const listed = await eventsClient.send(new ListTargetsByRuleCommand({ Rule: "mqops-local-autoscaling" }));
    expect(listed.Targets).toEqual([
      expect.objectContaining({ Id: "autoscaling", Arn: ARNS.autoscaling, RoleArn: expect.any(String) }),
    ]);
    const schedule = await schedulerClient.send(new GetScheduleCommand({ Name: "mqops-local-maintenance" }));
    expect(schedule).toMatchObject({
      ScheduleExpression: "cron(0 3 ? * SUN *)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: { Arn: ARNS.maintenance, Input: '{"canary":true}', RetryPolicy: { MaximumRetryAttempts: 3 } },
    });
  });

  it("is idempotent across restarts: nothing is duplicated and the schedule is left as it was", async () => {
    await apply();
    const before = await schedulerClient.send(new GetScheduleCommand({ Name: "mqops-local-maintenance" }));
    await stop();
    await time.advance(60_000);
    await start();
    await apply();
    const after = await schedulerClient.send(new GetScheduleCommand({ Name: "mqops-local-maintenance" }));
    expect(after.LastModificationDate).toEqual(before.LastModificationDate);
    expect((await eventsClient.send(new ListRulesCommand({}))).Rules).toHaveLength(1);
    expect((await schedulerClient.send(new ListSchedulesCommand({}))).Schedules).toHaveLength(1);
    expect(
      (await eventsClient.send(new ListTargetsByRuleCommand({ Rule: "mqops-local-autoscaling" }))).Targets,
    ).toHaveLength(1);
  });

  it("makes an alarm entering ALARM start the workflow with the state-change event", async () => {
    await apply();
    const event = {
      version: "0",
      id: "c4c1c1c1-0000-4000-8000-000000000000",
      "detail-type": "CloudWatch Alarm State Change",
      source: "aws.cloudwatch",
      account: "000000000000",
      time: "2026-11-30T12:00:00Z",
      region: "us-east-1",
      resources: ["arn:aws:cloudwatch:us-east-1:000000000000:alarm:mqops-local-autoscaling-b1-orders-out"],
      detail: {
        alarmName: "mqops-local-autoscaling-b1-orders-out",
        state: { value: "ALARM" },
        previousState: { value: "OK" },
      },
    };
    await events.putEvent(event);
    await time.advance(0);
    expect(targets.calls).toEqual([expect.objectContaining({ stateMachineArn: ARNS.autoscaling })]);
    expect(JSON.parse(targets.calls[0]?.input ?? "")).toEqual(event);
  });

  it("makes the schedule start its workflow with the trigger's input", async () => {
    await apply();
    // The first Sunday 03:00 UTC after Monday 2026-11-30 12:00.
    await time.advance(Date.parse("2026-12-06T03:00:00Z") - time.now());
    expect(targets.calls).toEqual([
      expect.objectContaining({ stateMachineArn: ARNS.maintenance, input: '{"canary":true}' }),
    ]);
  });

  it("refuses a trigger of a workflow it has no state machine for", async () => {
    await expect(
      applyTriggers({
        triggers: [{ workflow: "nope", kind: "alarm", name: "x", description: "x" }],
        physicalName,
        stateMachineArns: ARNS,
        events: eventsClient,
        scheduler: schedulerClient,
      }),
    ).rejects.toThrow("unknown workflow nope");
  });
});
