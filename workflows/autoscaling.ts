import { ERRORS } from "../functions/lib/errors.js";
import { fail, lambdaTask, type State, type TaskOptions } from "./asl.js";
import type { WorkflowSpec } from "./types.js";

const FUNCTIONS = {
  ResolveRegistration: "functions/autoscaling/resolve-registration.handler",
  AcquireLease: "functions/autoscaling/acquire-lease.handler",
  ReadFleet: "functions/autoscaling/read-fleet.handler",
  ReadQueueMetrics: "functions/autoscaling/read-queue-metrics.handler",
  Decide: "functions/autoscaling/decide.handler",
  ApplyDecision: "functions/autoscaling/apply-decision.handler",
  RecordDecision: "functions/autoscaling/record-decision.handler",
  NotifyScaled: "functions/autoscaling/notify-scaled.handler",
  Finish: "functions/autoscaling/finish.handler",
  RecordFailure: "functions/autoscaling/record-failure.handler",
} as const;

type FunctionKey = keyof typeof FUNCTIONS;

const correlation = { "correlationId.$": "$.id" };
const registration = {
  "registrationId.$": "$.registration.registrationId",
  "trigger.$": "$.registration.trigger",
};

/** A Task whose named errors go where they belong and any other error to RecordFailure. */
function task(options: TaskOptions, named: { error: string; next: string }[] = []): State {
  return {
    ...lambdaTask(options),
    Catch: [
      ...named.map(({ error, next }) => ({ ErrorEquals: [error], ResultPath: "$.error", Next: next })),
      { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "RecordFailure" },
    ],
  };
}

/**
 * Consumer autoscaling for one queue, started by the EventBridge rule on its alarms' state changes
 * (the "CloudWatch Alarm State Change" event is the input). Each round: resolve the registration from
 * the alarm name → take or renew the queue's decision lease → read the fleet (ECS) → read the last hour
 * of metrics and the alarms' states → decide (pure policy) → apply (ECS UpdateService; nothing on hold)
 * → record → notify on a scale action. The round repeats after one alarm period while the queue needs
 * deciding (functions/autoscaling/loop.ts says when, docs/autoscaling.md why), then the lease is
 * released and any alarm still in ALARM re-armed.
 */
export const autoscaling: WorkflowSpec = {
  name: "autoscaling",
  functions: FUNCTIONS,
  definition(resolveArn) {
    const arn = (key: FunctionKey) => resolveArn(key);
    return {
      Comment: "Decide and apply a queue's consumer count while its alarms say it needs deciding",
      StartAt: "Start",
      // 300 rounds of at most one hour's period bound it; a day is far beyond any real run.
      TimeoutSeconds: 24 * 3600,
      States: {
        Start: {
          Type: "Pass",
          Result: { iteration: 0, holdStreak: 0 },
          ResultPath: "$.loop",
          Next: "ResolveRegistration",
        },
        ResolveRegistration: {
          ...lambdaTask({
            resource: arn("ResolveRegistration"),
            parameters: { ...correlation, "alarmName.$": "$.detail.alarmName" },
            resultPath: "$.registration",
            next: "AcquireLease",
            timeoutSeconds: 20,
          }),
          // Nothing is known to record a failure against before the registration is read.
          Catch: [
            {
              ErrorEquals: [ERRORS.RegistrationNotFound],
              ResultPath: "$.error",
              Next: "RegistrationNotFound",
            },
            { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "AutoscalingFailed" },
          ],
        },
        AcquireLease: task(
          {
            resource: arn("AcquireLease"),
            parameters: {
              ...correlation,
              "registrationId.$": "$.registration.registrationId",
              "owner.$": "$$.Execution.Id",
              "periodSeconds.$": "$.registration.periodSeconds",
            },
            resultPath: "$.lease",
            next: "ReadFleet",
            timeoutSeconds: 20,
          },
          [{ error: ERRORS.DecisionInProgress, next: "AnotherDecisionInProgress" }],
        ),
        ReadFleet: task({
          resource: arn("ReadFleet"),
          parameters: {
            ...correlation,
            "cluster.$": "$.registration.ecs.cluster",
            "service.$": "$.registration.ecs.serviceArn",
          },
          resultPath: "$.fleet",
          next: "ReadQueueMetrics",
          timeoutSeconds: 20,
        }),
        ReadQueueMetrics: task({
          resource: arn("ReadQueueMetrics"),
          parameters: {
            ...correlation,
            "instances.$": "$.registration.instances",
            "queue.$": "$.registration.queue",
            "periodSeconds.$": "$.registration.periodSeconds",
            "alarms.$": "$.registration.alarms",
          },
          resultPath: "$.metrics",
          next: "Decide",
          timeoutSeconds: 30,
        }),
        Decide: task({
          resource: arn("Decide"),
          parameters: {
            ...correlation,
            "settings.$": "$.registration.settings",
            "periodSeconds.$": "$.registration.periodSeconds",
            "alarms.$": "$.registration.alarms",
            "metrics.$": "$.metrics",
            "fleet.$": "$.fleet",
            "state.$": "$.lease.state",
            "loop.$": "$.loop",
          },
          resultPath: "$.decided",
          next: "IsScaleAction",
          timeoutSeconds: 20,
        }),
        IsScaleAction: {
          Type: "Choice",
          Choices: [{ Variable: "$.decided.decision.action", StringEquals: "hold", Next: "RecordDecision" }],
          Default: "ApplyDecision",
        },
        ApplyDecision: task(
          {
            resource: arn("ApplyDecision"),
            parameters: {
              ...correlation,
              "registrationId.$": "$.registration.registrationId",
              "cluster.$": "$.registration.ecs.cluster",
              "service.$": "$.registration.ecs.serviceArn",
              "owner.$": "$.lease.owner",
              "sequence.$": "$.lease.sequence",
              "decision.$": "$.decided.decision",
            },
            resultPath: "$.applied",
            next: "RecordDecision",
            timeoutSeconds: 30,
          },
          [{ error: ERRORS.DecisionSuperseded, next: "Superseded" }],
        ),
        RecordDecision: task(
          {
            resource: arn("RecordDecision"),
            parameters: {
              ...correlation,
              ...registration,
              "brokerName.$": "$.registration.brokerName",
              "queue.$": "$.registration.queue",
              "owner.$": "$.lease.owner",
              "decision.$": "$.decided.decision",
              "loop.$": "$.decided.loop",
            },
            resultPath: null,
            next: "WasScaled",
            timeoutSeconds: 20,
          },
          [{ error: ERRORS.DecisionSuperseded, next: "Superseded" }],
        ),
        WasScaled: {
          Type: "Choice",
          Choices: [{ Variable: "$.decided.decision.action", StringEquals: "hold", Next: "DecideAgain" }],
          Default: "NotifyScaled",
        },
        NotifyScaled: task({
          resource: arn("NotifyScaled"),
          parameters: {
            ...correlation,
            "registrationId.$": "$.registration.registrationId",
            "brokerId.$": "$.registration.brokerId",
            "brokerName.$": "$.registration.brokerName",
            "queue.$": "$.registration.queue",
            "service.$": "$.registration.ecs.serviceArn",
            "decision.$": "$.decided.decision",
          },
          resultPath: null,
          next: "DecideAgain",
          timeoutSeconds: 20,
        }),
        DecideAgain: {
          Type: "Choice",
          Choices: [{ Variable: "$.decided.loop.next", StringEquals: "wait", Next: "NextRound" }],
          Default: "Finish",
        },
        NextRound: {
          Type: "Pass",
          Parameters: {
            "iteration.$": "$.decided.loop.iteration",
            "holdStreak.$": "$.decided.loop.holdStreak",
          },
          ResultPath: "$.loop",
          Next: "WaitOnePeriod",
        },
        WaitOnePeriod: {
          Type: "Wait",
          SecondsPath: "$.registration.periodSeconds",
          Next: "ResolveRegistration",
        },
        Finish: task({
          resource: arn("Finish"),
          parameters: {
            ...correlation,
            "registrationId.$": "$.registration.registrationId",
            "owner.$": "$.lease.owner",
            "rearm.$": "$.decided.loop.rearm",
            "why.$": "$.decided.loop.why",
          },
          resultPath: "$.finished",
          next: "Decided",
          timeoutSeconds: 20,
        }),
        Decided: {
          Type: "Pass",
          Parameters: {
            "registrationId.$": "$.registration.registrationId",
            "queue.$": "$.registration.queue",
            "rounds.$": "$.decided.loop.iteration",
            "desired.$": "$.decided.decision.desired",
            "reason.$": "$.decided.decision.reason",
            "finished.$": "$.finished",
          },
          End: true,
        },
        AnotherDecisionInProgress: {
          Type: "Succeed",
          Comment: "Another execution holds the queue's lease and decides for it; this one steps aside",
        },
        Superseded: {
          Type: "Succeed",
          Comment: "This execution lost the queue's lease before applying; the holder decides",
        },
        RecordFailure: {
          ...lambdaTask({
            resource: arn("RecordFailure"),
            parameters: {
              ...correlation,
              ...registration,
              "owner.$": "$$.Execution.Id",
              "error.$": "$.error",
              // Whether the fleet was already changed (ApplyDecision's result), so the change is recorded.
              "round.$": "$",
            },
            resultPath: "$.failureRecord",
            next: "RouteFailure",
            timeoutSeconds: 20,
          }),
          // A failure to record must not hide the failure itself.
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.recordError", Next: "RouteFailure" }],
        },
        RouteFailure: {
          Type: "Choice",
          Choices: [
            { Variable: "$.error.Error", StringEquals: ERRORS.ServiceNotFound, Next: "ServiceNotFound" },
          ],
          Default: "AutoscalingFailed",
        },
        RegistrationNotFound: fail(
          ERRORS.RegistrationNotFound,
          "The alarm belongs to no autoscaling registration (deregistered?); nothing was scaled",
        ),
        ServiceNotFound: fail(
          ERRORS.ServiceNotFound,
          "The registered ECS service no longer exists or is not active; the failure was recorded",
        ),
        AutoscalingFailed: fail(
          ERRORS.AutoscalingFailed,
          "A step failed after its retries; the error was recorded among the queue's decisions",
        ),
      },
    };
  },
};
