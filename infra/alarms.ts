import { alarmEventPattern, type Trigger } from "../workflows/triggers.js";
import { pascalCase, physicalName } from "./stage.js";

type AlarmTrigger = Extract<Trigger, { kind: "alarm" }>;

/**
 * An alarm trigger as an EventBridge rule: any CloudWatch alarm named `mqops-<stage>-<trigger name>…`
 * that enters ALARM starts the workflow with the alarm state-change event as input, through a role
 * that may start that one state machine. Matching on the name prefix lets one rule serve the alarm
 * of every queue registered for the trigger.
 */
export function deployAlarmRule(
  trigger: AlarmTrigger,
  machine: aws.sfn.StateMachine,
): aws.cloudwatch.EventRule {
  const id = `${pascalCase(trigger.name)}AlarmRule`;
  const rule = new aws.cloudwatch.EventRule(id, {
    name: physicalName(trigger.name),
    description: trigger.description,
    eventPattern: JSON.stringify(alarmEventPattern(physicalName(trigger.name))),
  });
  const role = new aws.iam.Role(`${id}Role`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }),
    inlinePolicies: [
      {
        name: "start-workflow",
        policy: aws.iam.getPolicyDocumentOutput({
          statements: [{ effect: "Allow", actions: ["states:StartExecution"], resources: [machine.arn] }],
        }).json,
      },
    ],
  });
  new aws.cloudwatch.EventTarget(`${id}Target`, { rule: rule.name, arn: machine.arn, roleArn: role.arn });
  return rule;
}
