import { TAG_AUTOSCALING } from "../functions/lib/state-table.js";
import { AUTOSCALING_TRIGGER } from "../workflows/triggers.js";
import { accountId, executionsArn, partition, region, stateMachineArn } from "./aws-context.js";
import { FUNCTION_GRANTS, type FunctionGrant, MQ_AUTHORIZED_EC2_ACTIONS } from "./grants.js";
import { notificationsTopic } from "./notifications.js";
import { brokerSecretsArn } from "./secrets.js";
import { physicalName } from "./stage.js";
import { stateTable } from "./storage.js";

type Permission = sst.aws.FunctionPermissionArgs;

const STATE_MACHINE_ENV = /^([A-Z0-9_]+)_STATE_MACHINE_ARN$/;

/** `PROVISIONING_STATE_MACHINE_ARN` → the workflow name `provisioning`. */
export function workflowOfEnvironment(name: string): string | undefined {
  const match = STATE_MACHINE_ENV.exec(name);
  return match?.[1]?.toLowerCase().replaceAll("_", "-");
}

/** The declared grant of a handler; a handler without one cannot be deployed. */
export function grantOf(handler: string): FunctionGrant {
  const grant = FUNCTION_GRANTS[handler];
  if (grant === undefined) {
    throw new Error(`No IAM grant declared for ${handler}: add it to FUNCTION_GRANTS in infra/grants.ts`);
  }
  return grant;
}

/** The value of each environment variable a handler reads, from the resources that back it. */
export function environmentOf(grant: FunctionGrant): Record<string, $util.Input<string>> {
  const values: Record<string, $util.Input<string>> = {};
  for (const name of grant.environment) {
    const workflow = workflowOfEnvironment(name);
    if (name === "STATE_TABLE_NAME") values[name] = stateTable.name;
    else if (name === "NOTIFICATIONS_TOPIC_ARN") values[name] = notificationsTopic.arn;
    else if (name === "AUTOSCALING_ALARM_PREFIX") values[name] = autoscalingAlarmPrefix;
    // Amazon MQ publishes its metrics once a minute: a shorter alarm period would see no data.
    else if (name === "AUTOSCALING_ALARM_PERIOD_SECONDS") values[name] = "60";
    else if (workflow !== undefined) values[name] = stateMachineArn(physicalName(workflow));
    else throw new Error(`No value for environment variable ${name}: add it to infra/permissions.ts`);
  }
  return values;
}

/** The prefix the autoscaling alarm rule matches; every alarm the API creates starts with it. */
const autoscalingAlarmPrefix = physicalName(AUTOSCALING_TRIGGER.name);

/** The autoscaling alarms (the only alarms mqops creates, reads, re-arms or deletes). */
export const autoscalingAlarmsArn = $interpolate`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${autoscalingAlarmPrefix}*`;

/** The account's default event bus, where mqops publishes its events. */
const defaultEventBusArn = $interpolate`arn:${partition}:events:${region}:${accountId}:event-bus/default`;

/** ECS services in this account and region; statements on it also require the autoscaling tag. */
const ecsServicesArn = $interpolate`arn:${partition}:ecs:${region}:${accountId}:service/*`;

/**
 * IAM statements for a grant, each action scoped as tightly as its service allows: the state table,
 * the topic, the broker secrets prefix, the state machines named in the environment. Amazon MQ and
 * the EC2 network actions it needs do not support resource-level permissions, so they take `*`.
 */
export function permissionsOf(handler: string, grant: FunctionGrant): Permission[] {
  const byService = new Map<string, string[]>();
  for (const action of grant.actions) {
    const service = action.split(":")[0] ?? "";
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  const machines = grant.environment.flatMap((name) => {
    const workflow = workflowOfEnvironment(name);
    return workflow === undefined ? [] : [physicalName(workflow)];
  });
  const permissions: Permission[] = [];
  for (const [service, actions] of byService) {
    switch (service) {
      case "dynamodb":
        permissions.push({ actions, resources: [stateTable.arn] });
        break;
      case "sns":
        permissions.push({ actions, resources: [notificationsTopic.arn] });
        break;
      case "kms":
        // The topic's AWS managed key: usable only through SNS in this region.
        permissions.push({
          actions,
          resources: ["*"],
          conditions: [
            {
              test: "StringEquals",
              variable: "kms:ViaService",
              values: [$interpolate`sns.${region}.amazonaws.com`],
            },
          ],
        });
        break;
      case "secretsmanager":
        permissions.push({ actions, resources: [brokerSecretsArn] });
        break;
      case "states": {
        if (machines.length === 0) {
          throw new Error(`${handler} calls Step Functions but reads no <WORKFLOW>_STATE_MACHINE_ARN`);
        }
        // StartExecution and ListExecutions are authorized on the state machine, the rest on its executions.
        const machineActions = ["states:StartExecution", "states:ListExecutions"];
        const onMachine = actions.filter((action) => machineActions.includes(action));
        const onExecutions = actions.filter((action) => !machineActions.includes(action));
        if (onMachine.length > 0) {
          permissions.push({ actions: onMachine, resources: machines.map(stateMachineArn) });
        }
        if (onExecutions.length > 0) {
          permissions.push({ actions: onExecutions, resources: machines.map(executionsArn) });
        }
        break;
      }
      case "mq":
        permissions.push({ actions, resources: ["*"] });
        break;
      case "events":
        // mqops publishes its own events (source `mqops`) on the account's default bus only.
        permissions.push({ actions, resources: [defaultEventBusArn] });
        break;
      case "cloudwatch": {
        // GetMetricData has no resource-level permissions; the alarm actions take the alarm ARN.
        const anywhere = actions.filter((action) => action === "cloudwatch:GetMetricData");
        const onAlarms = actions.filter((action) => action !== "cloudwatch:GetMetricData");
        if (anywhere.length > 0) permissions.push({ actions: anywhere, resources: ["*"] });
        if (onAlarms.length > 0) permissions.push({ actions: onAlarms, resources: [autoscalingAlarmsArn] });
        break;
      }
      case "ecs":
        // Which services get registered is known only at run time: those tagged for mqops.
        permissions.push({
          actions,
          resources: [ecsServicesArn],
          conditions: [
            { test: "StringEquals", variable: `aws:ResourceTag/${TAG_AUTOSCALING}`, values: ["true"] },
          ],
        });
        break;
      case "ec2": {
        const authorized = actions.filter((action) => MQ_AUTHORIZED_EC2_ACTIONS.includes(action));
        const plain = actions.filter((action) => !MQ_AUTHORIZED_EC2_ACTIONS.includes(action));
        if (plain.length > 0) permissions.push({ actions: plain, resources: ["*"] });
        if (authorized.length > 0) {
          permissions.push({
            actions: authorized,
            resources: ["*"],
            conditions: [
              { test: "StringEquals", variable: "ec2:AuthorizedService", values: ["mq.amazonaws.com"] },
            ],
          });
        }
        break;
      }
      default:
        throw new Error(
          `${handler}: no resource scope for ${service} actions; add one to infra/permissions.ts`,
        );
    }
  }
  return permissions;
}
