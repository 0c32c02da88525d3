import { describe, expect, it } from "vitest";
import type { MetricWindow } from "../../../functions/autoscaling/metrics.js";
import { decideConsumers, type ScalingDecision } from "../../../functions/autoscaling/policy.js";
import { type ScalingSettingsInput, scalingSettings } from "../../../functions/autoscaling/settings.js";
import { T0 } from "./windows.js";

/** Five messages a second per consumer, as the integration test's consumers take them. */
const MU = 300;
// The integration test's settings (issue 11): short waits on a history only minutes old.
const SHORT: ScalingSettingsInput = {
  minConsumers: 0,
  maxConsumers: 4,
  scaleOutCooldownSeconds: 30,
  scaleInCooldownSeconds: 60,
  scaleInStabilisationSeconds: 60,
  scaleToZero: { enabled: true, quietPeriodSeconds: 120 },
  fallbackMessagesPerConsumerMinute: MU,
};

interface Run {
  /** Decision after minute m (0-based), taken at the end of that minute. */
  decisions: ScalingDecision[];
  /** Desired count after each decision. */
  desired: number[];
}

/**
 * The policy in closed loop, minute by minute, from the first window it ever sees: the minute's
 * arrivals are taken by the consumers it asked for (started at once), the rest wait, and each window
 * is what Amazon MQ would publish for the minute.
 */
function closedLoop(arrivals: readonly number[], settings: ScalingSettingsInput, start = 0): Run {
  const parsed = scalingSettings(settings);
  const windows: MetricWindow[] = [];
  const decisions: ScalingDecision[] = [];
  const desired: number[] = [];
  let consumers = start;
  let waiting = 0;
  let lastScaleOutAt: number | undefined;
  let lastScaleInAt: number | undefined;
  arrivals.forEach((enqueueCount, minute) => {
    const dispatchCount = Math.min(consumers * MU, waiting + enqueueCount);
    waiting += enqueueCount - dispatchCount;
    const busy = Math.min(consumers, Math.ceil(dispatchCount / MU));
    windows.push({
      start: T0 + 60 * minute,
      enqueueCount,
      dispatchCount,
      queueSize: waiting + (waiting > 0 ? busy : 0),
      consumerCount: consumers,
    });
    const now = T0 + 60 * (minute + 1) + 20;
    const decision = decideConsumers({
      now,
      windows: windows.slice(-60),
      fleet: { current: consumers, desired: consumers },
      lastScaleOutAt,
      lastScaleInAt,
      settings: parsed,
    });
    if (decision.desired > consumers) lastScaleOutAt = now;
    if (decision.desired < consumers) lastScaleInAt = now;
    consumers = decision.desired;
    decisions.push(decision);
    desired.push(consumers);
  });
  return { decisions, desired };
}

/** `before` idle minutes, `load` minutes of `rate` arrivals, then `after` idle minutes. */
function burst(before: number, load: number, rate: number, after: number): number[] {
  return [...Array(before).fill(0), ...Array(load).fill(rate), ...Array(after).fill(0)];
}

/** Scale-outs that come after a scale-in: the fleet going back up once it has come down. */
function reversals(desired: readonly number[], start: number): number {
  let count = 0;
  let cameDown = false;
  let previous = start;
  for (const d of desired) {
    if (d < previous) cameDown = true;
    if (d > previous && cameDown) count++;
    previous = d;
  }
  return count;
}

describe("decideConsumers on short settings and short history", () => {
  it("scales a three-minute load to zero within quiet period + stabilisation + 2 min, without a reversal", () => {
    for (const before of [2, 5, 7]) {
      for (const rate of [60, 600, 1_500]) {
        const arrivals = burst(before, 3, rate, 15);
        const { desired, decisions } = closedLoop(arrivals, SHORT);
        const lastLoad = before + 2;
        const label = `${before} idle min, then 3 min at ${rate}/min`;
        expect(Math.max(...desired), label).toBeGreaterThan(0);
        // Decision after minute m: load stopped at the end of minute lastLoad.
        const zeroAt = desired.findIndex((d, m) => m > lastLoad && d === 0);
        expect(zeroAt, `${label}: ${decisions.map((d) => d.reason).join("\n")}`).toBeGreaterThan(lastLoad);
        // quiet 2 min + stabilisation 1 min + 2 min: 5 decisions after the load's last minute at most.
        expect(zeroAt - lastLoad, label).toBeLessThanOrEqual(5);
        expect(
          desired.slice(zeroAt).every((d) => d === 0),
          label,
        ).toBe(true);
        expect(reversals(desired, 0), label).toBe(0);
        expect(decisions[zeroAt]?.reason, label).toMatch(/no arrivals and an empty queue for 2 min/);
      }
    }
  });

  it("waits out the quiet period the settings give, whatever the history's length", () => {
    for (const quiet of [1, 2, 3, 5]) {
      const settings = { ...SHORT, scaleToZero: { enabled: true, quietPeriodSeconds: 60 * quiet } };
      const arrivals = burst(2 * quiet, 3, 600, 4 * quiet + 10);
      const { desired } = closedLoop(arrivals, settings);
      const lastLoad = 2 * quiet + 2;
      const zeroAt = desired.findIndex((d, m) => m > lastLoad && d === 0);
      // The queue drains in the first minute after the load; then `quiet` empty minutes must be seen.
      expect(zeroAt - lastLoad, `quiet ${quiet} min`).toBeGreaterThanOrEqual(quiet);
      expect(zeroAt - lastLoad, `quiet ${quiet} min`).toBeLessThanOrEqual(quiet + 1 + 2);
      expect(reversals(desired, 0), `quiet ${quiet} min`).toBe(0);
    }
  });

  it("still keeps one consumer for messages that come back at random on short history", () => {
    // One message every three minutes: a two-minute quiet period says nothing about the next one.
    const sporadic = Array.from({ length: 20 }, (_, m) => (m % 3 === 0 ? 1 : 0));
    const { desired } = closedLoop(sporadic, { ...SHORT, minConsumers: 0 }, 1);
    expect(desired.slice(5).every((d) => d >= 1)).toBe(true);
  });

  it("scales a fleet in, not only to zero, once the short settings' windows have passed", () => {
    // A busy spell needing four consumers, then a load one consumer carries: the fleet comes down
    // without the history's hour, and without coming back up.
    const arrivals = [...Array(3).fill(1_000), ...Array(12).fill(100)];
    const { desired } = closedLoop(arrivals, { ...SHORT, scaleToZero: { enabled: false } }, 1);
    expect(Math.max(...desired)).toBe(4);
    expect(desired.at(-1)).toBeLessThan(4);
    expect(reversals(desired, 1)).toBe(0);
  });
});
