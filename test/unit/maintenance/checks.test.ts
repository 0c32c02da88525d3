import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { describe, expect, it } from "vitest";
import { missingQueues, precheckProblems, settledVerdict } from "../../../functions/maintenance/checks.js";
import { selectBrokers } from "../../../functions/maintenance/selection.js";
import { summarizeRun } from "../../../functions/maintenance/summarize.js";

const LIMITS = { maxStorePercent: 80, maxBacklog: 1000 };
const healthy: DescribeBrokerResponse = {
  BrokerId: "b-1",
  BrokerState: "RUNNING",
  DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
  EngineVersion: "5.18.4",
  BrokerInstances: [{ Endpoints: ["stomp+ssl://b-1-1:61614"] }, { Endpoints: ["stomp+ssl://b-1-2:61614"] }],
  Configurations: { Current: { Id: "c-1", Revision: 2 }, History: [] },
  Users: [{ Username: "app" }],
};

describe("precheckProblems", () => {
  it("passes a healthy pair under the limits", () => {
    expect(precheckProblems(healthy, { storePercentUsage: 10, backlog: 5 }, LIMITS)).toEqual([]);
    expect(precheckProblems(healthy, undefined, LIMITS)).toEqual([]);
  });

  it.each([
    [{ BrokerState: "REBOOT_IN_PROGRESS" }, "not RUNNING"],
    [{ ActionsRequired: [{ ActionRequiredCode: "BROKER_OOM" }] }, "BROKER_OOM"],
    [{ PendingEngineVersion: "5.19" }, "5.19 is already pending"],
    [
      {
        Configurations: {
          Current: { Id: "c-1", Revision: 2 },
          Pending: { Id: "c-1", Revision: 3 },
          History: [],
        },
      },
      "revision 3 is already pending",
    ],
    [{ PendingHostInstanceType: "mq.m5.xlarge" }, "already pending"],
    [{ Users: [{ Username: "app", PendingChange: "UPDATE" }] }, "user changes are pending (app)"],
    [{ BrokerInstances: [{ Endpoints: ["x"] }] }, "2 instance(s) expected"],
    [{ BrokerInstances: [{ Endpoints: ["x"] }, { Endpoints: [] }] }, "instance 2 has no endpoints"],
  ] as [Partial<DescribeBrokerResponse>, string][])("refuses %j: %s", (change, problem) => {
    expect(precheckProblems({ ...healthy, ...change }, undefined, LIMITS).join("; ")).toContain(problem);
  });

  it("refuses a full store and a deep backlog", () => {
    expect(precheckProblems(healthy, { storePercentUsage: 81 }, LIMITS)).toEqual([
      "store usage 81% is over 80%",
    ]);
    expect(precheckProblems(healthy, { backlog: 1001 }, LIMITS)).toEqual([
      "1001 messages are waiting, over 1000",
    ]);
  });
});

describe("settledVerdict", () => {
  const expect19 = { engineVersion: "5.19", configuration: { id: "c-1", revision: 2 } };

  it("is settled when RUNNING with nothing pending, on 5.19.x and the planned revision", () => {
    expect(settledVerdict({ ...healthy, EngineVersion: "5.19.2" }, expect19)).toEqual({ verdict: "settled" });
  });

  it.each([
    [{ BrokerState: "REBOOT_IN_PROGRESS" }, "waiting"],
    [{ EngineVersion: "5.19.2", PendingEngineVersion: "5.19" }, "waiting"],
    [{ EngineVersion: "5.18.4" }, "waiting"],
    [
      { EngineVersion: "5.19.2", Configurations: { Current: { Id: "c-1", Revision: 1 }, History: [] } },
      "waiting",
    ],
    [{ BrokerState: "CRITICAL_ACTION_REQUIRED" }, "failed"],
  ] as [Partial<DescribeBrokerResponse>, string][])("%j → %s", (change, verdict) => {
    expect(settledVerdict({ ...healthy, ...change }, expect19).verdict).toBe(verdict);
  });
});

describe("missingQueues", () => {
  it("lists queues gone since the snapshot, ignoring the probe queue", () => {
    expect(missingQueues(["a", "b", "probe"], ["a"], ["probe"])).toEqual(["b"]);
    expect(missingQueues(["a"], ["a", "new"], [])).toEqual([]);
  });
});

describe("selectBrokers", () => {
  const candidate = (name: string, tags: Record<string, string>, requested = false) => ({
    brokerId: `b-${name}`,
    brokerName: name,
    brokerArn: `arn:${name}`,
    tags,
    requested,
    maintenanceWindowStartTime: { dayOfWeek: "MONDAY", timeOfDay: "02:15", timeZone: "UTC" },
  });
  const managed = { "mqops:managed": "true" };

  it("takes managed brokers by name (the first is the canary), skips skip-tagged ones, ignores the rest", () => {
    const selection = selectBrokers(
      [
        candidate("zulu", managed),
        candidate("alpha", managed),
        candidate("skip", { ...managed, "mqops:maintenance": "skip" }),
        candidate("other", {}),
      ],
      "all",
      new Date("2026-11-30T02:00:00Z"),
    );
    expect(selection.brokers.map((b) => b.brokerName)).toEqual(["alpha", "zulu"]);
    expect(selection.skipped).toEqual([
      expect.objectContaining({ brokerName: "skip", reason: "tagged mqops:maintenance=skip" }),
    ]);
  });

  it("reports an unmanaged broker that was asked for by id", () => {
    const selection = selectBrokers([candidate("other", {}, true)], "all", new Date());
    expect(selection.skipped[0]?.reason).toBe("not tagged mqops:managed=true");
  });

  it("on the schedule, takes only brokers whose window opens within the hour", () => {
    const now = new Date("2026-11-30T05:00:00Z");
    expect(selectBrokers([candidate("alpha", managed)], "window", now).brokers).toEqual([]);
    expect(selectBrokers([candidate("alpha", managed)], "all", now).brokers).toHaveLength(1);
  });
});

describe("summarizeRun", () => {
  it("fails the run when a broker failed or was rolled back, and says when the wave was halted", () => {
    expect(summarizeRun([{ brokerId: "a", status: "COMPLETED" }], 1, false)).toMatchObject({
      status: "SUCCEEDED",
      skipped: 1,
    });
    expect(summarizeRun([{ brokerId: "a", status: "ROLLED_BACK" }], 0, false)).toMatchObject({
      status: "FAILED",
      rolledBack: 1,
    });
    expect(summarizeRun([{ brokerId: "a", status: "FAILED" }], 0, true)).toMatchObject({
      status: "HALTED",
      failed: 1,
    });
  });
});
