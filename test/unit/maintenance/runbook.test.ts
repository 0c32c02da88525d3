import { describe, expect, it } from "vitest";
import { runbook } from "../../../functions/maintenance/runbook.js";

const base = {
  brokerId: "b-1",
  brokerName: "orders",
  error: "MaintenanceCanaryFailedError",
  engineChanged: true,
  fromEngineVersion: "5.18",
  toEngineVersion: "5.19",
  fromRevision: 3,
};

describe("the maintenance runbook", () => {
  it("after a rollback that failed, says how to put the snapshot's revision back", () => {
    const steps = runbook({ ...base, configurationRolledBack: false, rollbackFailed: "ForbiddenException" });
    expect(steps.join("\n")).toContain("The rollback failed too (ForbiddenException)");
    expect(steps.join("\n")).toContain("set revision 3 back");
    expect(steps.join("\n")).toContain("The engine moved from 5.18 to 5.19");
  });

  it("after a rollback that worked, says the revision was rolled back and nothing of a failed one", () => {
    const steps = runbook({ ...base, configurationRolledBack: true });
    expect(steps.join("\n")).toContain("rolled back to revision 3");
    expect(steps.join("\n")).not.toContain("rollback failed");
  });
});
