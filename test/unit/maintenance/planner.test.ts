import { describe, expect, it } from "vitest";
import { type PlannerInput, planUpgrade } from "../../../functions/maintenance/planner.js";

/** What DescribeBrokerEngineTypes answers for ACTIVEMQ: major.minor from 5.18 on, patches before. */
const OFFERED = ["5.19", "5.18", "5.17.6", "5.16.7", "5.15.16"];
const NOW = new Date("2026-11-30T02:00:00Z");

function input(overrides: Partial<PlannerInput>): PlannerInput {
  return {
    engineVersion: "5.18.4",
    autoMinorVersionUpgrade: true,
    availableVersions: OFFERED,
    policy: "minor",
    now: NOW,
    ...overrides,
  };
}

describe("planUpgrade: Amazon MQ's version rules as a table", () => {
  it.each([
    // current, autoMinor, policy, target, expected UpdateBroker calls (in order), refusal fragment
    ["5.18.4", true, "minor", undefined, [{ engineVersion: "5.19" }], undefined],
    ["5.18.4", true, "minor", "5.19", [{ engineVersion: "5.19" }], undefined],
    ["5.18.4", true, "minor", "5.19.2", [{ engineVersion: "5.19" }], undefined],
    ["5.18.4", true, "patch", undefined, [], undefined],
    ["5.18.4", true, "patch", "5.19", [], "allows patches only"],
    ["5.19.1", true, "minor", undefined, [], undefined],
    ["5.19.1", true, "minor", "5.18", [], "never downgraded"],
    ["5.19.1", true, "minor", "5.19", [], undefined],
    [
      "5.17.6",
      false,
      "minor",
      "5.18",
      [{ autoMinorVersionUpgrade: true }, { engineVersion: "5.18" }],
      undefined,
    ],
    [
      "5.17.6",
      false,
      "minor",
      undefined,
      [{ autoMinorVersionUpgrade: true }, { engineVersion: "5.19" }],
      undefined,
    ],
    ["5.17.6", true, "minor", "5.18", [{ engineVersion: "5.18" }], undefined],
    ["5.18.4", false, "patch", undefined, [{ autoMinorVersionUpgrade: true }], undefined],
    [
      "5.17.6",
      false,
      "patch",
      undefined,
      [{ autoMinorVersionUpgrade: true }, { engineVersion: "5.18" }],
      undefined,
    ],
    ["5.18.4", true, "minor", "6.0", [], "major upgrade"],
    ["5.18.4", true, "minor", "5.20", [], "not a supported version"],
    ["5.18.4", true, "minor", "5.17.6", [], "never downgraded"],
  ] as const)(
    "%s (autoMinor %s, %s, target %s) → %j %s",
    (engineVersion, autoMinor, policy, target, updates, refusal) => {
      const plan = planUpgrade(
        input({
          engineVersion,
          autoMinorVersionUpgrade: autoMinor,
          policy,
          ...(target === undefined ? {} : { targetEngineVersion: target }),
        }),
      );
      expect(plan.updates).toEqual(updates);
      expect(plan.action).toBe(updates.length === 0 ? "none" : "update");
      if (refusal === undefined) expect(plan.refusal).toBeUndefined();
      else expect(plan.refusal).toContain(refusal);
    },
  );

  it("never sends a patch version for 5.18 and later", () => {
    for (const target of ["5.18", "5.18.0", "5.18.4", "5.19", "5.19.2"]) {
      const plan = planUpgrade(input({ engineVersion: "5.17.6", targetEngineVersion: target }));
      for (const update of plan.updates) {
        if (update.engineVersion !== undefined) expect(update.engineVersion).toMatch(/^\d+\.\d+$/);
      }
    }
  });

  it("moves a patch version before 5.18 to the newest patch Amazon MQ offers, with the patch", () => {
    const plan = planUpgrade(
      input({
        engineVersion: "5.17.3",
        policy: "patch",
        availableVersions: [...OFFERED],
        now: new Date("2025-01-10T00:00:00Z"),
      }),
    );
    expect(plan.updates).toEqual([{ engineVersion: "5.17.6" }]);
  });

  it("turns automatic minor upgrades on alone first: both at once is refused by Amazon MQ", () => {
    const plan = planUpgrade(
      input({ engineVersion: "5.17.6", autoMinorVersionUpgrade: false, targetEngineVersion: "5.18" }),
    );
    expect(plan.updates[0]).toEqual({ autoMinorVersionUpgrade: true });
    expect(plan.updates[1]).not.toHaveProperty("autoMinorVersionUpgrade");
    expect(plan.reasons.join(" ")).toContain("own update");
  });

  it("is not offered versions past their end of support as targets", () => {
    const plan = planUpgrade(
      input({ engineVersion: "5.16.7", policy: "minor", targetEngineVersion: "5.17.6" }),
    );
    expect(plan.refusal).toContain("not a supported version");
  });
});

describe("planUpgrade: end of support", () => {
  const on = (date: string) => new Date(`${date}T00:00:00Z`);

  it.each([
    ["2025-02-01", "supported"],
    ["2025-03-19", "notice"],
    ["2025-06-15", "notice"],
    ["2025-06-16", "ended"],
    ["2025-07-31", "ended"],
    ["2025-08-01", "forced-upgrade-overdue"],
  ])("5.17 on %s is %s (end 2025-06-16: 90 days' notice, forced within 45 days after)", (date, status) => {
    const plan = planUpgrade(input({ engineVersion: "5.17.6", policy: "patch", now: on(date) }));
    expect(plan.support.status).toBe(status);
  });

  it("gives the notice with the days left", () => {
    const plan = planUpgrade(input({ engineVersion: "5.17.6", policy: "patch", now: on("2025-05-17") }));
    expect(plan.support).toEqual({ status: "notice", endOfSupport: "2025-06-16", daysLeft: 30 });
    expect(plan.reasons.join(" ")).toContain("reaches end of support on 2025-06-16 (30 days)");
  });

  it("moves a broker off an ended version under the patch policy, before Amazon MQ forces it", () => {
    const plan = planUpgrade(
      input({
        engineVersion: "5.17.6",
        autoMinorVersionUpgrade: true,
        policy: "patch",
        now: on("2025-07-01"),
      }),
    );
    expect(plan.updates).toEqual([{ engineVersion: "5.18" }]);
    expect(plan.reasons.join(" ")).toContain("upgrades it by 2025-07-31");
  });
});

describe("planUpgrade: configuration revisions and pending changes", () => {
  it("applies a newer configuration revision with the version, in the same update", () => {
    const plan = planUpgrade(
      input({
        targetEngineVersion: "5.19",
        configuration: { id: "c-1", revision: 2 },
        latestConfigurationRevision: 3,
      }),
    );
    expect(plan.updates).toEqual([{ engineVersion: "5.19", configuration: { id: "c-1", revision: 3 } }]);
    expect(plan.rebootRequired).toBe(true);
  });

  it("applies a newer revision alone when the version stays", () => {
    const plan = planUpgrade(
      input({
        engineVersion: "5.19.1",
        configuration: { id: "c-1", revision: 2 },
        latestConfigurationRevision: 3,
      }),
    );
    expect(plan.updates).toEqual([{ configuration: { id: "c-1", revision: 3 } }]);
  });

  it("needs no reboot for the auto-minor flip alone (it applies at once)", () => {
    const plan = planUpgrade(
      input({ engineVersion: "5.18.4", autoMinorVersionUpgrade: false, policy: "patch" }),
    );
    expect(plan.rebootRequired).toBe(false);
  });

  it("refuses to plan over a pending engine version", () => {
    const plan = planUpgrade(input({ pendingEngineVersion: "5.19" }));
    expect(plan.action).toBe("none");
    expect(plan.refusal).toContain("already pending");
  });

  it("refuses a version it cannot read", () => {
    expect(planUpgrade(input({ engineVersion: "latest" })).refusal).toContain("not an engine version");
    expect(planUpgrade(input({ targetEngineVersion: "five" })).refusal).toContain("not an engine version");
  });

  it("changes nothing at all when the request is refused, not even the configuration", () => {
    const plan = planUpgrade(
      input({
        engineVersion: "5.19.1",
        targetEngineVersion: "5.18",
        configuration: { id: "c-1", revision: 2 },
        latestConfigurationRevision: 3,
      }),
    );
    expect(plan.updates).toEqual([]);
  });
});
