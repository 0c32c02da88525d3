import { describe, expect, it } from "vitest";
import type { MetricWindow } from "../../../functions/autoscaling/metrics.js";
import { decideConsumers } from "../../../functions/autoscaling/policy.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";

// The local cloud's 10 s data makes windows the trailing minutes ending at the latest period published:
// here they end 20 s past a minute boundary, as the read step builds them.
const MINUTE = 1_800_000_000;
const settings = scalingSettings({
  minConsumers: 0,
  maxConsumers: 4,
  scaleToZero: { enabled: true, quietPeriodSeconds: 120, activationQueueSize: 1 },
});
const quiet = (start: number): MetricWindow => ({
  start,
  enqueueCount: 0,
  dispatchCount: 0,
  queueSize: 0,
  consumerCount: 0,
});
const history = (latest: MetricWindow): MetricWindow[] => [
  ...Array.from({ length: 5 }, (_, i) => quiet(latest.start - 60 * (5 - i))),
  latest,
];

describe("windows not aligned to the minute", () => {
  const latest: MetricWindow = {
    start: MINUTE + 20,
    enqueueCount: 7,
    dispatchCount: 0,
    queueSize: 7,
    consumerCount: 0,
  };

  it("decide on the newest window that has ended: messages waiting with no consumer scale out from zero", () => {
    const decision = decideConsumers({
      now: MINUTE + 82,
      windows: history(latest),
      fleet: { current: 0, desired: 0 },
      settings,
    });
    expect(decision.action).toBe("scale-out");
    expect(decision.desired).toBeGreaterThanOrEqual(1);
  });

  it("never use a window that has not ended yet", () => {
    const decision = decideConsumers({
      now: MINUTE + 75,
      windows: history(latest),
      fleet: { current: 0, desired: 0 },
      settings,
    });
    expect(decision.action).toBe("hold");
  });

  it("hold on missing data when the newest window ended over a minute ago", () => {
    const decision = decideConsumers({
      now: MINUTE + 80 + 61,
      windows: history(latest),
      fleet: { current: 0, desired: 0 },
      settings,
    });
    expect(decision.action).toBe("hold");
    expect(decision.dataQuality).toBe("missing");
  });
});
