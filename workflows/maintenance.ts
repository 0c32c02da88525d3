import { ERRORS } from "../functions/lib/errors.js";
import { MAINTENANCE_ERRORS as E } from "../functions/lib/maintenance-errors.js";
import { fail, lambdaTask, type State } from "./asl.js";
import type { WorkflowSpec } from "./types.js";

const FUNCTIONS = {
  SelectBrokers: "functions/maintenance/select-brokers.handler",
  Precheck: "functions/maintenance/precheck.handler",
  Plan: "functions/maintenance/plan.handler",
  Snapshot: "functions/maintenance/snapshot.handler",
  Apply: "functions/maintenance/apply.handler",
  Reboot: "functions/maintenance/reboot.handler",
  CheckSettled: "functions/maintenance/check-settled.handler",
  Postcheck: "functions/maintenance/postcheck.handler",
  Rollback: "functions/maintenance/rollback.handler",
  ReportOutcome: "functions/maintenance/report-outcome.handler",
  Summarize: "functions/maintenance/summarize.handler",
} as const;

type FunctionKey = keyof typeof FUNCTIONS;

/** Brokers of the wave maintained at once after the canary. */
export const WAVE_CONCURRENCY = 2;

/**
 * A Catch that names the errors the step is known to throw (for the reader and the console's
 * history) and then catches everything else into the same place.
 */
function catching(named: string[], next: string, resultPath = "$.error"): State[] {
  return [
    { ErrorEquals: named, ResultPath: resultPath, Next: next },
    { ErrorEquals: ["States.ALL"], ResultPath: resultPath, Next: next },
  ];
}

const iteration = { "correlationId.$": "$.correlationId", "runId.$": "$.runId", "broker.$": "$.broker" };

/**
 * One broker's maintenance, as a Map iteration: precheck → plan → snapshot → apply → reboot → wait
 * until settled (deadline) → postcheck → report. A failure before anything changed is reported as
 * failed; a failure after the change rolls back what can be rolled back (the configuration, with a
 * reboot) and reports a rollback with its runbook. Every path ends in ReportOutcome, whose result
 * (the broker's outcome) is the iteration's output. State names carry `p` (the canary's processor
 * and the wave's are two, and Step Functions wants state names unique in the whole machine).
 */
function brokerProcessor(
  p: string,
  arn: (key: FunctionKey) => string,
): { StartAt: string; States: Record<string, State> } {
  const report = (status: string, next: { end: true }): State => ({
    ...lambdaTask({
      resource: arn("ReportOutcome"),
      parameters: { ...iteration, status, "state.$": "$" },
      resultPath: "$.outcome",
      end: next.end,
      timeoutSeconds: 30,
    }),
    // The broker's outcome is the iteration's output.
    OutputPath: "$.outcome",
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.reportError", Next: `${p}ReportLost` }],
  });
  return {
    StartAt: `${p}Precheck`,
    States: {
      [`${p}Precheck`]: {
        ...lambdaTask({
          resource: arn("Precheck"),
          parameters: iteration,
          resultPath: "$.precheck",
          next: `${p}Plan`,
          timeoutSeconds: 60,
        }),
        Catch: catching(
          [E.PrecheckFailed, E.CredentialsUnavailable, ERRORS.BrokerNotFound],
          `${p}ReportFailed`,
        ),
      },
      [`${p}Plan`]: lambdaTask({
        resource: arn("Plan"),
        parameters: { ...iteration, "request.$": "$.request" },
        resultPath: "$.plan",
        next: `${p}HasChanges`,
        timeoutSeconds: 60,
        catchTo: `${p}ReportFailed`,
      }),
      [`${p}HasChanges`]: {
        Type: "Choice",
        Choices: [{ Variable: "$.plan.action", StringEquals: "update", Next: `${p}Snapshot` }],
        Default: `${p}ReportUnchanged`,
      },
      [`${p}ReportUnchanged`]: report("SKIPPED", { end: true }),
      [`${p}Snapshot`]: {
        ...lambdaTask({
          resource: arn("Snapshot"),
          parameters: iteration,
          resultPath: "$.snapshot",
          next: `${p}Apply`,
          timeoutSeconds: 60,
        }),
        Catch: catching([E.CredentialsUnavailable, ERRORS.BrokerNotFound], `${p}ReportFailed`),
      },
      // Nothing is pending when Apply fails: the auto-minor flip applies at once, and the version and
      // configuration go in one call that either happened or did not.
      [`${p}Apply`]: {
        ...lambdaTask({
          resource: arn("Apply"),
          parameters: { ...iteration, "plan.$": "$.plan" },
          resultPath: "$.apply",
          next: `${p}Reboot`,
          timeoutSeconds: 60,
          retryOn: ["ConflictException"],
        }),
        Catch: catching([E.UpdateBrokerRefused, "ConflictException"], `${p}ReportFailed`),
      },
      [`${p}Reboot`]: {
        ...lambdaTask({
          resource: arn("Reboot"),
          parameters: {
            ...iteration,
            "rebootRequired.$": "$.plan.rebootRequired",
            "deadlineSeconds.$": "$.settings.deadlineSeconds",
          },
          resultPath: "$.reboot",
          next: `${p}WaitForBroker`,
          timeoutSeconds: 60,
          retryOn: ["ConflictException"],
        }),
        Catch: catching([E.RebootBrokerRefused, "ConflictException"], `${p}Rollback`),
      },
      [`${p}WaitForBroker`]: {
        Type: "Wait",
        SecondsPath: "$.settings.pollIntervalSeconds",
        Next: `${p}CheckUpgrade`,
      },
      [`${p}CheckUpgrade`]: {
        ...lambdaTask({
          resource: arn("CheckSettled"),
          parameters: { ...iteration, "expect.$": "$.plan.expect", "deadline.$": "$.reboot.deadline" },
          resultPath: "$.settled",
          next: `${p}IsUpgraded`,
          timeoutSeconds: 30,
        }),
        Catch: catching([E.RebootFailed, E.DeadlineExceeded], `${p}Rollback`),
      },
      [`${p}IsUpgraded`]: {
        Type: "Choice",
        Choices: [{ Variable: "$.settled.settled", BooleanEquals: true, Next: `${p}Postcheck` }],
        Default: `${p}WaitForBroker`,
      },
      [`${p}Postcheck`]: {
        ...lambdaTask({
          resource: arn("Postcheck"),
          parameters: { ...iteration, "snapshot.$": "$.snapshot" },
          resultPath: "$.postcheck",
          next: `${p}ReportCompleted`,
          timeoutSeconds: 120,
        }),
        Catch: catching([E.PostcheckFailed, E.CredentialsUnavailable], `${p}Rollback`),
      },
      [`${p}ReportCompleted`]: report("COMPLETED", { end: true }),
      [`${p}Rollback`]: {
        ...lambdaTask({
          resource: arn("Rollback"),
          parameters: {
            ...iteration,
            "snapshot.$": "$.snapshot",
            "plan.$": "$.plan",
            "error.$": "$.error",
            "deadlineSeconds.$": "$.settings.deadlineSeconds",
          },
          resultPath: "$.rollback",
          next: `${p}RollbackRebooted`,
          timeoutSeconds: 120,
          retryOn: ["ConflictException"],
        }),
        Catch: catching([E.RollbackFailed, "ConflictException"], `${p}ReportFailed`, "$.rollbackError"),
      },
      [`${p}RollbackRebooted`]: {
        Type: "Choice",
        Choices: [{ Variable: "$.rollback.rebooted", BooleanEquals: true, Next: `${p}WaitForRollback` }],
        Default: `${p}ReportFailed`,
      },
      [`${p}WaitForRollback`]: {
        Type: "Wait",
        SecondsPath: "$.settings.pollIntervalSeconds",
        Next: `${p}CheckRollback`,
      },
      [`${p}CheckRollback`]: {
        ...lambdaTask({
          resource: arn("CheckSettled"),
          parameters: { ...iteration, "expect.$": "$.rollback.expect", "deadline.$": "$.rollback.deadline" },
          resultPath: "$.rollbackSettled",
          next: `${p}IsRolledBack`,
          timeoutSeconds: 30,
        }),
        Catch: catching([E.RebootFailed, E.DeadlineExceeded], `${p}ReportFailed`, "$.rollbackError"),
      },
      [`${p}IsRolledBack`]: {
        Type: "Choice",
        Choices: [
          { Variable: "$.rollbackSettled.settled", BooleanEquals: true, Next: `${p}ReportRolledBack` },
        ],
        Default: `${p}WaitForRollback`,
      },
      [`${p}ReportRolledBack`]: report("ROLLED_BACK", { end: true }),
      [`${p}ReportFailed`]: report("FAILED", { end: true }),
      // The outcome could not be recorded or announced: the iteration still says how the broker ended.
      [`${p}ReportLost`]: {
        Type: "Pass",
        Parameters: {
          "brokerId.$": "$.broker.brokerId",
          "brokerName.$": "$.broker.brokerName",
          status: "FAILED",
          error: "ReportLost",
          "cause.$": "$.reportError.Error",
        },
        End: true,
      },
    },
  };
}

const itemSelector = {
  "correlationId.$": "$.correlationId",
  "runId.$": "$.runId",
  "broker.$": "$$.Map.Item.Value",
  "request.$": "$.request",
  "settings.$": "$.settings",
};

/**
 * Maintenance: select the managed brokers (the schedule: those whose window opens within the hour) →
 * report the skipped ones → the first broker alone as the canary → if it came through, the rest with
 * bounded concurrency → summarize. A failed canary halts the wave. A dry run only plans.
 */
export const maintenance: WorkflowSpec = {
  name: "maintenance",
  functions: FUNCTIONS,
  definition(resolveArn) {
    const arn = (key: FunctionKey) => resolveArn(key);
    return {
      Comment:
        "Maintain and upgrade managed Amazon MQ for ActiveMQ brokers, canary first, rolling back on failure",
      StartAt: "SelectBrokers",
      // A wave of brokers, each allowed 2 hours to settle after its reboot.
      TimeoutSeconds: 24 * 3600,
      States: {
        SelectBrokers: {
          ...lambdaTask({
            resource: arn("SelectBrokers"),
            parameters: {
              "runId.$": "$$.Execution.Name",
              "startedAt.$": "$$.Execution.StartTime",
              "request.$": "$",
            },
            resultPath: "$.selected",
            next: "IsDryRun",
            timeoutSeconds: 300,
            catchTo: "RouteSelectionFailure",
          }),
          // From here on the state is the validated request and the selection, not the raw input.
          OutputPath: "$.selected",
        },
        RouteSelectionFailure: {
          Type: "Choice",
          Choices: [{ Variable: "$.error.Error", StringEquals: E.InvalidRequest, Next: "InvalidRequest" }],
          Default: "SelectionFailed",
        },
        IsDryRun: {
          Type: "Choice",
          Choices: [{ Variable: "$.request.dryRun", BooleanEquals: true, Next: "DryRun" }],
          Default: "ReportSkipped",
        },
        DryRun: {
          Type: "Map",
          ItemsPath: "$.brokers",
          MaxConcurrency: 5,
          ItemSelector: itemSelector,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "DryRunPlan",
            States: {
              DryRunPlan: lambdaTask({
                resource: arn("Plan"),
                parameters: { ...iteration, "request.$": "$.request" },
                resultPath: "$.plan",
                next: "DryRunPlanned",
                timeoutSeconds: 60,
                catchTo: "DryRunPlanFailed",
              }),
              DryRunPlanned: {
                Type: "Pass",
                Parameters: { "broker.$": "$.broker", "plan.$": "$.plan" },
                End: true,
              },
              DryRunPlanFailed: {
                Type: "Pass",
                Parameters: { "broker.$": "$.broker", "error.$": "$.error" },
                End: true,
              },
            },
          },
          ResultPath: "$.plans",
          Next: "DryRunDone",
        },
        DryRunDone: {
          Type: "Pass",
          Parameters: { dryRun: true, "runId.$": "$.runId", "plans.$": "$.plans", "skipped.$": "$.skipped" },
          End: true,
        },
        ReportSkipped: {
          Type: "Map",
          ItemsPath: "$.skipped",
          MaxConcurrency: 5,
          ItemSelector: {
            "correlationId.$": "$.correlationId",
            "runId.$": "$.runId",
            "broker.$": "$$.Map.Item.Value",
            "reason.$": "$$.Map.Item.Value.reason",
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "ReportSkippedBroker",
            States: {
              ReportSkippedBroker: {
                ...lambdaTask({
                  resource: arn("ReportOutcome"),
                  parameters: { ...iteration, status: "SKIPPED", "state.$": "$" },
                  resultPath: null,
                  end: true,
                  timeoutSeconds: 30,
                }),
                // A lost skip notice must not stop the maintenance of the others.
                Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.reportError", Next: "SkipReportLost" }],
              },
              SkipReportLost: { Type: "Succeed" },
            },
          },
          ResultPath: null,
          Next: "Canary",
        },
        Canary: {
          Type: "Map",
          ItemsPath: "$.canary",
          MaxConcurrency: 1,
          ItemSelector: itemSelector,
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...brokerProcessor("Canary", arn) },
          ResultPath: "$.canaryOutcomes",
          Next: "CountCanary",
        },
        CountCanary: {
          Type: "Pass",
          Parameters: { "count.$": "States.ArrayLength($.canaryOutcomes)" },
          ResultPath: "$.canaryCount",
          Next: "CanaryPassed",
        },
        CanaryPassed: {
          Type: "Choice",
          Choices: [
            { Variable: "$.canaryCount.count", NumericEquals: 0, Next: "Wave" },
            { Variable: "$.canaryOutcomes[0].status", StringEquals: "COMPLETED", Next: "Wave" },
            { Variable: "$.canaryOutcomes[0].status", StringEquals: "SKIPPED", Next: "Wave" },
          ],
          Default: "HaltWave",
        },
        HaltWave: {
          ...lambdaTask({
            resource: arn("Summarize"),
            parameters: {
              "correlationId.$": "$.correlationId",
              "runId.$": "$.runId",
              "canary.$": "$.canaryOutcomes",
              wave: [],
              "skipped.$": "$.skipped",
              halted: true,
            },
            resultPath: "$.summary",
            next: "CanaryFailed",
            timeoutSeconds: 30,
          }),
          Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.summaryError", Next: "CanaryFailed" }],
        },
        Wave: {
          Type: "Map",
          ItemsPath: "$.wave",
          MaxConcurrency: WAVE_CONCURRENCY,
          ItemSelector: itemSelector,
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...brokerProcessor("", arn) },
          ResultPath: "$.waveOutcomes",
          Next: "Summarize",
        },
        Summarize: lambdaTask({
          resource: arn("Summarize"),
          parameters: {
            "correlationId.$": "$.correlationId",
            "runId.$": "$.runId",
            "canary.$": "$.canaryOutcomes",
            "wave.$": "$.waveOutcomes",
            "skipped.$": "$.skipped",
            halted: false,
          },
          resultPath: "$.summary",
          next: "AllMaintained",
          timeoutSeconds: 30,
          catchTo: "MaintenanceFailed",
        }),
        AllMaintained: {
          Type: "Choice",
          Choices: [{ Variable: "$.summary.status", StringEquals: "SUCCEEDED", Next: "Maintained" }],
          Default: "MaintenanceFailed",
        },
        Maintained: { Type: "Pass", OutputPath: "$.summary", End: true },
        InvalidRequest: fail(E.InvalidRequest, "The maintenance request is invalid; nothing was changed"),
        SelectionFailed: fail(
          E.MaintenanceFailed,
          "The brokers to maintain could not be selected; nothing was changed",
        ),
        CanaryFailed: fail(
          E.CanaryFailed,
          "The canary broker failed its maintenance; the rest of the wave was not touched (see its MaintenanceFailed or MaintenanceRolledBack event)",
        ),
        MaintenanceFailed: fail(
          E.MaintenanceFailed,
          "At least one broker failed its maintenance or was rolled back; see the run's records and events",
        ),
      },
    };
  },
};
