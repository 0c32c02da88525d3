import {
  DescribeBrokerCommand,
  DescribeBrokerEngineTypesCommand,
  type DescribeBrokerResponse,
  DescribeConfigurationCommand,
  ListBrokersCommand,
  MqClient,
  RebootBrokerCommand,
  UpdateBrokerCommand,
} from "@aws-sdk/client-mq";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalWorkflow, loadWorkflow, runWorkflow } from "../../local/states/engine.js";
import { maintenance } from "../../workflows/maintenance.js";
import { FakeStompBroker } from "../support/fake-stomp-broker.js";

const mq = mockClient(MqClient);
const secrets = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
const ddb = mockClient(DynamoDBDocumentClient);

const PASSWORD = "Correct-Horse-Battery-9";
/** A port nothing listens on: the standby instance of a pair (it accepts no connections). */
const STANDBY = "stomp://127.0.0.1:1";

/**
 * Amazon MQ as the workflow sees it through the SDK, answered at the client: UpdateBroker stages
 * the version and revision, RebootBroker applies them (REBOOT_IN_PROGRESS for `rebootPolls`
 * DescribeBroker calls, then RUNNING, or `stuck` forever, or CRITICAL_ACTION_REQUIRED).
 */
interface FakeBroker {
  id: string;
  name: string;
  state: string;
  engineVersion: string;
  autoMinor: boolean;
  pendingEngineVersion?: string;
  revision: number;
  pendingRevision?: number;
  latestRevision: number;
  tags: Record<string, string>;
  mode: "SINGLE_INSTANCE" | "ACTIVE_STANDBY_MULTI_AZ";
  stomp: FakeStompBroker;
  window?: { DayOfWeek: "MONDAY" | "SUNDAY"; TimeOfDay: string; TimeZone: string };
  afterReboot: "running" | "stuck" | "critical";
  rebootPolls: number;
  pollsLeft: number;
  /** What a reboot does to the broker itself (a revision that breaks clients). */
  onReboot?: (broker: FakeBroker) => void;
}

let brokers: Map<string, FakeBroker>;
let stomps: FakeStompBroker[] = [];
let workflow: LocalWorkflow;

async function addBroker(id: string, overrides: Partial<FakeBroker> = {}): Promise<FakeBroker> {
  const stomp = new FakeStompBroker({ app: PASSWORD });
  await stomp.start();
  stomp.queues = new Set(["orders", "invoices"]);
  stomps.push(stomp);
  const broker: FakeBroker = {
    id,
    name: id.replace(/^b-/, ""),
    state: "RUNNING",
    engineVersion: "5.18.4",
    autoMinor: true,
    revision: 2,
    latestRevision: 2,
    tags: { "mqops:managed": "true", "mqops:client-token": `token-${id}` },
    mode: "ACTIVE_STANDBY_MULTI_AZ",
    stomp,
    afterReboot: "running",
    rebootPolls: 1,
    pollsLeft: 0,
    ...overrides,
  };
  brokers.set(id, broker);
  return broker;
}

function describe_(broker: FakeBroker): DescribeBrokerResponse {
  if (broker.state === "REBOOT_IN_PROGRESS" && broker.afterReboot !== "stuck") {
    if (broker.pollsLeft <= 0)
      broker.state = broker.afterReboot === "critical" ? "CRITICAL_ACTION_REQUIRED" : "RUNNING";
    broker.pollsLeft -= 1;
  }
  const endpoints =
    broker.mode === "SINGLE_INSTANCE"
      ? [{ Endpoints: [broker.stomp.endpoint] }]
      : [{ Endpoints: [STANDBY] }, { Endpoints: [broker.stomp.endpoint] }];
  return {
    BrokerId: broker.id,
    BrokerName: broker.name,
    BrokerArn: `arn:aws:mq:us-east-1:123456789012:broker:${broker.name}:${broker.id}`,
    BrokerState: broker.state as DescribeBrokerResponse["BrokerState"],
    DeploymentMode: broker.mode,
    EngineType: "ACTIVEMQ",
    EngineVersion: broker.engineVersion,
    AutoMinorVersionUpgrade: broker.autoMinor,
    PendingEngineVersion: broker.pendingEngineVersion,
    BrokerInstances: broker.state === "RUNNING" ? endpoints : [],
    Configurations: {
      Current: { Id: `c-${broker.id}`, Revision: broker.revision },
      Pending:
        broker.pendingRevision === undefined
          ? undefined
          : { Id: `c-${broker.id}`, Revision: broker.pendingRevision },
      History: [],
    },
    Users: [{ Username: "app" }],
    Tags: broker.tags,
    MaintenanceWindowStartTime: broker.window,
    ActionsRequired:
      broker.state === "CRITICAL_ACTION_REQUIRED"
        ? [{ ActionRequiredCode: "BROKER_START_FAILED" }]
        : undefined,
  };
}

const awsError = (name: string, status: number, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

function fakeAmazonMq() {
  const find = (id: string | undefined) => {
    const broker = brokers.get(id ?? "");
    if (broker === undefined) throw awsError("NotFoundException", 404, `Broker ${id} does not exist.`);
    return broker;
  };
  mq.on(ListBrokersCommand).callsFake(() => ({
    BrokerSummaries: [...brokers.values()].map((b) => ({
      BrokerId: b.id,
      BrokerName: b.name,
      DeploymentMode: b.mode,
      EngineType: "ACTIVEMQ",
    })),
  }));
  mq.on(DescribeBrokerCommand).callsFake((input: { BrokerId?: string }) => describe_(find(input.BrokerId)));
  mq.on(DescribeBrokerEngineTypesCommand).resolves({
    BrokerEngineTypes: [
      { EngineType: "ACTIVEMQ", EngineVersions: [{ Name: "5.19" }, { Name: "5.18" }, { Name: "5.17.6" }] },
    ],
  });
  mq.on(DescribeConfigurationCommand).callsFake((input: { ConfigurationId?: string }) => {
    const broker = find(input.ConfigurationId?.replace(/^c-/, ""));
    return { Id: input.ConfigurationId, LatestRevision: { Revision: broker.latestRevision } };
  });
  mq.on(UpdateBrokerCommand).callsFake(
    (input: {
      BrokerId?: string;
      EngineVersion?: string;
      AutoMinorVersionUpgrade?: boolean;
      Configuration?: { Revision?: number };
    }) => {
      const broker = find(input.BrokerId);
      if (input.AutoMinorVersionUpgrade === true && input.EngineVersion !== undefined && !broker.autoMinor) {
        throw awsError(
          "BadRequestException",
          400,
          "Brokers on [ActiveMQ] version [5.18] must have [autoMinorVersionUpgrade] set to [true]",
        );
      }
      if (input.EngineVersion !== undefined && /^5\.(1[89])\.\d+$/.test(input.EngineVersion)) {
        throw awsError(
          "BadRequestException",
          400,
          `Broker engine version [${input.EngineVersion}] is invalid.`,
        );
      }
      if (input.AutoMinorVersionUpgrade === true) broker.autoMinor = true;
      if (input.EngineVersion !== undefined) broker.pendingEngineVersion = input.EngineVersion;
      if (input.Configuration?.Revision !== undefined) {
        broker.pendingRevision =
          input.Configuration.Revision === broker.revision ? undefined : input.Configuration.Revision;
      }
      return { BrokerId: broker.id };
    },
  );
  mq.on(RebootBrokerCommand).callsFake((input: { BrokerId?: string }) => {
    const broker = find(input.BrokerId);
    if (broker.state !== "RUNNING" && broker.state !== "CRITICAL_ACTION_REQUIRED") {
      throw awsError("ConflictException", 409, `Broker ${broker.id} is ${broker.state}.`);
    }
    if (broker.pendingEngineVersion !== undefined) broker.engineVersion = `${broker.pendingEngineVersion}.2`;
    if (broker.pendingRevision !== undefined) broker.revision = broker.pendingRevision;
    broker.pendingEngineVersion = undefined;
    broker.pendingRevision = undefined;
    broker.state = "REBOOT_IN_PROGRESS";
    broker.pollsLeft = broker.rebootPolls;
    broker.onReboot?.(broker);
    return {};
  });
}

function runInput(overrides: Record<string, unknown> = {}) {
  return {
    targetEngineVersion: "5.19",
    settings: { pollIntervalSeconds: 1, deadlineSeconds: 3600 },
    ...overrides,
  };
}

async function execute(input: unknown, startTime = new Date()) {
  const run = runWorkflow(workflow, input, {
    executionName: "maintenance-test-1",
    startTime,
    skipDelays: true,
  });
  try {
    return { output: (await run.result) as Record<string, unknown>, error: undefined };
  } catch (error) {
    return { output: undefined, error: (error as { cause?: { name: string; message: string } }).cause };
  }
}

/** The SNS events published, as [eventType, brokerName, detail]. */
function events() {
  return sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    const message = JSON.parse(input.Message ?? "{}") as {
      brokerName: string;
      detail: Record<string, unknown>;
    };
    return {
      type: input.MessageAttributes?.eventType?.StringValue,
      brokerName: message.brokerName,
      detail: message.detail,
    };
  });
}

/** The last state-table update of a broker's record in this run. */
function lastRecord(brokerId: string): Record<string, unknown> {
  const updates = ddb
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => input.Key?.sk === `BROKER#${brokerId}`);
  const last = updates.at(-1);
  if (last === undefined) return {};
  const names = last.ExpressionAttributeNames ?? {};
  const values = last.ExpressionAttributeValues ?? {};
  return Object.fromEntries(
    Object.entries(names).map(([alias, name]) => [name, values[alias.replace("#f", ":v")]]),
  );
}

beforeAll(async () => {
  workflow = await loadWorkflow(maintenance);
});

beforeEach(() => {
  brokers = new Map();
  for (const client of [mq, secrets, sns, ddb]) client.reset();
  fakeAmazonMq();
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ passwords: { app: PASSWORD } }) });
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ddb.on(UpdateCommand).resolves({});
});

afterEach(async () => {
  await Promise.all(stomps.map((stomp) => stomp.stop()));
  stomps = [];
});

afterAll(() => {
  mq.restore();
});

describe("maintenance workflow", () => {
  it("upgrades the canary, then the wave, sending 5.19 (not a patch) and checking each broker after its reboot", async () => {
    const canary = await addBroker("b-alpha");
    const second = await addBroker("b-bravo", { mode: "SINGLE_INSTANCE" });

    const { output, error } = await execute(runInput());

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ status: "SUCCEEDED", completed: 2, failed: 0, rolledBack: 0 });
    expect(mq).toHaveReceivedCommandWith(UpdateBrokerCommand, { BrokerId: "b-alpha", EngineVersion: "5.19" });
    expect(mq).toHaveReceivedCommandWith(UpdateBrokerCommand, { BrokerId: "b-bravo", EngineVersion: "5.19" });
    expect(mq).toHaveReceivedCommandTimes(RebootBrokerCommand, 2);
    expect(canary.engineVersion).toBe("5.19.2");
    expect(second.engineVersion).toBe("5.19.2");
    // The canary was done (rebooted and checked) before the wave's first broker was touched.
    const calls = mq.calls().map((call) => call.args[0]);
    const canaryDone = calls.findIndex(
      (command) => command instanceof RebootBrokerCommand && command.input.BrokerId === "b-alpha",
    );
    const waveStart = calls.findIndex(
      (command) => command instanceof UpdateBrokerCommand && command.input.BrokerId === "b-bravo",
    );
    expect(canaryDone).toBeGreaterThan(-1);
    expect(waveStart).toBeGreaterThan(canaryDone);
    expect(events().map((e) => [e.type, e.brokerName])).toEqual([
      ["MaintenanceCompleted", "alpha"],
      ["MaintenanceCompleted", "bravo"],
    ]);
    expect(lastRecord("b-alpha")).toMatchObject({
      status: "COMPLETED",
      step: "DONE",
      targetEngineVersion: "5.19",
    });
    // The postcheck's message went through the instance that accepts connections.
    expect(canary.stomp.logins.length).toBeGreaterThanOrEqual(3);
  });

  it("skips a broker tagged mqops:maintenance=skip and reports it, and ignores unmanaged brokers", async () => {
    await addBroker("b-alpha");
    await addBroker("b-skipped", { tags: { "mqops:managed": "true", "mqops:maintenance": "skip" } });
    await addBroker("b-unmanaged", { tags: {} });

    const { output, error } = await execute(runInput());

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ status: "SUCCEEDED", completed: 1, skipped: 1 });
    expect(mq).not.toHaveReceivedCommandWith(UpdateBrokerCommand, { BrokerId: "b-skipped" });
    expect(mq).not.toHaveReceivedCommandWith(UpdateBrokerCommand, { BrokerId: "b-unmanaged" });
    expect(events()).toContainEqual(
      expect.objectContaining({
        type: "MaintenanceSkipped",
        brokerName: "skipped",
        detail: expect.objectContaining({ reason: "tagged mqops:maintenance=skip" }),
      }),
    );
    expect(events().some((e) => e.brokerName === "unmanaged")).toBe(false);
  });

  it("turns automatic minor upgrades on in an update of its own before moving a 5.17 broker to 5.18", async () => {
    const broker = await addBroker("b-old", { engineVersion: "5.17.6", autoMinor: false });

    const { error } = await execute(runInput({ targetEngineVersion: "5.18" }));

    expect(error).toBeUndefined();
    const updates = mq.commandCalls(UpdateBrokerCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      expect.objectContaining({ AutoMinorVersionUpgrade: true, EngineVersion: undefined }),
      expect.objectContaining({ EngineVersion: "5.18", AutoMinorVersionUpgrade: undefined }),
    ]);
    expect(broker.engineVersion).toBe("5.18.2");
  });

  it("halts the wave when the canary fails its precheck, changing nothing", async () => {
    await addBroker("b-alpha", { pendingRevision: 3 });
    await addBroker("b-bravo");

    const { error } = await execute(runInput());

    expect(error?.name).toBe("MaintenanceCanaryFailedError");
    expect(mq).not.toHaveReceivedCommand(UpdateBrokerCommand);
    expect(mq).not.toHaveReceivedCommand(RebootBrokerCommand);
    expect(events()).toEqual([
      expect.objectContaining({
        type: "MaintenanceFailed",
        brokerName: "alpha",
        detail: expect.objectContaining({ error: "MaintenancePrecheckFailedError" }),
      }),
    ]);
    expect(lastRecord("b-bravo")).toMatchObject({ status: "PENDING" });
  });

  it("fails a broker whose store is too full, as its precheck measures it", async () => {
    const broker = await addBroker("b-alpha");
    broker.stomp.statistics = { storePercentUsage: 95, size: 10 };

    const { error } = await execute(runInput());

    expect(error?.name).toBe("MaintenanceCanaryFailedError");
    expect(events()[0]?.detail.cause).toContain("store usage 95% is over 80%");
    expect(mq).not.toHaveReceivedCommand(UpdateBrokerCommand);
  });

  it("reports UpdateBroker's refusal as a failure without rebooting", async () => {
    await addBroker("b-alpha");
    mq.on(UpdateBrokerCommand).rejects(
      awsError("BadRequestException", 400, "Engine version [5.19] is not supported."),
    );

    const { error } = await execute(runInput());

    expect(error?.name).toBe("MaintenanceCanaryFailedError");
    expect(mq).toHaveReceivedCommandTimes(UpdateBrokerCommand, 1);
    expect(mq).not.toHaveReceivedCommand(RebootBrokerCommand);
    expect(events()[0]).toMatchObject({
      type: "MaintenanceFailed",
      detail: { error: "UpdateBrokerRefusedError" },
    });
  });

  it("fails a wave broker that does not settle before the deadline, and reports the others", async () => {
    await addBroker("b-alpha", { rebootPolls: 0 });
    await addBroker("b-bravo", { afterReboot: "stuck" });

    const { output, error } = await execute(
      runInput({ settings: { pollIntervalSeconds: 1, deadlineSeconds: 1 } }),
    );

    expect(output).toBeUndefined();
    expect(error?.name).toBe("MaintenanceFailedError");
    const bravo = events().find((e) => e.brokerName === "bravo");
    expect(bravo).toMatchObject({
      type: "MaintenanceFailed",
      detail: { error: "MaintenanceDeadlineExceededError" },
    });
    expect(bravo?.detail.runbook).toEqual(
      expect.arrayContaining([expect.stringContaining("cannot downgrade")]),
    );
    expect(events().find((e) => e.brokerName === "alpha")?.type).toBe("MaintenanceCompleted");
    // Nothing to roll back: the engine version cannot go back, the configuration did not change.
    expect(mq).toHaveReceivedCommandTimes(RebootBrokerCommand, 2);
  });

  it("rolls back a new configuration revision that breaks the postcheck, with a reboot, and alerts", async () => {
    const broker = await addBroker("b-alpha", { latestRevision: 3 });
    broker.onReboot = (b) => {
      b.stomp.dropMessages = b.revision === 3;
    };

    const { error } = await execute(runInput({ targetEngineVersion: undefined }));

    expect(error?.name).toBe("MaintenanceCanaryFailedError");
    const updates = mq.commandCalls(UpdateBrokerCommand).map((call) => call.args[0].input);
    expect(updates).toEqual([
      expect.objectContaining({ Configuration: { Id: "c-b-alpha", Revision: 3 } }),
      expect.objectContaining({ Configuration: { Id: "c-b-alpha", Revision: 2 } }),
    ]);
    expect(mq).toHaveReceivedCommandTimes(RebootBrokerCommand, 2);
    expect(broker.revision).toBe(2);
    expect(events()).toEqual([
      expect.objectContaining({
        type: "MaintenanceRolledBack",
        detail: expect.objectContaining({
          error: "MaintenancePostcheckFailedError",
          runbook: expect.arrayContaining([expect.stringContaining("rolled back to revision 2")]),
        }),
      }),
    ]);
    expect(lastRecord("b-alpha")).toMatchObject({ status: "ROLLED_BACK" });
  });

  it("fails the postcheck when a queue the broker had is gone after the reboot", async () => {
    const broker = await addBroker("b-alpha");
    broker.onReboot = (b) => b.stomp.queues.delete("invoices");

    const { error } = await execute(runInput());

    expect(error?.name).toBe("MaintenanceCanaryFailedError");
    expect(events()[0]?.detail.cause).toContain("queues missing after the change: invoices");
  });

  it("rolls back when the broker needs an operator after its reboot", async () => {
    const broker = await addBroker("b-alpha", { latestRevision: 3, afterReboot: "critical" });
    broker.onReboot = (b) => {
      b.afterReboot = b.revision === 3 ? "critical" : "running";
    };

    const { error } = await execute(runInput({ targetEngineVersion: undefined }));

    expect(error?.name).toBe("MaintenanceCanaryFailedError");
    expect(events()[0]).toMatchObject({
      type: "MaintenanceRolledBack",
      detail: { error: "BrokerRebootFailedError" },
    });
    expect(broker.revision).toBe(2);
  });

  it("reports a broker with nothing to do as skipped, and never downgrades", async () => {
    await addBroker("b-alpha", { engineVersion: "5.19.1" });

    const { output, error } = await execute(runInput({ targetEngineVersion: "5.18" }));

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ status: "SUCCEEDED", skipped: 1, completed: 0 });
    expect(mq).not.toHaveReceivedCommand(UpdateBrokerCommand);
    expect(events()[0]?.detail.reason).toContain("never downgraded");
  });

  it("plans only on a dry run", async () => {
    await addBroker("b-alpha", { engineVersion: "5.18.4" });

    const { output, error } = await execute(runInput({ dryRun: true }));

    expect(error).toBeUndefined();
    expect(output).toMatchObject({
      dryRun: true,
      plans: [{ broker: { brokerId: "b-alpha" }, plan: { action: "update", targetEngineVersion: "5.19" } }],
    });
    expect(mq).not.toHaveReceivedCommand(UpdateBrokerCommand);
    expect(mq).not.toHaveReceivedCommand(RebootBrokerCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it("on the schedule, maintains only brokers whose window opens within the hour, in their time zone", async () => {
    await addBroker("b-paris", {
      window: { DayOfWeek: "MONDAY", TimeOfDay: "03:30", TimeZone: "Europe/Paris" },
    });
    await addBroker("b-later", {
      window: { DayOfWeek: "MONDAY", TimeOfDay: "05:00", TimeZone: "Europe/Paris" },
    });

    // Monday 2026-11-30 02:00 UTC is 03:00 in Paris: the 03:30 window opens within the hour.
    const { output, error } = await execute({
      source: "schedule",
      selection: "window",
      policy: "minor",
      scheduledTime: "2026-11-30T02:00:00Z",
      settings: { pollIntervalSeconds: 1 },
    });

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ completed: 1 });
    expect(mq).toHaveReceivedCommandWith(UpdateBrokerCommand, { BrokerId: "b-paris" });
    expect(mq).not.toHaveReceivedCommandWith(UpdateBrokerCommand, { BrokerId: "b-later" });
  });

  it("fails with RequestValidationError on an input that is not a maintenance request", async () => {
    const { error } = await execute({ policy: "major", brokerIds: [] });

    expect(error?.name).toBe("RequestValidationError");
    expect(mq).not.toHaveReceivedCommand(ListBrokersCommand);
  });
});
