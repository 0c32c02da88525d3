import { describe, expect, it } from "vitest";
import { CliError, expectOk } from "../../../cli/api.js";
import { describeRegistration, registrationBody, registrationPath } from "../../../cli/autoscaling.js";

const base = {
  broker: "b-1",
  queue: "orders.eu",
  cluster: "consumers",
  service: "orders-consumer",
  json: false,
};

describe("mqops autoscaling register", () => {
  it("turns flags into the PUT body, over a settings file", () => {
    const body = registrationBody(
      { ...base, max: "40", "target-wait": "120", "scale-to-zero": true, "quiet-period": "600" },
      { minConsumers: 2, scaleToZero: { activationQueueSize: 5 } },
    );
    expect(body).toEqual({
      ecs: { cluster: "consumers", service: "orders-consumer" },
      settings: {
        minConsumers: 2,
        maxConsumers: 40,
        targetWaitSeconds: 120,
        scaleToZero: { enabled: true, quietPeriodSeconds: 600, activationQueueSize: 5 },
      },
    });
  });

  it("passes a flag that is not a number through, so the API's 400 names the field", () => {
    expect(registrationBody({ ...base, max: "lots" }).settings).toEqual({ maxConsumers: "lots" });
  });

  it("needs the cluster and service", () => {
    expect(() => registrationBody({ ...base, cluster: undefined })).toThrow(CliError);
  });

  it("escapes the broker and queue in the path", () => {
    expect(registrationPath({ ...base, queue: "a/b c" })).toBe("/brokers/b-1/queues/a%2Fb%20c/autoscaling");
    expect(() => registrationPath({ json: false })).toThrow("--broker and --queue are required");
  });

  it("prints each bad field of a 400", () => {
    expect(() =>
      expectOk({
        status: 400,
        body: {
          error: "ValidationError",
          message: "The request is invalid",
          issues: [
            { field: "settings.maxConsumers", message: "Invalid input: expected number, received string" },
          ],
        },
      }),
    ).toThrow("  settings.maxConsumers: Invalid input: expected number, received string");
  });
});

describe("mqops autoscaling get", () => {
  it("shows alarms, fleet and each decision with its reason", () => {
    const text = describeRegistration({
      queue: "orders",
      brokerName: "orders-broker",
      brokerId: "b-1",
      ecs: { cluster: "consumers", service: "orders-consumer" },
      settings: { minConsumers: 1, maxConsumers: 20, targetWaitSeconds: 300 },
      periodSeconds: 60,
      alarms: [
        { kind: "scale-out", state: "ALARM" },
        { kind: "scale-in", state: "OK" },
      ],
      fleet: { status: "ACTIVE", desired: 7, running: 2, pending: 5 },
      decisions: [
        {
          at: "2026-12-01T00:01:00.000Z",
          action: "scale-out",
          previousDesired: 2,
          desired: 7,
          reason: "scale out 2 → 7: …",
        },
        {
          at: "2026-12-01T00:00:00.000Z",
          outcome: "failed",
          error: "ThrottledError",
          cause: "GetMetricData was throttled",
        },
      ],
    });
    expect(text).toContain("alarms: scale-out ALARM, scale-in OK");
    expect(text).toContain("fleet: desired 7, running 2, pending 5");
    expect(text).toContain("scale-out 2 → 7  scale out 2 → 7: …");
    expect(text).toContain("failed: ThrottledError GetMetricData was throttled");
  });
});
