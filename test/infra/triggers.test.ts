import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Trigger } from "../../workflows/triggers.js";
import { asList, inlineStatements, trustStatements } from "./deployed.js";
import { type Evaluation, evaluateApp, named, ofType } from "./harness.js";

// Schedules and alarms arrive with later workflows; this proves their plumbing on the one workflow
// that exists, with a trigger list standing in for workflows/triggers.ts.
vi.mock("../../workflows/triggers.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../workflows/triggers.js")>()),
  TRIGGERS: [
    { workflow: "provisioning", kind: "http", route: "POST /brokers" },
    {
      workflow: "provisioning",
      kind: "schedule",
      name: "weekly-check",
      expression: "cron(0 3 ? * SUN *)",
      input: { source: "schedule" },
    },
    { workflow: "provisioning", kind: "alarm", name: "queue-backlog", description: "Backlog grows" },
  ] satisfies Trigger[],
}));

describe("workflow triggers", () => {
  let evaluation: Evaluation;
  let machineArn: string;
  beforeAll(async () => {
    evaluation = await evaluateApp("ci");
    machineArn = String(named(evaluation, "ProvisioningStateMachine").state.arn);
  });

  const startsOnlyTheMachine = (roleName: string, service: string) => {
    const role = named(evaluation, roleName);
    for (const statement of trustStatements(role)) expect(statement.Principal).toEqual({ Service: service });
    const statements = inlineStatements(role);
    expect(statements.flatMap((statement) => asList(statement.Action))).toEqual(["states:StartExecution"]);
    expect(statements.flatMap((statement) => asList(statement.Resource))).toEqual([machineArn]);
    return role;
  };

  it("starts a scheduled workflow from EventBridge Scheduler with a role that may start only it", () => {
    const schedule = named(evaluation, "WeeklyCheckSchedule").inputs;
    const role = startsOnlyTheMachine("WeeklyCheckScheduleRole", "scheduler.amazonaws.com");
    expect(schedule).toMatchObject({
      name: "mqops-ci-weekly-check",
      scheduleExpression: "cron(0 3 ? * SUN *)",
      scheduleExpressionTimezone: "UTC",
      target: { arn: machineArn, roleArn: role.state.arn, input: JSON.stringify({ source: "schedule" }) },
    });
  });

  it("starts an alarm-triggered workflow when its alarms enter ALARM, with a role that may start only it", () => {
    const rule = named(evaluation, "QueueBacklogAlarmRule");
    expect(JSON.parse(String(rule.inputs.eventPattern))).toEqual({
      source: ["aws.cloudwatch"],
      "detail-type": ["CloudWatch Alarm State Change"],
      detail: { alarmName: [{ prefix: "mqops-ci-queue-backlog" }], state: { value: ["ALARM"] } },
    });
    const role = startsOnlyTheMachine("QueueBacklogAlarmRuleRole", "events.amazonaws.com");
    const targets = ofType(evaluation, "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets.map((target) => target.inputs)).toEqual([
      expect.objectContaining({ rule: rule.state.name, arn: machineArn, roleArn: role.state.arn }),
    ]);
  });
});
