import {
  BadRequestException,
  ConflictException,
  CreateConfigurationCommand,
  DescribeBrokerCommand,
  NotFoundException,
  RebootBrokerCommand,
  UpdateBrokerCommand,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Mq, startMq } from "./harness.js";

let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

const QUEUES_XML = `<broker xmlns="http://activemq.apache.org/schema/core"><destinations><queue physicalName="invoices"/></destinations></broker>`;

async function runningBroker() {
  const brokerId = await mq.createBroker({ HostInstanceType: "mq.m5.large" });
  await mq.waitForState(brokerId, "RUNNING");
  return brokerId;
}

async function configurationRevision2() {
  const created = await mq.client.send(
    new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", EngineVersion: "5.18", Name: "invoices" }),
  );
  await mq.client.send(
    new UpdateConfigurationCommand({
      ConfigurationId: created.Id,
      Data: Buffer.from(QUEUES_XML).toString("base64"),
    }),
  );
  return created.Id ?? "";
}

describe("UpdateBroker", () => {
  it("stages configuration, engine version and host type as pending without touching the running broker", async () => {
    const brokerId = await runningBroker();
    const configurationId = await configurationRevision2();

    const updated = await mq.client.send(
      new UpdateBrokerCommand({
        BrokerId: brokerId,
        Configuration: { Id: configurationId, Revision: 2 },
        EngineVersion: "5.19",
        HostInstanceType: "mq.m5.xlarge",
      }),
    );

    expect(updated).toMatchObject({
      BrokerId: brokerId,
      Configuration: { Id: configurationId, Revision: 2 },
      EngineVersion: "5.19",
      HostInstanceType: "mq.m5.xlarge",
    });
    const described = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    expect(described).toMatchObject({
      BrokerState: "RUNNING",
      EngineVersion: "5.18",
      PendingEngineVersion: "5.19",
      HostInstanceType: "mq.m5.large",
      PendingHostInstanceType: "mq.m5.xlarge",
    });
    expect(described.Configurations?.Pending).toEqual({ Id: configurationId, Revision: 2 });
    expect(mq.runtime.starts).toHaveLength(1);
    expect(mq.runtime.stops).toEqual([]);
  });

  it("applies the maintenance window at once", async () => {
    const brokerId = await runningBroker();

    await mq.client.send(
      new UpdateBrokerCommand({
        BrokerId: brokerId,
        MaintenanceWindowStartTime: { DayOfWeek: "TUESDAY", TimeOfDay: "03:30", TimeZone: "UTC" },
      }),
    );

    const described = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    expect(described.MaintenanceWindowStartTime).toEqual({
      DayOfWeek: "TUESDAY",
      TimeOfDay: "03:30",
      TimeZone: "UTC",
    });
  });

  it.each([
    ["engineVersion", { EngineVersion: "5.17" }],
    ["hostInstanceType", { HostInstanceType: "mq.nope" }],
    ["autoMinorVersionUpgrade", { AutoMinorVersionUpgrade: false }],
    [
      "maintenanceWindowStartTime.timeOfDay",
      { MaintenanceWindowStartTime: { DayOfWeek: "MONDAY" as const, TimeOfDay: "25:00" } },
    ],
  ])("answers BadRequestException naming %s", async (attribute, input) => {
    const brokerId = await runningBroker();

    const error = await mq.client
      .send(new UpdateBrokerCommand({ BrokerId: brokerId, ...input }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, ErrorAttribute: attribute });
  });

  it("refuses an engine downgrade with BadRequestException", async () => {
    const brokerId = await mq.createBroker({ EngineVersion: "5.19" });
    await mq.waitForState(brokerId, "RUNNING");

    const error = await mq.client
      .send(new UpdateBrokerCommand({ BrokerId: brokerId, EngineVersion: "5.18" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ ErrorAttribute: "engineVersion" });
    expect((error as Error).message).toContain("does not downgrade");
  });

  it("answers NotFoundException for a configuration revision that does not exist", async () => {
    const brokerId = await runningBroker();
    const configurationId = await configurationRevision2();

    const error = await mq.client
      .send(
        new UpdateBrokerCommand({ BrokerId: brokerId, Configuration: { Id: configurationId, Revision: 9 } }),
      )
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({
      $metadata: { httpStatusCode: 404 },
      ErrorAttribute: "configuration.revision",
    });
  });

  it("refuses to update a broker whose creation is under way with ConflictException", async () => {
    mq.runtime.holdStarts();
    const brokerId = await mq.createBroker();

    const error = await mq.client
      .send(new UpdateBrokerCommand({ BrokerId: brokerId, EngineVersion: "5.19" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "broker-id" });
    mq.runtime.held[0]?.resolve();
  });
});

describe("RebootBroker", () => {
  it("goes REBOOT_IN_PROGRESS, applies the pending changes and restarts with the new configuration XML", async () => {
    const brokerId = await runningBroker();
    const configurationId = await configurationRevision2();
    const before = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    await mq.client.send(
      new UpdateBrokerCommand({
        BrokerId: brokerId,
        Configuration: { Id: configurationId, Revision: 2 },
        EngineVersion: "5.19",
        HostInstanceType: "mq.m5.xlarge",
      }),
    );
    mq.runtime.holdStarts();

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    const rebooting = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    mq.runtime.held[0]?.resolve();
    const rebooted = await mq.waitForState(brokerId, "RUNNING");

    expect(rebooting.BrokerState).toBe("REBOOT_IN_PROGRESS");
    expect(mq.runtime.stops).toEqual([brokerId]);
    expect(mq.runtime.starts.at(-1)?.configurationXml).toBe(QUEUES_XML);
    expect(rebooted).toMatchObject({ EngineVersion: "5.19", HostInstanceType: "mq.m5.xlarge" });
    expect(rebooted.PendingEngineVersion).toBeUndefined();
    expect(rebooted.PendingHostInstanceType).toBeUndefined();
    expect(rebooted.Configurations).toEqual({
      Current: { Id: configurationId, Revision: 2 },
      History: [before.Configurations?.Current],
    });
    expect(rebooted.BrokerInstances).toEqual(before.BrokerInstances);
  });

  it("leaves the broker CRITICAL_ACTION_REQUIRED with the reason when it cannot start again", async () => {
    const brokerId = await runningBroker();
    mq.runtime.failNextStart(new Error("the configuration names an unknown plugin"));

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    const failed = await mq.waitForState(brokerId, "CRITICAL_ACTION_REQUIRED");

    expect(failed.ActionsRequired?.[0]?.ActionRequiredInfo).toBe("the configuration names an unknown plugin");
    mq.runtime.holdStarts(false);
    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    const recovered = await mq.waitForState(brokerId, "RUNNING");
    expect(recovered.ActionsRequired).toBeUndefined();
  });

  it("leaves the broker CRITICAL_ACTION_REQUIRED when its processes cannot be stopped", async () => {
    const brokerId = await runningBroker();
    mq.runtime.failNextStop(new Error("the JVM ignores SIGTERM and SIGKILL"));

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    const failed = await mq.waitForState(brokerId, "CRITICAL_ACTION_REQUIRED");

    expect(failed.ActionsRequired).toEqual([
      { ActionRequiredCode: "BROKER_STOP_FAILED", ActionRequiredInfo: "the JVM ignores SIGTERM and SIGKILL" },
    ]);
  });

  it("refuses to reboot a broker that failed to create with ConflictException", async () => {
    mq.runtime.failNextStart(new Error("no java"));
    const brokerId = await mq.createBroker();
    await mq.waitForState(brokerId, "CREATION_FAILED");

    const error = await mq.client
      .send(new RebootBrokerCommand({ BrokerId: brokerId }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "broker-id" });
  });
});
