import { type HistoryEvent, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { FAILOVER_ERRORS as E } from "../../functions/lib/failover-errors.js";
import type { FinishedRun } from "./drill.js";
import {
  type DrillCase,
  type DrillClients,
  denied,
  failed,
  historyWhenEnded,
  ok,
  serverError,
  throttle,
} from "./drill.js";

/**
 * Fault drills of the failover workflow's detection Tasks: an active/standby broker whose active
 * instance answered the last round and now answers nothing, so one round (`rounds: 1`) records the
 * change, decides on promotion, publishes the events and notifies. Its AWS calls in order:
 * ListBrokers DescribeBroker; RecordCheck GetItem, PutItem; DecidePromotion GetItem; PublishEvents
 * PutEvents; NotifyChange Publish. ProbeBroker calls no AWS API (a failed probe is evidence, not an
 * error). The promotion Tasks (PromoteReplica, CheckReplica, RecordPromotion) are not drilled here.
 */
/** A permanent fault applies to every matching call (a retry or a late, abandoned call cannot use it up). */
const forever = { times: undefined };

export const FAILOVER_DETECTION_DRILL: DrillCase[] = [
  {
    name: "failover ListBrokers: 429 on DescribeBroker is retried",
    step: "ListBrokers",
    rules: [throttle("mq", "GET /v1/brokers/*", "TooManyRequestsException")],
    expected: ok,
  },
  {
    name: "failover RecordCheck: 500 on PutItem is retried",
    step: "RecordCheck",
    rules: [serverError("dynamodb", "PutItem")],
    expected: ok,
  },
  {
    name: "failover RecordCheck: AccessDeniedException ends in FailoverCheckFailedError",
    step: "RecordCheck",
    rules: [denied("dynamodb", "PutItem", forever)],
    expected: failed(E.CheckFailed),
  },
  {
    name: "failover DecidePromotion: a dropped connection is retried",
    step: "DecidePromotion",
    rules: [{ service: "dynamodb", operation: "GetItem", drop: true, times: 1, after: 1 }],
    expected: ok,
  },
  {
    name: "failover DecidePromotion: AccessDeniedException ends in FailoverCheckFailedError",
    step: "DecidePromotion",
    rules: [denied("dynamodb", "GetItem", { after: 1, ...forever })],
    expected: failed(E.CheckFailed),
  },
  {
    name: "failover PublishEvents: 500 on PutEvents is retried",
    step: "PublishEvents",
    rules: [serverError("events", "PutEvents")],
    expected: ok,
  },
  {
    name: "failover PublishEvents: AccessDeniedException ends in FailoverCheckFailedError",
    step: "PublishEvents",
    rules: [denied("events", "PutEvents", forever)],
    expected: failed(E.CheckFailed),
  },
  {
    name: "failover NotifyChange: 500 on Publish is retried",
    step: "NotifyChange",
    rules: [serverError("sns", "Publish")],
    expected: ok,
  },
  {
    name: "failover NotifyChange: AuthorizationError ends in FailoverCheckFailedError",
    step: "NotifyChange",
    rules: [denied("sns", "Publish", forever)],
    expected: failed(E.CheckFailed),
  },
];

/** The run's input: this broker, one round. */
export const failoverDrillInput = (brokerId: string) => ({ brokerIds: [brokerId], rounds: 1 });

/** Whether `state` ended with its Lambda succeeding (after any retries), at least once. */
function succeeded(events: HistoryEvent[], state: string): boolean {
  let current = "";
  let lastOk = false;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered !== undefined) {
      current = entered;
      lastOk = false;
    }
    if (event.type === "LambdaFunctionSucceeded" || event.type === "TaskSucceeded") lastOk = true;
    if (
      event.type === "LambdaFunctionFailed" ||
      event.type === "LambdaFunctionTimedOut" ||
      event.type === "TaskFailed"
    )
      lastOk = false;
    if (event.stateExitedEventDetails?.name === state && current === state && lastOk) return true;
  }
  return false;
}

/** Whether a run published its events and notified them. */
const announced = (events: HistoryEvent[]) =>
  succeeded(events, "PublishEvents") && succeeded(events, "NotifyChange");

function checkedEvents(events: HistoryEvent[]): number {
  for (const event of events) {
    const details = event.stateExitedEventDetails;
    if (details?.name !== "RecordCheck" || details.output === undefined) continue;
    return (JSON.parse(details.output) as { check?: { eventCount?: number } }).check?.eventCount ?? 0;
  }
  return 0;
}

/**
 * What a failover run left half-done: a change it recorded (events to publish) but did not publish
 * or notify, which the next round (run here, without faults) must then publish, or it is lost.
 * A run that succeeded must have published what it recorded.
 */
export async function failoverLeftovers(
  clients: DrillClients,
  stateMachineArn: string,
  brokerId: string,
  run: FinishedRun,
): Promise<string[]> {
  const recorded = checkedEvents(run.events);
  if (run.status === "SUCCEEDED") {
    return recorded > 0 && announced(run.events) ? [] : [`round recorded ${recorded} events, none announced`];
  }
  if (recorded === 0 || announced(run.events)) return [];
  const next = await clients.sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: `${run.name}-next`,
      input: JSON.stringify(failoverDrillInput(brokerId)),
    }),
  );
  const events = await historyWhenEnded(clients.sfn, String(next.executionArn));
  return announced(events)
    ? []
    : [`${recorded} events recorded by the check, announced neither by it nor by the next round`];
}
