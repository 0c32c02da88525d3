import { FAILOVER_ERRORS as E } from "../functions/lib/failover-errors.js";
import { fail, lambdaTask, type State } from "./asl.js";
import type { WorkflowSpec } from "./types.js";

const FUNCTIONS = {
  ListBrokers: "functions/failover/list-brokers.handler",
  ProbeBroker: "functions/failover/probe-broker.handler",
  RecordCheck: "functions/failover/record-check.handler",
  PublishEvents: "functions/failover/publish-events.handler",
  NotifyChange: "functions/failover/notify-change.handler",
  MarkDelivered: "functions/failover/mark-delivered.handler",
  DecidePromotion: "functions/failover/decide-promotion.handler",
  PromoteReplica: "functions/failover/promote-replica.handler",
  CheckReplica: "functions/failover/check-replica.handler",
  RecordPromotion: "functions/failover/record-promotion.handler",
} as const;

type FunctionKey = keyof typeof FUNCTIONS;

/** CheckReplica attempts, one probe interval apart, before a promoted replica counts as not serving. */
export const REPLICA_CHECKS = 30;

/** Brokers probed at once. */
export const CHECK_CONCURRENCY = 10;

/**
 * The two states that announce events: `publish` (PublishEvents, EventBridge) then `notify`
 * (NotifyChange, SNS), both on the events at `eventsPath`, then `next`. Every announcement of the
 * workflow (a change, a proposal, a promotion) goes through one such pair.
 */
function announce(
  arn: (key: FunctionKey) => string,
  [publish, notify]: readonly [string, string],
  eventsPath: string,
  next: string,
  catchTo: string,
): Record<string, State> {
  return {
    [publish]: lambdaTask({
      resource: arn("PublishEvents"),
      parameters: { "events.$": eventsPath },
      resultPath: null,
      next: notify,
      timeoutSeconds: 30,
      retryOn: [E.EventPublishFailed],
      catchTo,
    }),
    [notify]: lambdaTask({
      resource: arn("NotifyChange"),
      parameters: { "events.$": eventsPath },
      resultPath: null,
      next,
      timeoutSeconds: 30,
      catchTo,
    }),
  };
}

/**
 * Failover detection: list the managed active/standby brokers → for each (bounded concurrency), a
 * loop of rounds `probeIntervalSeconds` apart: probe both instances → record the check (the pure
 * detector compares it with the recorded state) → on a change publish the events (EventBridge) and
 * notify (SNS). After a round in which nothing answered (or something changed) a broker registered
 * for promotion gets a decision (functions/failover/promotion.ts): propose (BrokerPromotionProposed,
 * approved later through the API and carried out by a later round), or promote its CRDR replica
 * (FAILOVER, after one more probe of the primary), wait until the replica serves, and publish
 * BrokerPromoted. A round that fails is remembered and the loop goes on; the run fails, named, at the
 * end if any broker's round failed.
 */
export const failover: WorkflowSpec = {
  name: "failover",
  functions: FUNCTIONS,
  definition(resolveArn) {
    const arn = (key: FunctionKey) => resolveArn(key);
    const roundFailed = "RoundFailed";
    return {
      Comment: "Detect failovers, outages and flapping of managed active/standby Amazon MQ brokers",
      StartAt: "ListBrokers",
      TimeoutSeconds: 15 * 60,
      States: {
        ListBrokers: {
          ...lambdaTask({
            resource: arn("ListBrokers"),
            parameters: { "request.$": "$" },
            resultPath: "$.selected",
            next: "AnyBrokers",
            timeoutSeconds: 60,
            catchTo: "RouteListFailure",
          }),
          OutputPath: "$.selected",
        },
        RouteListFailure: {
          Type: "Choice",
          Choices: [{ Variable: "$.error.Error", StringEquals: E.InvalidRequest, Next: "InvalidRequest" }],
          Default: "ListFailed",
        },
        AnyBrokers: {
          Type: "Choice",
          Choices: [{ Variable: "$.brokers[0]", IsPresent: true, Next: "CheckBrokers" }],
          Default: "NothingToCheck",
        },
        NothingToCheck: {
          Type: "Pass",
          Parameters: { "settings.$": "$.settings", outcomes: [] },
          End: true,
        },
        CheckBrokers: {
          Type: "Map",
          ItemsPath: "$.brokers",
          MaxConcurrency: CHECK_CONCURRENCY,
          ItemSelector: {
            "broker.$": "$$.Map.Item.Value",
            "settings.$": "$.settings",
            round: 1,
            replicaChecks: 0,
            check: null,
            lastError: { failed: false },
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "ProbeBroker",
            States: {
              ProbeBroker: lambdaTask({
                resource: arn("ProbeBroker"),
                parameters: { "broker.$": "$.broker", "probeTimeoutMs.$": "$.settings.probeTimeoutMs" },
                resultPath: "$.probe",
                next: "RecordCheck",
                timeoutSeconds: 30,
                catchTo: roundFailed,
              }),
              RecordCheck: lambdaTask({
                resource: arn("RecordCheck"),
                parameters: { "broker.$": "$.broker", "probe.$": "$.probe" },
                resultPath: "$.check",
                next: "NeedsPromotionDecision",
                timeoutSeconds: 30,
                retryOn: [E.StateConflict],
                catchTo: roundFailed,
              }),
              // Only a silent round or a change can move a promotion: a healthy round costs nothing.
              NeedsPromotionDecision: {
                Type: "Choice",
                Choices: [
                  { Variable: "$.check.classification", StringEquals: "none", Next: "DecidePromotion" },
                  { Variable: "$.check.eventCount", NumericGreaterThan: 0, Next: "DecidePromotion" },
                ],
                Default: "HasEvents",
              },
              DecidePromotion: lambdaTask({
                resource: arn("DecidePromotion"),
                parameters: { "broker.$": "$.broker", "check.$": "$.check" },
                resultPath: "$.promotion",
                next: "HasEvents",
                timeoutSeconds: 30,
                retryOn: [E.PromotionConflict],
                catchTo: roundFailed,
              }),
              HasEvents: {
                Type: "Choice",
                Choices: [{ Variable: "$.check.eventCount", NumericGreaterThan: 0, Next: "PublishEvents" }],
                Default: "PromotionAction",
              },
              ...announce(
                arn,
                ["PublishEvents", "NotifyChange"],
                "$.check.events",
                "MarkDelivered",
                roundFailed,
              ),
              // Published and notified: out of the outbox (until then each round sends them again).
              MarkDelivered: lambdaTask({
                resource: arn("MarkDelivered"),
                parameters: { "brokerId.$": "$.broker.brokerId", "events.$": "$.check.events" },
                resultPath: null,
                next: "PromotionAction",
                timeoutSeconds: 20,
                retryOn: [E.StateConflict],
                catchTo: roundFailed,
              }),
              PromotionAction: {
                Type: "Choice",
                Choices: [
                  {
                    And: [
                      { Variable: "$.promotion.action", IsPresent: true },
                      { Variable: "$.promotion.action", StringEquals: "promote" },
                    ],
                    Next: "PromoteReplica",
                  },
                  {
                    And: [
                      { Variable: "$.promotion.action", IsPresent: true },
                      { Variable: "$.promotion.action", StringEquals: "propose" },
                    ],
                    Next: "PublishProposal",
                  },
                ],
                Default: "MoreRounds",
              },
              ...announce(
                arn,
                ["PublishProposal", "NotifyProposal"],
                "$.promotion.events",
                "MoreRounds",
                roundFailed,
              ),
              PromoteReplica: {
                ...lambdaTask({
                  resource: arn("PromoteReplica"),
                  parameters: {
                    "broker.$": "$.broker",
                    "replicaBrokerId.$": "$.promotion.replicaBrokerId",
                    "probeTimeoutMs.$": "$.settings.probeTimeoutMs",
                  },
                  resultPath: "$.promoted",
                  next: "WaitForReplica",
                  timeoutSeconds: 60,
                  catchTo: roundFailed,
                }),
                // Never promote while the primary answers: the step's last probe says so, and the
                // round ends as a healthy one would (the next round judges again).
                Catch: [
                  { ErrorEquals: [E.PrimaryAnswers], ResultPath: "$.error", Next: "MoreRounds" },
                  { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: roundFailed },
                ],
              },
              WaitForReplica: {
                Type: "Wait",
                SecondsPath: "$.settings.probeIntervalSeconds",
                Next: "CheckReplica",
              },
              CheckReplica: lambdaTask({
                resource: arn("CheckReplica"),
                parameters: {
                  "replicaBrokerId.$": "$.promotion.replicaBrokerId",
                  "probeTimeoutMs.$": "$.settings.probeTimeoutMs",
                },
                resultPath: "$.replica",
                next: "ReplicaServing",
                timeoutSeconds: 30,
                catchTo: roundFailed,
              }),
              ReplicaServing: {
                Type: "Choice",
                Choices: [
                  { Variable: "$.replica.serving", BooleanEquals: true, Next: "RecordPromotion" },
                  {
                    Variable: "$.replicaChecks",
                    NumericGreaterThanEquals: REPLICA_CHECKS,
                    Next: "ReplicaNotServing",
                  },
                ],
                Default: "CountReplicaCheck",
              },
              CountReplicaCheck: {
                Type: "Pass",
                Parameters: { "value.$": "States.MathAdd($.replicaChecks, 1)" },
                ResultPath: "$.replicaCheckCount",
                Next: "StoreReplicaCheck",
              },
              StoreReplicaCheck: {
                Type: "Pass",
                InputPath: "$.replicaCheckCount.value",
                ResultPath: "$.replicaChecks",
                Next: "WaitForReplica",
              },
              ReplicaNotServing: {
                Type: "Pass",
                Parameters: {
                  failed: true,
                  error: E.ReplicaNotServing,
                  "cause.$": "$.replica.reason",
                },
                ResultPath: "$.lastError",
                Next: "MoreRounds",
              },
              RecordPromotion: lambdaTask({
                resource: arn("RecordPromotion"),
                parameters: {
                  "broker.$": "$.broker",
                  "replicaBrokerId.$": "$.promotion.replicaBrokerId",
                  "promotion.$": "$.promoted",
                  "replica.$": "$.replica",
                },
                resultPath: "$.promotedEvents",
                next: "PublishPromoted",
                timeoutSeconds: 30,
                retryOn: [E.PromotionConflict],
                catchTo: roundFailed,
              }),
              ...announce(
                arn,
                ["PublishPromoted", "NotifyPromoted"],
                "$.promotedEvents.events",
                "MoreRounds",
                roundFailed,
              ),
              [roundFailed]: {
                Type: "Pass",
                Parameters: { failed: true, "error.$": "$.error.Error", "cause.$": "$.error.Cause" },
                ResultPath: "$.lastError",
                Next: "MoreRounds",
              },
              MoreRounds: {
                Type: "Choice",
                Choices: [
                  { Variable: "$.round", NumericLessThanPath: "$.settings.rounds", Next: "WaitForNextRound" },
                ],
                Default: "BrokerChecked",
              },
              WaitForNextRound: {
                Type: "Wait",
                SecondsPath: "$.settings.probeIntervalSeconds",
                Next: "NextRound",
              },
              NextRound: {
                Type: "Pass",
                Parameters: {
                  "broker.$": "$.broker",
                  "settings.$": "$.settings",
                  "round.$": "States.MathAdd($.round, 1)",
                  replicaChecks: 0,
                  "check.$": "$.check",
                  "lastError.$": "$.lastError",
                },
                Next: "ProbeBroker",
              },
              BrokerChecked: {
                Type: "Pass",
                Parameters: {
                  "brokerId.$": "$.broker.brokerId",
                  "rounds.$": "$.round",
                  "check.$": "$.check",
                  "lastError.$": "$.lastError",
                },
                End: true,
              },
            },
          },
          ResultPath: "$.outcomes",
          Next: "FindFailures",
        },
        FindFailures: {
          Type: "Pass",
          Parameters: { "any.$": "States.ArrayContains($.outcomes[*].lastError.failed, true)" },
          ResultPath: "$.failures",
          Next: "AnyFailure",
        },
        AnyFailure: {
          Type: "Choice",
          Choices: [{ Variable: "$.failures.any", BooleanEquals: true, Next: "CheckFailed" }],
          Default: "Checked",
        },
        Checked: {
          Type: "Pass",
          Parameters: { "settings.$": "$.settings", "outcomes.$": "$.outcomes" },
          End: true,
        },
        InvalidRequest: fail(E.InvalidRequest, "The failover check's input is invalid; nothing was probed"),
        ListFailed: fail(E.CheckFailed, "The brokers to check could not be listed; nothing was probed"),
        CheckFailed: fail(
          E.CheckFailed,
          "At least one broker's check failed in some round (see the execution's Map results); the others were checked",
        ),
      },
    };
  },
};
