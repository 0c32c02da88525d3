/**
 * Least privilege, declared per handler: the IAM actions each Lambda may call and the environment it
 * reads. test/infra/iam.test.ts derives both from the code (every `new XxxCommand(` and
 * `requireEnv("…")` reachable from the handler through relative imports, plus IMPLIED_ACTIONS) and
 * fails when a handler calls something it is not granted or is granted something it no longer calls.
 */
export interface FunctionGrant {
  actions: readonly string[];
  environment: readonly string[];
}

export const FUNCTION_GRANTS: Record<string, FunctionGrant> = {
  "functions/api/create-broker.handler": {
    actions: [
      "secretsmanager:CreateSecret",
      "secretsmanager:PutSecretValue",
      "secretsmanager:TagResource",
      "states:DescribeExecution",
      "states:StartExecution",
    ],
    environment: ["PROVISIONING_STATE_MACHINE_ARN"],
  },
  "functions/api/list-brokers.handler": { actions: ["mq:ListBrokers"], environment: [] },
  "functions/api/get-broker.handler": {
    actions: ["dynamodb:GetItem", "mq:DescribeBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/api/start-failover-check.handler": {
    actions: ["mq:DescribeBroker", "states:StartExecution"],
    environment: ["FAILOVER_STATE_MACHINE_ARN"],
  },
  "functions/api/put-promotion.handler": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem", "mq:DescribeBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/api/decide-promotion.handler": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/api/delete-broker.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DeleteBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/api/list-executions.handler": {
    actions: ["states:ListExecutions"],
    environment: ["PROVISIONING_STATE_MACHINE_ARN"],
  },
  "functions/api/get-execution.handler": {
    actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
    environment: ["PROVISIONING_STATE_MACHINE_ARN"],
  },
  "functions/api/start-maintenance.handler": {
    actions: [
      "mq:DescribeBroker",
      "mq:DescribeBrokerEngineTypes",
      "mq:DescribeConfiguration",
      "mq:ListBrokers",
      "states:StartExecution",
    ],
    environment: ["MAINTENANCE_STATE_MACHINE_ARN"],
  },
  "functions/api/get-maintenance.handler": {
    actions: ["dynamodb:Query", "states:DescribeExecution"],
    environment: ["MAINTENANCE_STATE_MACHINE_ARN", "STATE_TABLE_NAME"],
  },
  "functions/api/put-autoscaling.handler": {
    actions: [
      "cloudwatch:PutMetricAlarm",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "ecs:DescribeServices",
      "mq:DescribeBroker",
    ],
    environment: ["AUTOSCALING_ALARM_PERIOD_SECONDS", "AUTOSCALING_ALARM_PREFIX", "STATE_TABLE_NAME"],
  },
  "functions/api/get-autoscaling.handler": {
    actions: ["cloudwatch:DescribeAlarms", "dynamodb:GetItem", "dynamodb:Query", "ecs:DescribeServices"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/api/delete-autoscaling.handler": {
    actions: ["cloudwatch:DeleteAlarms", "dynamodb:DeleteItem", "dynamodb:GetItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/autoscaling/resolve-registration.handler": {
    actions: ["dynamodb:GetItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/autoscaling/acquire-lease.handler": {
    actions: ["dynamodb:UpdateItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/autoscaling/read-fleet.handler": { actions: ["ecs:DescribeServices"], environment: [] },
  "functions/autoscaling/read-queue-metrics.handler": {
    actions: ["cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData"],
    environment: [],
  },
  "functions/autoscaling/decide.handler": { actions: [], environment: [] },
  "functions/autoscaling/apply-decision.handler": {
    actions: ["dynamodb:UpdateItem", "ecs:UpdateService"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/autoscaling/record-decision.handler": {
    actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/autoscaling/notify-scaled.handler": {
    actions: ["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"],
    environment: ["NOTIFICATIONS_TOPIC_ARN"],
  },
  "functions/autoscaling/finish.handler": {
    actions: ["cloudwatch:SetAlarmState", "dynamodb:UpdateItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/autoscaling/record-failure.handler": {
    actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/failover/list-brokers.handler": {
    actions: ["mq:DescribeBroker", "mq:ListBrokers"],
    environment: [],
  },
  "functions/failover/probe-broker.handler": { actions: [], environment: [] },
  "functions/failover/record-check.handler": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/failover/mark-delivered.handler": {
    actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/failover/decide-promotion.handler": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/failover/promote-replica.handler": {
    actions: ["mq:DescribeBroker", "mq:Promote"],
    environment: [],
  },
  "functions/failover/check-replica.handler": { actions: ["mq:DescribeBroker"], environment: [] },
  "functions/failover/record-promotion.handler": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/failover/publish-events.handler": { actions: ["events:PutEvents"], environment: [] },
  "functions/failover/notify-change.handler": {
    actions: ["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"],
    environment: ["NOTIFICATIONS_TOPIC_ARN"],
  },
  "functions/provisioning/validate-request.handler": {
    actions: ["states:DescribeExecution"],
    environment: ["PROVISIONING_STATE_MACHINE_ARN"],
  },
  "functions/provisioning/create-configuration.handler": {
    actions: ["mq:CreateConfiguration", "mq:ListConfigurations", "mq:UpdateConfiguration"],
    environment: [],
  },
  "functions/provisioning/create-broker.handler": {
    actions: [
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeNetworkInterfacePermissions",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
      "ec2:DetachNetworkInterface",
      "mq:CreateBroker",
      "secretsmanager:GetSecretValue",
    ],
    environment: [],
  },
  "functions/provisioning/check-broker-state.handler": { actions: ["mq:DescribeBroker"], environment: [] },
  "functions/provisioning/read-endpoints.handler": { actions: ["mq:DescribeBroker"], environment: [] },
  "functions/provisioning/record-broker.handler": {
    actions: ["dynamodb:PutItem", "mq:CreateTags"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/provisioning/notify-provisioned.handler": {
    actions: ["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"],
    environment: ["NOTIFICATIONS_TOPIC_ARN"],
  },
  "functions/provisioning/compensate.handler": {
    actions: [
      "dynamodb:DeleteItem",
      "dynamodb:PutItem",
      "mq:DeleteBroker",
      "mq:DeleteConfiguration",
      "mq:ListBrokers",
      "mq:ListTags",
      "secretsmanager:DeleteSecret",
    ],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/provisioning/delete-configuration.handler": {
    actions: ["mq:DeleteConfiguration", "mq:DescribeBroker"],
    environment: [],
  },
  "functions/provisioning/notify-failure.handler": {
    actions: ["kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"],
    environment: ["NOTIFICATIONS_TOPIC_ARN"],
  },
  "functions/maintenance/select-brokers.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DescribeBroker", "mq:ListBrokers"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/precheck.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DescribeBroker", "secretsmanager:GetSecretValue"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/plan.handler": {
    actions: [
      "dynamodb:UpdateItem",
      "mq:DescribeBroker",
      "mq:DescribeBrokerEngineTypes",
      "mq:DescribeConfiguration",
    ],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/snapshot.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DescribeBroker", "secretsmanager:GetSecretValue"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/apply.handler": {
    actions: ["dynamodb:UpdateItem", "mq:UpdateBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/reboot.handler": {
    actions: ["dynamodb:UpdateItem", "mq:RebootBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/check-settled.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DescribeBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/postcheck.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DescribeBroker", "secretsmanager:GetSecretValue"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/rollback.handler": {
    actions: ["dynamodb:UpdateItem", "mq:DescribeBroker", "mq:RebootBroker", "mq:UpdateBroker"],
    environment: ["STATE_TABLE_NAME"],
  },
  "functions/maintenance/report-outcome.handler": {
    actions: ["dynamodb:UpdateItem", "kms:Decrypt", "kms:GenerateDataKey", "sns:Publish"],
    environment: ["NOTIFICATIONS_TOPIC_ARN", "STATE_TABLE_NAME"],
  },
  "functions/maintenance/summarize.handler": {
    actions: ["dynamodb:UpdateItem"],
    environment: ["STATE_TABLE_NAME"],
  },
};

/**
 * Actions an API call needs beyond its own name, as AWS documents them. The only place such extras
 * may come from: the IAM test reads this table too.
 */
export const IMPLIED_ACTIONS: Record<string, { actions: readonly string[]; why: string }> = {
  "mq:CreateBroker": {
    actions: [
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
      "ec2:DetachNetworkInterface",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeNetworkInterfacePermissions",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ],
    why: "Amazon MQ creates the broker's network interfaces as the caller (Amazon MQ Developer Guide, IAM permissions required to create an Amazon MQ broker)",
  },
  "secretsmanager:CreateSecret": {
    actions: ["secretsmanager:TagResource"],
    why: "CreateSecret with Tags also needs TagResource (Secrets Manager API reference, CreateSecret)",
  },
  "sns:Publish": {
    actions: ["kms:GenerateDataKey", "kms:Decrypt"],
    why: "publishing to a KMS-encrypted topic needs the data key (Amazon SNS Developer Guide, key management)",
  },
};

/** EC2 actions that AWS allows only on Amazon MQ's behalf (the `ec2:AuthorizedService` condition). */
export const MQ_AUTHORIZED_EC2_ACTIONS = [
  "ec2:CreateNetworkInterfacePermission",
  "ec2:DeleteNetworkInterfacePermission",
  "ec2:DescribeNetworkInterfacePermissions",
];
