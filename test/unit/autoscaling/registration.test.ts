import { describe, expect, it } from "vitest";
import { validateRegistration } from "../../../functions/api/autoscaling-request.js";
import { queueNameIssues, registrationId } from "../../../functions/autoscaling/registration.js";

describe("queueNameIssues", () => {
  it.each(["orders", "orders.eu.priority", "ORDERS_v2-x", "a:b/c"])("accepts %s", (queue) => {
    expect(queueNameIssues(queue)).toEqual([]);
  });

  it.each([
    ["", "must be 1-1024 characters"],
    ["q".repeat(1025), "must be 1-1024 characters"],
    ["orders,invoices", "composite"],
    ["orders.*", "wildcards"],
    ["orders.>", "wildcards"],
    ["orders now", "whitespace"],
    [".orders", "empty"],
    ["orders..eu", "empty"],
    ["queue://orders", "URL prefix"],
  ])("refuses %j (%s)", (queue, message) => {
    expect(queueNameIssues(queue).join("; ")).toContain(message);
  });
});

describe("validateRegistration", () => {
  it("fills the policy's defaults", () => {
    const result = validateRegistration("orders", {
      ecs: { cluster: "consumers", service: "orders-consumer" },
    });
    expect(result.ok && result.request.settings).toMatchObject({
      minConsumers: 1,
      maxConsumers: 100,
      targetWaitSeconds: 300,
      scaleToZero: { enabled: false, activationQueueSize: 1 },
    });
  });

  it("accepts cluster and service ARNs", () => {
    const result = validateRegistration("orders", {
      ecs: {
        cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/consumers",
        service: "arn:aws:ecs:us-east-1:123456789012:service/consumers/orders-consumer",
      },
    });
    expect(result.ok).toBe(true);
  });

  it("names every bad field", () => {
    const result = validateRegistration("orders,x", {
      ecs: { cluster: "no spaces allowed", service: "" },
      settings: { minConsumers: 5, maxConsumers: 2, targetWaitSeconds: 1, unknown: true },
      extra: 1,
    });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.issues.map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "queue",
        "ecs.cluster",
        "ecs.service",
        "settings.targetWaitSeconds",
        "settings.unknown",
        "extra",
      ]),
    );
  });

  it("says a missing ecs is required", () => {
    const result = validateRegistration("orders", {});
    expect(result.ok ? [] : result.issues).toContainEqual({ field: "ecs", message: "is required" });
  });
});

describe("registrationId", () => {
  it("is the same for the same broker and queue, and differs otherwise", () => {
    expect(registrationId("b-1", "orders")).toBe(registrationId("b-1", "orders"));
    expect(registrationId("b-1", "orders")).not.toBe(registrationId("b-2", "orders"));
    expect(registrationId("b-1", "orders")).toMatch(/^[0-9a-f]{16}$/);
  });
});
