import {
  DescribeBrokerCommand,
  DescribeConfigurationRevisionCommand,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { LATEST_ENGINE_VERSION, OLDEST_ENGINE_VERSION } from "../../functions/lib/amazon-mq.js";
import { MAINTENANCE_ERRORS as E } from "../../functions/lib/maintenance-errors.js";
import type { FinishedRun } from "./drill.js";
import {
  api,
  type DrillCase,
  type DrillClients,
  type DrillTarget,
  denied,
  failed,
  ok,
  serverError,
  throttle,
} from "./drill.js";

/**
 * Fault drills of the maintenance workflow: one broker (the canary, alone) upgraded from 5.18 to
 * 5.19 and to a new configuration revision (so a rollback has something to roll back), a fault at
 * each Task's AWS call. The order of the calls a run makes (every run the same):
 * SelectBrokers DescribeBroker; Precheck DescribeBroker, GetSecretValue; Plan DescribeBroker,
 * DescribeBrokerEngineTypes, DescribeConfiguration; Snapshot DescribeBroker, GetSecretValue; Apply
 * UpdateBroker; Reboot RebootBroker; CheckSettled DescribeBroker; Postcheck DescribeBroker,
 * GetSecretValue; ReportOutcome UpdateItem, Publish; Summarize UpdateItem (the run's eleventh).
 */

export const DRILL_FROM_VERSION = OLDEST_ENGINE_VERSION;
export const DRILL_TO_VERSION = LATEST_ENGINE_VERSION;

const DESCRIBE = "GET /v1/brokers/*";
const secret = (after: number) => ({ after });

/** A permanent fault applies to every matching call (a retry or a late, abandoned call cannot use it up). */
const forever = { times: undefined };
/** DescribeBroker calls before CheckSettled's first. */
const BEFORE_CHECK_SETTLED = 4;
/** DescribeBroker calls before the rollback's CheckSettled (Postcheck's and Rollback's included). */
const BEFORE_CHECK_ROLLBACK = 7;
/** UpdateItem calls before Summarize's. */
const BEFORE_SUMMARIZE = 10;

export const MAINTENANCE_DRILL: DrillCase[] = [
  {
    name: "maintenance SelectBrokers: 500 on DescribeBroker is retried",
    step: "SelectBrokers",
    rules: [serverError("mq", DESCRIBE)],
    expected: ok,
  },
  {
    name: "maintenance SelectBrokers: ForbiddenException ends in MaintenanceFailedError, nothing changed",
    step: "SelectBrokers",
    rules: [denied("mq", DESCRIBE, forever)],
    expected: failed(E.MaintenanceFailed),
  },
  {
    name: "maintenance Precheck: 500 on GetSecretValue is retried",
    step: "CanaryPrecheck",
    rules: [serverError("secretsmanager", "GetSecretValue")],
    expected: ok,
  },
  {
    name: "maintenance Precheck: AccessDeniedException ends in the canary's Fail, reported, nothing changed",
    step: "CanaryPrecheck",
    rules: [denied("secretsmanager", "GetSecretValue", forever)],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Plan: 429 on DescribeBrokerEngineTypes is retried",
    step: "CanaryPlan",
    rules: [throttle("mq", "GET /v1/broker-engine-types", "TooManyRequestsException")],
    expected: ok,
  },
  {
    name: "maintenance Plan: ForbiddenException ends in the canary's Fail, reported, nothing changed",
    step: "CanaryPlan",
    rules: [denied("mq", "GET /v1/broker-engine-types", forever)],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Snapshot: a dropped connection is retried",
    step: "CanarySnapshot",
    rules: [{ service: "secretsmanager", operation: "GetSecretValue", drop: true, times: 1, ...secret(1) }],
    expected: ok,
  },
  {
    name: "maintenance Snapshot: AccessDeniedException ends in the canary's Fail, reported, nothing changed",
    step: "CanarySnapshot",
    rules: [denied("secretsmanager", "GetSecretValue", { ...secret(1), ...forever })],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Apply: 429 on UpdateBroker is retried",
    step: "CanaryApply",
    rules: [throttle("mq", "PUT /v1/brokers/*", "TooManyRequestsException")],
    expected: ok,
  },
  {
    name: "maintenance Apply: ForbiddenException ends in the canary's Fail, reported, nothing changed",
    step: "CanaryApply",
    rules: [denied("mq", "PUT /v1/brokers/*", forever)],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Reboot: 500 on RebootBroker is retried",
    step: "CanaryReboot",
    rules: [serverError("mq", "POST /v1/brokers/*/reboot")],
    expected: ok,
  },
  {
    name: "maintenance Reboot: ForbiddenException rolls back, reported, the canary's Fail",
    step: "CanaryReboot",
    rules: [denied("mq", "POST /v1/brokers/*/reboot")],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance CheckSettled: 503 on DescribeBroker is retried",
    step: "CanaryCheckUpgrade",
    rules: [
      {
        service: "mq",
        operation: DESCRIBE,
        error: { status: 503, code: "ServiceUnavailableException" },
        times: 1,
        after: BEFORE_CHECK_SETTLED,
      },
    ],
    expected: ok,
  },
  {
    name: "maintenance CheckSettled: ForbiddenException rolls back, reported, the canary's Fail",
    step: "CanaryCheckUpgrade",
    rules: [denied("mq", DESCRIBE, { after: BEFORE_CHECK_SETTLED })],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Postcheck: 500 on GetSecretValue is retried",
    step: "CanaryPostcheck",
    rules: [serverError("secretsmanager", "GetSecretValue", secret(2))],
    expected: ok,
  },
  {
    name: "maintenance Postcheck: AccessDeniedException rolls back, reported, the canary's Fail",
    step: "CanaryPostcheck",
    rules: [denied("secretsmanager", "GetSecretValue", { ...secret(2), ...forever })],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Rollback: 429 on its UpdateBroker is retried, rolled back",
    step: "CanaryRollback",
    rules: [
      denied("secretsmanager", "GetSecretValue", secret(2)),
      throttle("mq", "PUT /v1/brokers/*", "TooManyRequestsException", { after: 1 }),
    ],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Rollback: ForbiddenException on its UpdateBroker is reported FAILED with a runbook",
    step: "CanaryRollback",
    rules: [
      denied("secretsmanager", "GetSecretValue", secret(2)),
      denied("mq", "PUT /v1/brokers/*", { after: 1 }),
    ],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance CheckRollback: 503 on DescribeBroker is retried, rolled back",
    step: "CanaryCheckRollback",
    rules: [
      denied("secretsmanager", "GetSecretValue", secret(2)),
      {
        service: "mq",
        operation: DESCRIBE,
        error: { status: 503, code: "ServiceUnavailableException" },
        times: 1,
        after: BEFORE_CHECK_ROLLBACK,
      },
    ],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance ReportOutcome: 500 on Publish is retried",
    step: "CanaryReportCompleted",
    rules: [serverError("sns", "Publish")],
    expected: ok,
  },
  {
    name: "maintenance ReportOutcome: AuthorizationError ends in the canary's Fail, outcome kept",
    step: "CanaryReportCompleted",
    rules: [denied("sns", "Publish")],
    expected: failed(E.CanaryFailed),
  },
  {
    name: "maintenance Summarize: ProvisionedThroughputExceededException is retried",
    step: "Summarize",
    rules: [
      {
        service: "dynamodb",
        operation: "UpdateItem",
        error: { status: 400, code: "ProvisionedThroughputExceededException" },
        times: 1,
        after: BEFORE_SUMMARIZE,
      },
    ],
    expected: ok,
  },
  {
    name: "maintenance Summarize: AccessDeniedException ends in MaintenanceFailedError",
    step: "Summarize",
    rules: [denied("dynamodb", "UpdateItem", { after: BEFORE_SUMMARIZE })],
    expected: failed(E.MaintenanceFailed),
  },
];

/** A new revision of the broker's configuration (its data unchanged): the run applies it. */
export async function newConfigurationRevision(clients: DrillClients, brokerId: string): Promise<void> {
  const broker = await clients.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
  const current = broker.Configurations?.Current;
  if (current?.Id === undefined || current.Revision === undefined)
    throw new Error(`${brokerId}: no configuration`);
  const revision = await clients.mq.send(
    new DescribeConfigurationRevisionCommand({
      ConfigurationId: current.Id,
      ConfigurationRevision: String(current.Revision),
    }),
  );
  await clients.mq.send(
    new UpdateConfigurationCommand({
      ConfigurationId: current.Id,
      Data: revision.Data,
      Description: "drill",
    }),
  );
}

/** The run's input: this broker only, to the next minor version, polled every second. */
export function maintenanceDrillInput(brokerId: string) {
  return {
    brokerIds: [brokerId],
    targetEngineVersion: DRILL_TO_VERSION,
    source: "drill",
    settings: { pollIntervalSeconds: 1 },
  };
}

const TERMINAL_OUTCOMES = new Set(["COMPLETED", "FAILED", "ROLLED_BACK", "SKIPPED"]);

/**
 * What a maintenance run left half-applied: the broker not RUNNING or with a change still pending
 * (staged and never rebooted into), a broker the run selected without a final outcome recorded, or
 * a broker whose engine changed while its record says the run changed nothing.
 */
export async function maintenanceLeftovers(
  target: DrillTarget,
  clients: DrillClients,
  brokerId: string,
  run: FinishedRun,
): Promise<string[]> {
  const problems: string[] = [];
  const broker = await clients.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
  if (broker.BrokerState !== "RUNNING") problems.push(`broker ${brokerId} is ${broker.BrokerState}`);
  if (broker.PendingEngineVersion !== undefined && broker.PendingEngineVersion !== broker.EngineVersion) {
    problems.push(`broker ${brokerId} has engine ${broker.PendingEngineVersion} pending`);
  }
  const current = broker.Configurations?.Current?.Revision;
  const pending = broker.Configurations?.Pending?.Revision;
  if (pending !== undefined && pending !== current) {
    problems.push(`broker ${brokerId} has configuration revision ${pending} pending (current ${current})`);
  }
  const view = await api(target, "GET", `/maintenance/${run.name}`);
  if (view.status !== 200) return [...problems, `GET /maintenance/${run.name}: ${view.status}`];
  const records = (view.body.brokers ?? []) as { brokerId?: string; status?: string }[];
  const record = records.find((entry) => entry.brokerId === brokerId);
  const changed = broker.EngineVersion !== DRILL_FROM_VERSION || broker.PendingEngineVersion !== undefined;
  const selected = run.events.some((event) => event.stateEnteredEventDetails?.name === "CanaryPrecheck");
  if (selected && (record === undefined || !TERMINAL_OUTCOMES.has(record.status ?? ""))) {
    problems.push(`broker ${brokerId}: no final outcome recorded (${record?.status ?? "no record"})`);
  }
  if (!selected && changed) problems.push(`broker ${brokerId} changed by a run that never selected it`);
  // An engine version cannot be downgraded: a changed broker is completed, or its record carries the
  // runbook an operator follows.
  const runbook = (record as { runbook?: unknown[] } | undefined)?.runbook ?? [];
  if (changed && record?.status !== "COMPLETED" && runbook.length === 0) {
    problems.push(
      `broker ${brokerId} is on ${broker.EngineVersion} (pending ${broker.PendingEngineVersion ?? "none"}) but recorded ${record?.status ?? "nothing"} without a runbook`,
    );
  }
  return problems;
}

/**
 * The cases `npm test` runs: every permanent fault, and the transient ones of three steps (one of
 * each kind: 500, 429, a dropped connection). A run that succeeds takes about 3 s here (two 750 ms
 * quiet periods listing queues, a 1 s poll): the bench runs all of MAINTENANCE_DRILL.
 */
const CI_TRANSIENT = new Set(["CanaryPrecheck", "CanarySnapshot", "CanaryApply"]);
export const MAINTENANCE_DRILL_CI = MAINTENANCE_DRILL.filter(
  (drill) => drill.expected.status === "FAILED" || CI_TRANSIENT.has(drill.step),
);
