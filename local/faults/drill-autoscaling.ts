import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { DECISION_PREFIX } from "../../functions/autoscaling/registration.js";
import { ERRORS } from "../../functions/lib/errors.js";
import type { FinishedRun } from "./drill.js";
import { type DrillCase, type DrillClients, denied, failed, ok, serverError, throttle } from "./drill.js";

/**
 * Fault drills of the autoscaling workflow: a queue registered with an ECS service at 0 consumers
 * (minimum 1), started by its scale-out alarm as the EventBridge rule starts it. A run scales out to
 * 1, records and announces it, holds in a second round and finishes. Its AWS calls in order:
 * ResolveRegistration GetItem; AcquireLease UpdateItem; ReadFleet DescribeServices; ReadQueueMetrics
 * GetMetricData, DescribeAlarms; ApplyDecision UpdateItem (the lease), UpdateService; RecordDecision
 * PutItem, UpdateItem; NotifyScaled Publish; the second round; Finish UpdateItem (the run's sixth).
 * Decide calls nothing (a pure policy): no fault reaches it.
 */

const throughput = (operation: string, extra: Partial<DrillCase["rules"][number]> = {}) => ({
  service: "dynamodb",
  operation,
  error: { status: 400, code: "ProvisionedThroughputExceededException" },
  times: 1,
  ...extra,
});
/** UpdateItem calls before Finish's. */
const BEFORE_FINISH = 5;

/** A permanent fault applies to every matching call (a retry or a late, abandoned call cannot use it up). */
const forever = { times: undefined };

export const AUTOSCALING_DRILL: DrillCase[] = [
  {
    name: "autoscaling ResolveRegistration: 500 on GetItem is retried",
    step: "ResolveRegistration",
    rules: [serverError("dynamodb", "GetItem")],
    expected: ok,
  },
  {
    name: "autoscaling ResolveRegistration: AccessDeniedException ends in AutoscalingFailedError, nothing scaled",
    step: "ResolveRegistration",
    rules: [denied("dynamodb", "GetItem", forever)],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling AcquireLease: ProvisionedThroughputExceededException is retried",
    step: "AcquireLease",
    rules: [throughput("UpdateItem")],
    expected: ok,
  },
  {
    name: "autoscaling AcquireLease: AccessDeniedException is recorded, nothing scaled",
    step: "AcquireLease",
    rules: [denied("dynamodb", "UpdateItem")],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling ReadFleet: ThrottlingException on DescribeServices is retried",
    step: "ReadFleet",
    rules: [throttle("ecs", "DescribeServices", "ThrottlingException")],
    expected: ok,
  },
  {
    name: "autoscaling ReadFleet: AccessDeniedException is recorded, nothing scaled",
    step: "ReadFleet",
    rules: [denied("ecs", "DescribeServices", forever)],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling ReadQueueMetrics: 500 on GetMetricData is retried",
    step: "ReadQueueMetrics",
    rules: [serverError("monitoring", "GetMetricData")],
    expected: ok,
  },
  {
    name: "autoscaling ReadQueueMetrics: AccessDeniedException on DescribeAlarms is recorded, nothing scaled",
    step: "ReadQueueMetrics",
    rules: [denied("monitoring", "DescribeAlarms", forever)],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling ApplyDecision: a dropped connection on UpdateService is retried",
    step: "ApplyDecision",
    rules: [{ service: "ecs", operation: "UpdateService", drop: true, times: 1 }],
    expected: ok,
  },
  {
    name: "autoscaling ApplyDecision: AccessDeniedException is recorded, nothing scaled",
    step: "ApplyDecision",
    rules: [denied("ecs", "UpdateService", forever)],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling RecordDecision: 500 on PutItem is retried",
    step: "RecordDecision",
    rules: [serverError("dynamodb", "PutItem")],
    expected: ok,
  },
  {
    name: "autoscaling RecordDecision: AccessDeniedException is recorded as a failure, the applied count too",
    step: "RecordDecision",
    rules: [denied("dynamodb", "PutItem")],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling NotifyScaled: 500 on Publish is retried",
    step: "NotifyScaled",
    rules: [serverError("sns", "Publish")],
    expected: ok,
  },
  {
    name: "autoscaling NotifyScaled: AuthorizationError is recorded, the decision kept",
    step: "NotifyScaled",
    rules: [denied("sns", "Publish", forever)],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling Finish: ProvisionedThroughputExceededException is retried",
    step: "Finish",
    rules: [throughput("UpdateItem", { after: BEFORE_FINISH })],
    expected: ok,
  },
  {
    name: "autoscaling Finish: AccessDeniedException is recorded",
    step: "Finish",
    rules: [denied("dynamodb", "UpdateItem", { after: BEFORE_FINISH })],
    expected: failed(ERRORS.AutoscalingFailed),
  },
  {
    name: "autoscaling RecordFailure: 500 on its PutItem is retried, the failure recorded",
    step: "RecordFailure",
    rules: [denied("ecs", "DescribeServices"), serverError("dynamodb", "PutItem")],
    expected: failed(ERRORS.AutoscalingFailed),
  },
];

/** The event EventBridge starts the workflow with when the queue's scale-out alarm fires. */
export function alarmEvent(id: string, alarmName: string) {
  return {
    id,
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    detail: { alarmName, state: { value: "ALARM" }, previousState: { value: "OK" } },
  };
}

/**
 * What an autoscaling run left half-applied: a failure after the registration was read with no
 * failure record of this execution, or the service's desired count changed (from `initialDesired`)
 * without a decision of this execution recording that count.
 */
export async function autoscalingLeftovers(
  clients: DrillClients & { ecs: ECSClient },
  scaled: {
    registrationId: string;
    stateTable: string;
    cluster: string;
    service: string;
    executionArn: string;
  },
  initialDesired: number,
  run: FinishedRun,
): Promise<string[]> {
  const problems: string[] = [];
  const items = await clients.ddb.send(
    new QueryCommand({
      TableName: scaled.stateTable,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :decision)",
      ExpressionAttributeValues: {
        ":pk": { S: `AUTOSCALING#${scaled.registrationId}` },
        ":decision": { S: DECISION_PREFIX },
      },
    }),
  );
  const mine = (items.Items ?? []).filter((item) => item.executionArn?.S === scaled.executionArn);
  const resolved = run.events.some((event) => event.stateEnteredEventDetails?.name === "AcquireLease");
  if (run.status === "FAILED" && resolved && !mine.some((item) => item.outcome?.S === "failed")) {
    problems.push(`no failure recorded for ${scaled.registrationId}`);
  }
  const described = await clients.ecs.send(
    new DescribeServicesCommand({ cluster: scaled.cluster, services: [scaled.service] }),
  );
  const desired = described.services?.[0]?.desiredCount;
  const recorded = mine.some((item) => item.outcome?.S === "decided" && item.desired?.N === String(desired));
  if (desired !== initialDesired && !recorded) {
    problems.push(`desired count ${initialDesired} → ${desired} with no decision recording it`);
  }
  return problems;
}
