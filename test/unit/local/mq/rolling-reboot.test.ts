import {
  DescribeBrokerEngineTypesCommand,
  RebootBrokerCommand,
  UpdateBrokerCommand,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BrokerRunSpec } from "../../../../local/brokers/types.js";
import { type Mq, startMq } from "./harness.js";

/** What the control plane asked of a runtime that can reboot a pair one instance at a time. */
let reboots: BrokerRunSpec[];
let failReboot: Error | undefined;
let mq: Mq;

beforeEach(async () => {
  reboots = [];
  failReboot = undefined;
  mq = await startMq(undefined, (runtime) => {
    Object.assign(runtime, {
      reboot: async (spec: BrokerRunSpec) => {
        reboots.push(spec);
        if (failReboot !== undefined) throw failReboot;
      },
    });
  });
});

afterEach(async () => {
  await mq.close();
});

const pair = { DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const, HostInstanceType: "mq.m5.large" };

describe("RebootBroker of an active/standby pair", () => {
  it("asks the runtime for a rolling reboot (no stop) and applies the pending engine version", async () => {
    const brokerId = await mq.createBroker(pair);
    await mq.waitForState(brokerId, "RUNNING");
    await mq.client.send(new UpdateBrokerCommand({ BrokerId: brokerId, EngineVersion: "5.19" }));

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    const rebooted = await mq.waitForState(brokerId, "RUNNING");

    expect(reboots.map((spec) => spec.brokerId)).toEqual([brokerId]);
    expect(mq.runtime.stops).toEqual([]);
    expect(rebooted.EngineVersion).toBe("5.19");
    expect(rebooted.PendingEngineVersion).toBeUndefined();
  });

  it("leaves the pair CRITICAL_ACTION_REQUIRED with the reason when the rolling reboot fails", async () => {
    const brokerId = await mq.createBroker(pair);
    await mq.waitForState(brokerId, "RUNNING");
    failReboot = new Error("instance 1 stopped after the restart");

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    const failed = await mq.waitForState(brokerId, "CRITICAL_ACTION_REQUIRED");

    expect(failed.ActionsRequired).toEqual([
      {
        ActionRequiredCode: "BROKER_START_FAILED",
        ActionRequiredInfo: "instance 1 stopped after the restart",
      },
    ]);
  });

  it("stops and starts a single-instance broker (it is offline while it reboots)", async () => {
    const brokerId = await mq.createBroker();
    await mq.waitForState(brokerId, "RUNNING");

    await mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
    await mq.waitForState(brokerId, "RUNNING");

    expect(reboots).toEqual([]);
    expect(mq.runtime.stops).toEqual([brokerId]);
  });
});

describe("DescribeBrokerEngineTypes", () => {
  it("lists the ActiveMQ versions Amazon MQ offers, major.minor", async () => {
    const types = await mq.client.send(new DescribeBrokerEngineTypesCommand({ EngineType: "ACTIVEMQ" }));

    expect(types.BrokerEngineTypes).toEqual([
      { EngineType: "ACTIVEMQ", EngineVersions: [{ Name: "5.19" }, { Name: "5.18" }] },
    ]);
  });
});
