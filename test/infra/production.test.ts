import { beforeAll, describe, expect, it } from "vitest";
import { type Evaluation, evaluateApp, named } from "./harness.js";

describe("the production stage", () => {
  let evaluation: Evaluation;
  beforeAll(async () => {
    evaluation = await evaluateApp("production");
  });

  it("retains data and protects the stage from sst remove", () => {
    expect(evaluation.config).toMatchObject({ removal: "retain", protect: true });
    expect(evaluation.outputs._protect).toBe(true);
  });

  it("keeps the state table when the stage is removed, and guards it against deletion", () => {
    expect(evaluation.options.get("StateTable")?.retainOnDelete).toBe(true);
    expect(named(evaluation, "StateTable").inputs.deletionProtectionEnabled).toBe(true);
  });

  it("names and tags resources for the stage", () => {
    expect(named(evaluation, "StateTable").inputs.name).toBe("mqops-production-state");
    expect(evaluation.config.providers).toEqual({
      aws: { defaultTags: { tags: { "mqops:app": "mqops", "mqops:stage": "production" } } },
    });
  });
});
