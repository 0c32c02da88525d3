import { describe, expect, it } from "vitest";
import { estimateServiceRate, windowFault } from "../../../functions/autoscaling/metrics.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import { history, steady, T0 } from "./windows.js";

describe("windowFault", () => {
  const previous = { start: T0, enqueueCount: 100, dispatchCount: 100, queueSize: 50, consumerCount: 10 };

  it("accepts a window whose counts explain the change in queue size", () => {
    const window = {
      start: T0 + 60,
      enqueueCount: 300,
      dispatchCount: 100,
      queueSize: 250,
      consumerCount: 10,
    };
    expect(windowFault(window, previous)).toBeUndefined();
  });

  it("flags negative counts as a counter reset", () => {
    const window = {
      start: T0 + 60,
      enqueueCount: -9_000,
      dispatchCount: 100,
      queueSize: 50,
      consumerCount: 10,
    };
    expect(windowFault(window, previous)).toBe("counter-reset");
  });

  it("flags counts that cannot explain the queue size", () => {
    const window = {
      start: T0 + 60,
      enqueueCount: 20,
      dispatchCount: 15,
      queueSize: 4_000,
      consumerCount: 10,
    };
    expect(windowFault(window, previous)).toBe("inconsistent");
  });

  it("does not judge a window without its predecessor", () => {
    const window = {
      start: T0 + 120,
      enqueueCount: 20,
      dispatchCount: 15,
      queueSize: 4_000,
      consumerCount: 10,
    };
    expect(windowFault(window, previous)).toBeUndefined();
  });
});

describe("estimateServiceRate", () => {
  it("measures dispatches per busy consumer-minute, not per connected consumer", () => {
    const estimate = estimateServiceRate(history(steady(30, 300, 50), 25), new Set());
    expect(estimate?.perConsumerMinute).toBeCloseTo(25, 0);
  });

  it("has no estimate without enough busy time", () => {
    expect(estimateServiceRate(history(steady(5, 10, 1), 25), new Set())).toBeUndefined();
  });
});

describe("scalingSettings", () => {
  it("fills in every default", () => {
    expect(scalingSettings({})).toMatchObject({
      minConsumers: 1,
      targetWaitSeconds: 300,
      scaleToZero: { enabled: false, quietPeriodSeconds: 900, activationQueueSize: 1 },
    });
  });

  it("rejects a minimum above the maximum", () => {
    expect(() => scalingSettings({ minConsumers: 5, maxConsumers: 2 })).toThrow(/minConsumers/);
  });
});
