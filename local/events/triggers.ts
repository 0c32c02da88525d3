import {
  type EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  type SchedulerClient,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { alarmEventPattern, SCHEDULE_RUN, type Trigger } from "../../workflows/triggers.js";
import { LOCAL_ACCOUNT } from "../server/service.js";

type AlarmTrigger = Extract<Trigger, { kind: "alarm" }>;
type ScheduleTrigger = Extract<Trigger, { kind: "schedule" }>;

export interface ApplyTriggersOptions {
  /** workflows/triggers.ts `TRIGGERS`. */
  triggers: readonly Trigger[];
  /** The physical name of a resource, `mqops-<stage>-<suffix>`, as infra/stage.ts `physicalName`. */
  physicalName: (suffix: string) => string;
  /** Each workflow's state machine ARN, by workflow name. */
  stateMachineArns: Record<string, string>;
  /** Clients of the local endpoint: triggers are applied through the same APIs infra/ deploys with. */
  events: EventBridgeClient;
  scheduler: SchedulerClient;
}

/** What infra/ has IAM create for each trigger; locally nothing checks roles, but targets carry one. */
const roleArn = (name: string) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`;

/** The EventBridge rule infra/alarms.ts deploys for an alarm trigger. */
export function alarmRule(trigger: AlarmTrigger, physicalName: (suffix: string) => string) {
  const name = physicalName(trigger.name);
  return {
    Name: name,
    Description: trigger.description,
    EventPattern: JSON.stringify(alarmEventPattern(name)),
    State: "ENABLED" as const,
  };
}

/** The EventBridge Scheduler schedule infra/schedules.ts deploys for a schedule trigger. */
export function triggerSchedule(
  trigger: ScheduleTrigger,
  physicalName: (suffix: string) => string,
  stateMachineArn: string,
): CreateScheduleCommandInput {
  const name = physicalName(trigger.name);
  return {
    Name: name,
    GroupName: "default",
    ScheduleExpression: trigger.expression,
    ScheduleExpressionTimezone: SCHEDULE_RUN.timezone,
    FlexibleTimeWindow: { Mode: SCHEDULE_RUN.flexibleTimeWindow },
    Target: {
      Arn: stateMachineArn,
      RoleArn: roleArn(name),
      Input: JSON.stringify(trigger.input),
      RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RUN.maximumRetryAttempts },
    },
  };
}

/** Whether a deployed schedule already is what the trigger declares (then it is left alone). */
function sameSchedule(deployed: GetScheduleCommandOutput, wanted: CreateScheduleCommandInput) {
  return (
    deployed.ScheduleExpression === wanted.ScheduleExpression &&
    deployed.ScheduleExpressionTimezone === wanted.ScheduleExpressionTimezone &&
    deployed.State === "ENABLED" &&
    deployed.Target?.Arn === wanted.Target?.Arn &&
    deployed.Target?.Input === wanted.Target?.Input &&
    deployed.Target?.RetryPolicy?.MaximumRetryAttempts === wanted.Target?.RetryPolicy?.MaximumRetryAttempts
  );
}

/**
 * Creates, from workflows/triggers.ts, the rules and schedules infra/ deploys on AWS: for an alarm
 * trigger a rule on the alarm-name prefix `mqops-<stage>-<name>` whose target is the workflow's state
 * machine; for a schedule trigger a UTC schedule starting it with the trigger's input. Idempotent
 * across restarts: a rule is put again (PutRule and PutTargets replace in place) and a schedule that
 * already matches is left as it is, so its next fire time survives. HTTP triggers are the gateway's.
 */
export async function applyTriggers(
  options: ApplyTriggersOptions,
): Promise<{ rules: string[]; schedules: string[] }> {
  const applied = { rules: [] as string[], schedules: [] as string[] };
  for (const trigger of options.triggers) {
    if (trigger.kind === "http") continue;
    const machine = options.stateMachineArns[trigger.workflow];
    if (machine === undefined)
      throw new Error(`Trigger ${trigger.kind} for unknown workflow ${trigger.workflow}`);
    if (trigger.kind === "alarm") {
      const rule = alarmRule(trigger, options.physicalName);
      await options.events.send(new PutRuleCommand(rule));
      const existing = await options.events.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
      const target = existing.Targets?.find((candidate) => candidate.Id === trigger.workflow);
      if (target?.Arn !== machine) {
        const result = await options.events.send(
          new PutTargetsCommand({
            Rule: rule.Name,
            Targets: [{ Id: trigger.workflow, Arn: machine, RoleArn: roleArn(rule.Name) }],
          }),
        );
        if ((result.FailedEntryCount ?? 0) > 0) {
          throw new Error(`${rule.Name}: ${result.FailedEntries?.[0]?.ErrorMessage ?? "target refused"}`);
        }
      }
      applied.rules.push(rule.Name);
      continue;
    }
    const wanted = triggerSchedule(trigger, options.physicalName, machine);
    let deployed: GetScheduleCommandOutput | undefined;
    try {
      deployed = await options.scheduler.send(
        new GetScheduleCommand({ Name: wanted.Name, GroupName: "default" }),
      );
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException") throw error;
    }
    if (deployed === undefined) await options.scheduler.send(new CreateScheduleCommand(wanted));
    else if (!sameSchedule(deployed, wanted)) await options.scheduler.send(new UpdateScheduleCommand(wanted));
    applied.schedules.push(wanted.Name ?? "");
  }
  return applied;
}
