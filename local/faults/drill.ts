import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { ListBrokersCommand, ListConfigurationsCommand, MqClient } from "@aws-sdk/client-mq";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { signedFetch } from "../../cli/signed-fetch.js";
import {
  DEFAULT_HOST_INSTANCE_TYPE,
  DeploymentMode,
  ENGINE_TYPE,
  OLDEST_ENGINE_VERSION,
} from "../../functions/lib/amazon-mq.js";
import { brokerItemKey, TAG_CLIENT_TOKEN } from "../../functions/lib/state-table.js";
import { usersSecretName } from "../../functions/lib/users-secret.js";
import { CHAOS_SIGNING_NAME } from "./control.js";
import type { FaultRule } from "./plan.js";

/**
 * Fault drills of the provisioning workflow against a running local cloud: for each Task, faults
 * injected at that step (through the chaos route), the execution's outcome read from its history,
 * and a search for anything the run left behind. Shared by the integration tests and
 * `npm run bench:hardening`.
 */

export interface DrillCase {
  name: string;
  /** The Task state the fault is meant to hit; the history must show it failing there. */
  step: string;
  rules: FaultRule[];
  expected: { status: "SUCCEEDED" } | { status: "FAILED"; error: string };
  /**
   * A fault this case shows is not handled yet (the verdict is expected to name it): the tests mark
   * the case as failing, the bench counts it apart. Remove once fixed.
   */
  knownFinding?: string;
}

export const throttle = (
  service: string,
  operation: string,
  code: string,
  extra: Partial<FaultRule> = {},
) => ({
  service,
  operation,
  error: { status: code === "ThrottlingException" ? 400 : 429, code },
  times: 1,
  ...extra,
});
export const serverError = (
  service: string,
  operation: string,
  extra: Partial<FaultRule> = {},
): FaultRule => ({
  service,
  operation,
  error: { status: 500, code: "InternalServerErrorException" },
  times: 1,
  ...extra,
});
export const denied = (service: string, operation: string, extra: Partial<FaultRule> = {}): FaultRule => ({
  service,
  operation,
  error:
    service === "mq"
      ? { status: 403, code: "ForbiddenException" }
      : service === "sns"
        ? { status: 403, code: "AuthorizationError" }
        : { status: 400, code: "AccessDeniedException" },
  times: 1,
  ...extra,
});

export const ok = { status: "SUCCEEDED" } as const;
export const failed = (error: string) => ({ status: "FAILED", error }) as const;

// The API's POST /brokers calls DescribeExecution once before ValidateRequest does (`after: 1`); the
// first DescribeBroker of a run is CheckBrokerState's (a local broker on the fake runtime is RUNNING
// by then), the second ReadEndpoints'.
const VALIDATE = { service: "states", operation: "DescribeExecution", after: 1 } as const;
const DESCRIBE_BROKER = { service: "mq", operation: "GET /v1/brokers/*" } as const;

/** For every Task of the provisioning workflow: throttling and 5xx retried; a permanent fault compensated. */
export const PROVISIONING_DRILL: DrillCase[] = [
  {
    name: "ValidateRequest: ThrottlingException is retried",
    step: "ValidateRequest",
    rules: [throttle(VALIDATE.service, VALIDATE.operation, "ThrottlingException", { after: 1 })],
    expected: ok,
  },
  {
    name: "ValidateRequest: 500 is retried",
    step: "ValidateRequest",
    rules: [serverError(VALIDATE.service, VALIDATE.operation, { after: 1 })],
    expected: ok,
  },
  {
    name: "ValidateRequest: AccessDeniedException fails, compensated",
    step: "ValidateRequest",
    rules: [denied(VALIDATE.service, VALIDATE.operation, { after: 1 })],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "CreateConfiguration: 429 is retried",
    step: "CreateConfiguration",
    rules: [throttle("mq", "POST /v1/configurations", "TooManyRequestsException")],
    expected: ok,
  },
  {
    name: "CreateConfiguration: 500 is retried",
    step: "CreateConfiguration",
    rules: [serverError("mq", "GET /v1/configurations")],
    expected: ok,
  },
  {
    name: "CreateConfiguration: ForbiddenException fails, compensated",
    step: "CreateConfiguration",
    rules: [denied("mq", "POST /v1/configurations")],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "CreateBroker: 429 is retried",
    step: "CreateBroker",
    rules: [throttle("mq", "POST /v1/brokers", "TooManyRequestsException")],
    expected: ok,
  },
  {
    name: "CreateBroker: a dropped connection is retried",
    step: "CreateBroker",
    rules: [{ service: "mq", operation: "POST /v1/brokers", drop: true, times: 1 }],
    expected: ok,
  },
  {
    name: "CreateBroker: 500 from Secrets Manager is retried",
    step: "CreateBroker",
    rules: [serverError("secretsmanager", "GetSecretValue")],
    expected: ok,
  },
  {
    name: "CreateBroker: ForbiddenException fails, compensated (a 500 in the clean-up retried)",
    step: "CreateBroker",
    rules: [denied("mq", "POST /v1/brokers"), serverError("mq", "DELETE /v1/configurations/*")],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "CheckBrokerState: 429 is retried",
    step: "CheckBrokerState",
    rules: [throttle(DESCRIBE_BROKER.service, DESCRIBE_BROKER.operation, "TooManyRequestsException")],
    expected: ok,
  },
  {
    name: "CheckBrokerState: 503 is retried",
    step: "CheckBrokerState",
    rules: [{ ...DESCRIBE_BROKER, error: { status: 503, code: "ServiceUnavailableException" }, times: 1 }],
    expected: ok,
  },
  {
    name: "CheckBrokerState: ForbiddenException fails, compensated",
    step: "CheckBrokerState",
    rules: [denied(DESCRIBE_BROKER.service, DESCRIBE_BROKER.operation)],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "ReadEndpoints: 500 is retried",
    step: "ReadEndpoints",
    rules: [serverError(DESCRIBE_BROKER.service, DESCRIBE_BROKER.operation, { after: 1 })],
    expected: ok,
  },
  {
    name: "ReadEndpoints: ForbiddenException fails, compensated",
    step: "ReadEndpoints",
    rules: [denied(DESCRIBE_BROKER.service, DESCRIBE_BROKER.operation, { after: 1 })],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "RecordBroker: 500 on CreateTags is retried",
    step: "RecordBroker",
    rules: [serverError("mq", "POST /v1/tags/*")],
    expected: ok,
  },
  {
    name: "RecordBroker: ProvisionedThroughputExceededException is retried",
    step: "RecordBroker",
    rules: [
      {
        service: "dynamodb",
        operation: "PutItem",
        error: { status: 400, code: "ProvisionedThroughputExceededException" },
        times: 1,
      },
    ],
    expected: ok,
  },
  {
    name: "RecordBroker: AccessDeniedException on PutItem fails, compensated",
    step: "RecordBroker",
    rules: [denied("dynamodb", "PutItem")],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "NotifyProvisioned: 500 is retried",
    step: "NotifyProvisioned",
    rules: [serverError("sns", "Publish")],
    expected: ok,
  },
  {
    name: "NotifyProvisioned: AuthorizationError fails, compensated (its state-table record too)",
    step: "NotifyProvisioned",
    rules: [denied("sns", "Publish")],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "Compensate: 429 on DeleteBroker is retried",
    step: "Compensate",
    rules: [
      denied(DESCRIBE_BROKER.service, DESCRIBE_BROKER.operation, { after: 1 }),
      throttle("mq", "DELETE /v1/brokers/*", "TooManyRequestsException"),
    ],
    expected: failed("ProvisioningFailedError"),
  },
  {
    name: "NotifyFailure: AuthorizationError still ends in the named Fail",
    step: "NotifyFailure",
    rules: [denied("mq", "POST /v1/configurations"), denied("sns", "Publish")],
    expected: failed("ProvisioningFailedError"),
  },
];

/**
 * The failover workflow (started as its schedule starts it): its first Task, ListBrokers, under a
 * transient and a permanent fault. It creates nothing, so nothing can be left behind.
 */
export const FAILOVER_DRILL: DrillCase[] = [
  {
    name: "failover ListBrokers: 500 is retried",
    step: "ListBrokers",
    rules: [serverError("mq", "GET /v1/brokers")],
    expected: ok,
  },
  {
    name: "failover ListBrokers: ForbiddenException ends in FailoverCheckFailedError",
    step: "ListBrokers",
    rules: [denied("mq", "GET /v1/brokers")],
    expected: failed("FailoverCheckFailedError"),
  },
];

/** Where a local cloud answers and how to sign for it. */
export interface DrillTarget {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface DrillOutcome {
  status: string;
  error?: string;
  /** The errors each Task state failed with, in order (retried attempts included). */
  failures: Record<string, string[]>;
  brokerId?: string;
  /** What the run left behind that it should not have: empty when clean. */
  leftovers: string[];
}

/** Calls the chaos control route. */
export async function chaos(target: DrillTarget, method: string, path: string, body?: unknown) {
  const response = await signedFetch(`${target.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: target.credentials,
    region: target.region,
    service: CHAOS_SIGNING_NAME,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`chaos ${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Calls the HTTP API (signed for execute-api). */
export async function api(target: DrillTarget, method: string, path: string, body?: unknown) {
  const response = await signedFetch(`${target.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: target.credentials,
    region: target.region,
  });
  const text = await response.text();
  return { status: response.status, body: (text === "" ? {} : JSON.parse(text)) as Record<string, unknown> };
}

export const TERMINAL = new Set([
  "ExecutionSucceeded",
  "ExecutionFailed",
  "ExecutionAborted",
  "ExecutionTimedOut",
]);

/** The errors each state failed with, from an execution's history. */
export function failuresByState(events: HistoryEvent[]): Record<string, string[]> {
  const failures: Record<string, string[]> = {};
  let state = "";
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered !== undefined) state = entered;
    const error =
      event.lambdaFunctionFailedEventDetails?.error ??
      event.lambdaFunctionTimedOutEventDetails?.error ??
      event.taskFailedEventDetails?.error;
    if (error !== undefined) failures[state] = [...(failures[state] ?? []), error];
  }
  return failures;
}

/** Every event of an execution, once it has ended. */
export async function historyWhenEnded(
  sfn: SFNClient,
  executionArn: string,
  timeoutMs = 60_000,
): Promise<HistoryEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    if (events.some((event) => TERMINAL.has(event.type ?? ""))) return events;
    if (Date.now() > deadline) throw new Error(`${executionArn} still running after ${timeoutMs} ms`);
    await sleep(100);
  }
}

export interface DrillClients {
  mq: MqClient;
  sfn: SFNClient;
  secrets: SecretsManagerClient;
  ddb: DynamoDBClient;
  destroy(): void;
}

export function drillClients(target: DrillTarget): DrillClients {
  const config = {
    endpoint: target.url,
    region: target.region,
    credentials: target.credentials,
    maxAttempts: 1,
  };
  const clients = {
    mq: new MqClient(config),
    sfn: new SFNClient(config),
    secrets: new SecretsManagerClient(config),
    ddb: new DynamoDBClient(config),
  };
  const destroy = () => {
    for (const client of Object.values(clients)) client.destroy();
  };
  return { ...clients, destroy };
}

/**
 * What a failed provisioning left behind: a broker of that name (once any deletion has finished),
 * a configuration tagged with its client token, its users secret, a state-table item claiming the
 * broker. `extra` adds checks the caller can make (processes, ports).
 */
export async function leftoversOf(
  clients: DrillClients,
  run: { brokerName: string; clientToken: string; brokerId?: string; stateTable: string },
  timeoutMs = 30_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let brokers: string[] = [];
  for (;;) {
    const listed = await clients.mq.send(new ListBrokersCommand({ MaxResults: 100 }));
    const named = (listed.BrokerSummaries ?? []).filter((broker) => broker.BrokerName === run.brokerName);
    brokers = named.map((broker) => `broker ${broker.BrokerId} (${broker.BrokerState})`);
    const deleting = named.some((broker) => broker.BrokerState === "DELETION_IN_PROGRESS");
    if (!deleting || Date.now() > deadline) break;
    await sleep(100);
  }
  const configurations = await clients.mq.send(new ListConfigurationsCommand({ MaxResults: 100 }));
  const tagged = (configurations.Configurations ?? [])
    .filter((configuration) => configuration.Tags?.[TAG_CLIENT_TOKEN] === run.clientToken)
    .map((configuration) => `configuration ${configuration.Id}`);
  const secret = await clients.secrets
    .send(new DescribeSecretCommand({ SecretId: usersSecretName(run.clientToken) }))
    .then(
      () => [`secret ${usersSecretName(run.clientToken)}`],
      (error: Error) => (error.name === "ResourceNotFoundException" ? [] : [`secret check: ${error.name}`]),
    );
  const records: string[] = [];
  if (run.brokerId !== undefined) {
    const { pk, sk } = brokerItemKey(run.brokerId);
    const item = await clients.ddb.send(
      new GetItemCommand({ TableName: run.stateTable, Key: { pk: { S: pk }, sk: { S: sk } } }),
    );
    if (item.Item !== undefined) records.push(`state-table item ${pk} (${item.Item.status?.S ?? "?"})`);
  }
  return [...brokers, ...tagged, ...secret, ...records];
}

/** The request each drill provisions: a single instance, one user. */
export function drillRequest(brokerName: string, clientToken: string) {
  return {
    brokerName,
    clientToken,
    engineType: ENGINE_TYPE,
    engineVersion: OLDEST_ENGINE_VERSION,
    deploymentMode: DeploymentMode.SINGLE_INSTANCE,
    hostInstanceType: DEFAULT_HOST_INSTANCE_TYPE,
    users: [{ username: "drill", password: "Drill-Password-2024" }],
  };
}

/** The broker id an execution's history shows CreateBroker returned, if it got that far. */
export function createdBrokerId(events: HistoryEvent[]): string | undefined {
  for (const event of events) {
    const output = event.stateExitedEventDetails;
    if (output?.name !== "CreateBroker" || output.output === undefined) continue;
    const parsed = JSON.parse(output.output) as { broker?: { brokerId?: string } };
    if (parsed.broker?.brokerId !== undefined) return parsed.broker.brokerId;
  }
  return undefined;
}

/**
 * Runs one case: its rules in force (and only them), a provisioning request, the execution to its
 * end; then the rules cleared and, for a failure, what was left behind.
 */
export async function runDrillCase(
  target: DrillTarget,
  clients: DrillClients,
  drill: DrillCase,
  run: { brokerName: string; clientToken: string; stateTable: string },
): Promise<DrillOutcome> {
  await chaos(target, "PUT", "/faults", { rules: drill.rules });
  try {
    const started = await api(target, "POST", "/brokers", drillRequest(run.brokerName, run.clientToken));
    if (started.status !== 202)
      throw new Error(`POST /brokers: ${started.status} ${JSON.stringify(started.body)}`);
    const events = await historyWhenEnded(clients.sfn, String(started.body.executionArn));
    const end = events.find((event) => TERMINAL.has(event.type ?? ""));
    const brokerId = createdBrokerId(events);
    await chaos(target, "DELETE", "/faults");
    const status = end?.type === "ExecutionSucceeded" ? "SUCCEEDED" : "FAILED";
    return {
      status,
      ...(end?.executionFailedEventDetails?.error ? { error: end.executionFailedEventDetails.error } : {}),
      failures: failuresByState(events),
      ...(brokerId === undefined ? {} : { brokerId }),
      leftovers: status === "SUCCEEDED" ? [] : await leftoversOf(clients, { ...run, brokerId }),
    };
  } finally {
    await chaos(target, "DELETE", "/faults");
  }
}

/** What a finished run is, for a workflow's check of what it left behind. */
export interface FinishedRun {
  name: string;
  status: "SUCCEEDED" | "FAILED";
  events: HistoryEvent[];
  output: unknown;
}

/**
 * Runs one case of a workflow: its rules in force (and only them), StartExecution, the run to its
 * end; then the rules cleared and `check` asked what the run left half-applied (empty when clean).
 */
export async function runCheckedDrill(
  target: DrillTarget,
  clients: DrillClients,
  drill: DrillCase,
  start: { stateMachineArn: string; name: string; input: unknown },
  check: (run: FinishedRun) => Promise<string[]>,
): Promise<DrillOutcome> {
  await chaos(target, "PUT", "/faults", { rules: drill.rules });
  let run: FinishedRun;
  try {
    const started = await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: start.stateMachineArn,
        name: start.name,
        input: JSON.stringify(start.input),
      }),
    );
    const events = await historyWhenEnded(clients.sfn, String(started.executionArn));
    const end = events.find((event) => TERMINAL.has(event.type ?? ""));
    const output = end?.executionSucceededEventDetails?.output;
    run = {
      name: start.name,
      status: end?.type === "ExecutionSucceeded" ? "SUCCEEDED" : "FAILED",
      events,
      output: output === undefined ? undefined : JSON.parse(output),
    };
  } finally {
    await chaos(target, "DELETE", "/faults");
  }
  const end = run.events.find((event) => TERMINAL.has(event.type ?? ""));
  return {
    status: run.status,
    ...(end?.executionFailedEventDetails?.error ? { error: end.executionFailedEventDetails.error } : {}),
    failures: failuresByState(run.events),
    leftovers: await check(run),
  };
}

/** Runs a case of a workflow that creates nothing: its rules in force, StartExecution, the run to its end. */
export function runExecutionDrill(
  target: DrillTarget,
  clients: DrillClients,
  drill: DrillCase,
  start: { stateMachineArn: string; name: string; input: unknown },
): Promise<DrillOutcome> {
  return runCheckedDrill(target, clients, drill, start, async () => []);
}

/** Whether an outcome is what the case expects: the right end, the fault seen at its step. */
export function drillVerdict(drill: DrillCase, outcome: DrillOutcome): string[] {
  const problems: string[] = [];
  if (outcome.status !== drill.expected.status)
    problems.push(`ended ${outcome.status} (${outcome.error ?? ""})`);
  if (drill.expected.status === "FAILED" && outcome.error !== drill.expected.error) {
    problems.push(`failed with ${outcome.error}, not ${drill.expected.error}`);
  }
  if ((outcome.failures[drill.step] ?? []).length === 0) {
    problems.push(`no failure at ${drill.step}: ${JSON.stringify(outcome.failures)}`);
  }
  problems.push(...outcome.leftovers.map((leftover) => `left behind: ${leftover}`));
  return problems;
}
