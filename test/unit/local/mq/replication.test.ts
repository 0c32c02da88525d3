import {
  BadRequestException,
  ConflictException,
  DescribeBrokerCommand,
  NotFoundException,
  PromoteCommand,
  RebootBrokerCommand,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Mq, startMq } from "./harness.js";

// CRDR in the control plane with the fake runtime (no JVMs): the API's rules and role bookkeeping.
// The bridge and the brokers' data are exercised on real JVMs in test/integration/failover-promotion.
let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

const pairMode = { DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const, HostInstanceType: "mq.m5.large" };
const describe_ = (id: string) => mq.client.send(new DescribeBrokerCommand({ BrokerId: id }));

async function pair() {
  const primaryId = await mq.createBroker(pairMode);
  const primary = await mq.waitForState(primaryId, "RUNNING");
  const replicaId = await mq.createBroker({
    ...pairMode,
    DataReplicationMode: "CRDR",
    DataReplicationPrimaryBrokerArn: primary.BrokerArn,
  });
  await mq.service.settled();
  return { primaryId, replicaId, primaryArn: primary.BrokerArn ?? "" };
}

describe("CreateBroker with CRDR", () => {
  it.each([
    ["CRDR without a primary ARN", { DataReplicationMode: "CRDR" as const }, "dataReplicationMode"],
    [
      "a primary ARN without CRDR",
      { DataReplicationPrimaryBrokerArn: "arn:aws:mq:us-east-1:000000000000:broker:x:b-x" },
      "dataReplicationPrimaryBrokerArn",
    ],
    [
      "an ARN no broker has",
      {
        DataReplicationMode: "CRDR" as const,
        DataReplicationPrimaryBrokerArn: "arn:aws:mq:us-east-1:000000000000:broker:x:b-x",
      },
      "dataReplicationPrimaryBrokerArn",
    ],
  ])("refuses %s (errorAttribute %s)", async (_name, fields, attribute) => {
    const error = await mq.createBroker({ ...pairMode, ...fields }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ ErrorAttribute: attribute });
  });

  it("refuses a single-instance replica and a second replica of the same primary", async () => {
    const { primaryArn } = await pair();
    await expect(
      mq.createBroker({ DataReplicationMode: "CRDR", DataReplicationPrimaryBrokerArn: primaryArn }),
    ).rejects.toBeInstanceOf(BadRequestException);
    await expect(
      mq.createBroker({
        ...pairMode,
        DataReplicationMode: "CRDR",
        DataReplicationPrimaryBrokerArn: primaryArn,
      }),
    ).rejects.toBeInstanceOf(ConflictException);
  });

  it("shows the replica's role at once and the primary's as pending until its reboot", async () => {
    const { primaryId, replicaId } = await pair();
    expect(await describe_(replicaId)).toMatchObject({
      BrokerState: "REPLICA",
      DataReplicationMode: "CRDR",
      DataReplicationMetadata: {
        DataReplicationRole: "REPLICA",
        DataReplicationCounterpart: { BrokerId: primaryId, Region: "us-east-1" },
      },
    });
    expect(await describe_(primaryId)).toMatchObject({
      DataReplicationMode: "NONE",
      PendingDataReplicationMode: "CRDR",
      PendingDataReplicationMetadata: { DataReplicationRole: "PRIMARY" },
    });
    await mq.client.send(new RebootBrokerCommand({ BrokerId: primaryId }));
    const rebooted = await mq.waitForState(primaryId, "RUNNING");
    expect(rebooted).toMatchObject({ DataReplicationMode: "CRDR" });
    expect(rebooted.PendingDataReplicationMode).toBeUndefined();
  });
});

describe("Promote", () => {
  it("refuses an unknown broker, a bad mode and a broker that is not a replica", async () => {
    const { primaryId, replicaId } = await pair();
    await expect(
      mq.client.send(new PromoteCommand({ BrokerId: "b-missing", Mode: "FAILOVER" })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      mq.client.send(new PromoteCommand({ BrokerId: replicaId, Mode: "SIDEWAYS" as "FAILOVER" })),
    ).rejects.toMatchObject({ ErrorAttribute: "mode" });
    await expect(
      mq.client.send(new PromoteCommand({ BrokerId: primaryId, Mode: "FAILOVER" })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });

  it("refuses a SWITCHOVER while the brokers are not both serving", async () => {
    const { primaryId, replicaId } = await pair();
    await mq.client.send(new RebootBrokerCommand({ BrokerId: primaryId }));
    await mq.waitForState(primaryId, "RUNNING");
    // The fake runtime reports no active instance: neither broker serves.
    await expect(
      mq.client.send(new PromoteCommand({ BrokerId: replicaId, Mode: "SWITCHOVER" })),
    ).rejects.toMatchObject({ name: "BadRequestException", ErrorAttribute: "mode" });
    expect(await describe_(replicaId)).toMatchObject({
      DataReplicationMetadata: { DataReplicationRole: "REPLICA" },
    });
  });

  it("swaps the roles at once with FAILOVER", async () => {
    const { primaryId, replicaId } = await pair();
    await mq.client.send(new RebootBrokerCommand({ BrokerId: primaryId }));
    await mq.waitForState(primaryId, "RUNNING");

    const promoted = await mq.client.send(new PromoteCommand({ BrokerId: replicaId, Mode: "FAILOVER" }));

    expect(promoted.BrokerId).toBe(replicaId);
    expect(await describe_(replicaId)).toMatchObject({
      BrokerState: "RUNNING",
      DataReplicationMetadata: {
        DataReplicationRole: "PRIMARY",
        DataReplicationCounterpart: { BrokerId: primaryId },
      },
    });
    expect(await describe_(primaryId)).toMatchObject({
      BrokerState: "REPLICA",
      DataReplicationMetadata: { DataReplicationRole: "REPLICA" },
    });
  });
});
