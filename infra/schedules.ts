import { SCHEDULE_RUN, type Trigger } from "../workflows/triggers.js";
import { pascalCase, physicalName } from "./stage.js";

type ScheduleTrigger = Extract<Trigger, { kind: "schedule" }>;

/**
 * A schedule trigger as an EventBridge Scheduler schedule (UTC) that starts the workflow with the
 * trigger's input, through a role that may start that one state machine and nothing else.
 */
export function deploySchedule(
  trigger: ScheduleTrigger,
  machine: aws.sfn.StateMachine,
): aws.scheduler.Schedule {
  const id = `${pascalCase(trigger.name)}Schedule`;
  const role = new aws.iam.Role(`${id}Role`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "scheduler.amazonaws.com" }),
    inlinePolicies: [
      {
        name: "start-workflow",
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [{ effect: "Allow", actions: ["states:StartExecution"], resources: [machine.arn] }],
        }).json,
      },
    ],
  });
  return new aws.scheduler.Schedule(id, {
    name: physicalName(trigger.name),
    scheduleExpression: trigger.expression,
    scheduleExpressionTimezone: SCHEDULE_RUN.timezone,
    flexibleTimeWindow: { mode: SCHEDULE_RUN.flexibleTimeWindow },
    target: {
      arn: machine.arn,
      roleArn: role.arn,
      input: JSON.stringify(trigger.input),
      retryPolicy: { maximumRetryAttempts: SCHEDULE_RUN.maximumRetryAttempts },
    },
  });
}
