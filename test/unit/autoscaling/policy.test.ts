import { describe, expect, it } from "vitest";
import type { MetricWindow } from "../../../functions/autoscaling/metrics.js";
import { decideConsumers, type ScalingInput } from "../../../functions/autoscaling/policy.js";
import { type ScalingSettingsInput, scalingSettings } from "../../../functions/autoscaling/settings.js";
import { endOf, history, type MinuteLoad, random, steady, T0 } from "./windows.js";

const MU = 30;

function input(
  windows: MetricWindow[],
  fleet: number,
  settings: ScalingSettingsInput = {},
  extra: Partial<ScalingInput> = {},
): ScalingInput {
  return {
    now: endOf(windows),
    windows,
    fleet: { current: fleet, desired: fleet },
    settings: scalingSettings(settings),
    ...extra,
  };
}

function shiftQueue(windows: readonly MetricWindow[], extra: number): MetricWindow[] {
  return windows.map((w) => ({ ...w, queueSize: (w.queueSize ?? 0) + extra }));
}

function randomLoads(next: () => number, minutes: number, consumers: number): MinuteLoad[] {
  const base = 50 + next() * 1500;
  return Array.from({ length: minutes }, () => ({
    arrivals: Math.round(base * (0.5 + next())),
    consumers,
  }));
}

describe("decideConsumers", () => {
  it("never asks for fewer consumers when more messages are waiting (same service-rate evidence)", () => {
    const next = random(7);
    for (let trial = 0; trial < 200; trial++) {
      const fleet = 1 + Math.floor(next() * 60);
      const windows = history(randomLoads(next, 30, fleet), 10 + next() * 50);
      const lastScaleOutAt = next() < 0.3 ? endOf(windows) - 60 * Math.floor(next() * 20) : undefined;
      let previous = -1;
      for (const extra of [0, 1, 5, 20, 100, 500, 2_000, 10_000, 50_000]) {
        // Every window keeps a queue beyond its consumers, so all of them read as busy whatever the
        // extra, and the learned service rate stays the same: only the waiting messages differ.
        const { desired } = decideConsumers(
          input(shiftQueue(windows, fleet + 1 + extra), fleet, { maxConsumers: 200 }, { lastScaleOutAt }),
        );
        expect(desired).toBeGreaterThanOrEqual(previous);
        previous = desired;
      }
    }
  });

  it("keeps the fleet within minConsumers..maxConsumers and changes it by at most maxStep", () => {
    const next = random(11);
    for (let trial = 0; trial < 300; trial++) {
      const min = Math.floor(next() * 5);
      const max = min + 1 + Math.floor(next() * 40);
      const maxStep = 1 + Math.floor(next() * 8);
      const fleet = min + Math.floor(next() * (max - min + 1));
      const windows = shiftQueue(
        history(randomLoads(next, 30, fleet), 10 + next() * 50),
        Math.floor(next() * 5_000),
      );
      const { desired } = decideConsumers(
        input(windows, fleet, {
          minConsumers: min,
          maxConsumers: max,
          maxStep,
          scaleToZero: { enabled: false },
        }),
      );
      expect(desired).toBeGreaterThanOrEqual(min);
      expect(desired).toBeLessThanOrEqual(max);
      expect(Math.abs(desired - fleet)).toBeLessThanOrEqual(maxStep);
    }
  });

  it("moves a fleet that is out of bounds back into them", () => {
    const windows = history(steady(30, 300, 10), MU);
    expect(decideConsumers(input(windows, 40, { maxConsumers: 25 })).desired).toBe(25);
    expect(decideConsumers(input(windows, 2, { minConsumers: 5 })).desired).toBe(5);
  });

  it("does not scale out again within the scale-out cooldown", () => {
    const windows = history([...steady(25, 300, 10), ...steady(5, 1_500, 10)], MU);
    const now = endOf(windows);
    const free = decideConsumers(input(windows, 10, {}, {}));
    expect(free.action).toBe("scale-out");
    const cooling = decideConsumers(
      input(windows, 10, { scaleOutCooldownSeconds: 300 }, { lastScaleOutAt: now - 120 }),
    );
    expect(cooling.desired).toBe(10);
    expect(cooling.reason).toMatch(/cooldown/);
  });

  it("does not scale in within the scale-in cooldown of a scale-out", () => {
    const windows = history(steady(30, 100, 40), MU);
    const now = endOf(windows);
    expect(decideConsumers(input(windows, 40)).action).toBe("scale-in");
    const decision = decideConsumers(
      input(windows, 40, { scaleInCooldownSeconds: 600 }, { lastScaleOutAt: now - 300 }),
    );
    expect(decision.desired).toBe(40);
    expect(decision.reason).toMatch(/cooldown/);
    const later = decideConsumers(
      input(windows, 40, { scaleInCooldownSeconds: 600 }, { lastScaleOutAt: now - 660 }),
    );
    expect(later.action).toBe("scale-in");
  });

  it("takes at most a quarter of a busy fleet in one scale-in, and all it can of an idle one", () => {
    // 700 a minute on 40 consumers of 30: busy (more than half their capacity), and 26 would do.
    const busy = decideConsumers(input(history(steady(30, 700, 40), MU), 40));
    expect(busy.action).toBe("scale-in");
    expect(busy.desired).toBe(30);
    expect(busy.reason).toMatch(/at most a quarter of a busy fleet/);
    const idle = decideConsumers(input(history(steady(30, 100, 40), MU), 40));
    expect(idle.action).toBe("scale-in");
    expect(idle.desired).toBeLessThan(30);
  });

  it("says in a hold above the floor which scale-in rule keeps the fleet", () => {
    const young = decideConsumers(input(history(steady(5, 700, 40), MU), 40));
    expect(young.action).toBe("hold");
    expect(young.reason).toMatch(/no scale-in until the history read covers the minutes a scale-in needs/);
    const trim = decideConsumers(input(history(steady(30, 1150, 40), MU), 40));
    expect(trim.action).toBe("hold");
    expect(trim.reason).toMatch(
      /a scale-in to 37 is too small to take \(at least 4\): 1150\/min over the last 10 min/,
    );
    const needed = decideConsumers(input(history(steady(30, 1250, 40), MU), 40));
    expect(needed.action).toBe("hold");
    expect(needed.reason).toMatch(/; no scale-in: 1250\/min over the last 10 min.*; 4\d hold 10 min/);
    const atFloor = decideConsumers(input(history(steady(30, 20, 1), MU), 1, { minConsumers: 1 }));
    expect(atFloor.reason).not.toMatch(/scale-in/);
  });

  it("scales in only after the need has stayed lower for the stabilisation window", () => {
    const busy = history([...steady(26, 900, 34), ...steady(4, 150, 34)], MU);
    expect(decideConsumers(input(busy, 34, { scaleInStabilisationSeconds: 300 })).desired).toBe(34);
    const calm = history([...steady(24, 900, 34), ...steady(6, 150, 34)], MU);
    expect(decideConsumers(input(calm, 34, { scaleInStabilisationSeconds: 300 })).desired).toBeLessThan(34);
  });

  it("never reverses an action within ten minutes on steady but noisy load, and stays near the need", () => {
    const next = random(3);
    const settings = scalingSettings({});
    const windows: MetricWindow[] = [];
    let fleet = 30;
    let waiting = 0;
    const actions: { minute: number; direction: number }[] = [];
    let lastScaleOutAt: number | undefined;
    let lastScaleInAt: number | undefined;
    for (let minute = 0; minute < 240; minute++) {
      const arrivals = Math.round(600 * (0.8 + 0.4 * next()));
      const [window] = history([{ arrivals, consumers: fleet }], MU, waiting);
      if (!window) throw new Error("no window");
      window.start = T0 + 60 * minute;
      waiting = Math.max(
        0,
        (window.queueSize ?? 0) - Math.min(fleet, Math.round((window.dispatchCount ?? 0) / MU)),
      );
      windows.push(window);
      const decision = decideConsumers({
        now: window.start + 60,
        windows: windows.slice(-60),
        fleet: { current: fleet, desired: fleet },
        lastScaleOutAt,
        lastScaleInAt,
        settings,
      });
      if (decision.desired > fleet) lastScaleOutAt = window.start + 60;
      if (decision.desired < fleet) lastScaleInAt = window.start + 60;
      if (decision.desired !== fleet)
        actions.push({ minute, direction: Math.sign(decision.desired - fleet) });
      fleet = decision.desired;
      // 600/min at 30 per consumer is 20 consumers of work: the fleet may run a standing queue, not starve.
      if (minute >= 30) {
        expect(fleet).toBeGreaterThanOrEqual(15);
        expect(fleet).toBeLessThanOrEqual(26);
      }
    }
    for (let i = 1; i < actions.length; i++) {
      const [previous, action] = [actions[i - 1], actions[i]];
      if (!previous || !action || previous.direction === action.direction) continue;
      expect(action.minute - previous.minute).toBeGreaterThan(10);
    }
    // Changes come at most every eleven minutes or so: a standing queue, not minute-by-minute chasing.
    expect(actions.filter((a) => a.minute >= 30).length).toBeLessThanOrEqual(210 / 10);
  });

  it("keeps the current count when the latest minute has no data, and says so", () => {
    const windows = history([...steady(25, 300, 10), ...steady(5, 3_000, 10)], MU);
    const now = endOf(windows);
    const gap = decideConsumers(input(windows.slice(0, -1), 10, {}, { now }));
    expect(gap).toMatchObject({ desired: 10, action: "hold", dataQuality: "missing" });
    expect(gap.reason).toMatch(/no complete metrics/);
    const partial = windows.map((w, i) =>
      i === windows.length - 1 ? { start: w.start, queueSize: w.queueSize } : w,
    );
    expect(decideConsumers(input(partial, 10))).toMatchObject({ desired: 10, dataQuality: "missing" });
  });

  it("never scales on a counter reset", () => {
    const windows = history([...steady(25, 300, 10), ...steady(5, 3_000, 10)], MU);
    const last = windows.length - 1;
    const cumulative = windows.slice(0, last).reduce((sum, w) => sum + (w.enqueueCount ?? 0), 0);
    const negative = windows.map((w, i) =>
      i === last ? { ...w, enqueueCount: 40 - cumulative, dispatchCount: 35 - cumulative } : w,
    );
    expect(decideConsumers(input(negative, 10))).toMatchObject({ desired: 10, dataQuality: "counter-reset" });
    const partial = windows.map((w, i) => (i === last ? { ...w, enqueueCount: 40, dispatchCount: 35 } : w));
    expect(decideConsumers(input(partial, 10))).toMatchObject({ desired: 10, dataQuality: "inconsistent" });
  });

  it("does not count a reset window as load once newer windows are clean", () => {
    const windows = history(steady(40, 600, 24), MU);
    const reset = windows.map((w, i) =>
      i === 35 ? { ...w, enqueueCount: -50_000, dispatchCount: -50_000 } : w,
    );
    const withReset = decideConsumers(input(reset, 24));
    const without = decideConsumers(input(windows, 24));
    expect(withReset.dataQuality).toBe("ok");
    expect(withReset.desired).toBe(without.desired);
    expect(withReset.estimates?.sustainedArrivalsPerMinute).toBe(600);
  });

  it("scales to zero after the quiet period, and not before", () => {
    const settings = { scaleToZero: { enabled: true, quietPeriodSeconds: 900 } };
    const quiet = history([...steady(44, 60, 3), ...steady(16, 0, 3)], MU);
    expect(decideConsumers(input(quiet, 3, settings)).desired).toBe(0);
    const recent = history([...steady(50, 60, 3), ...steady(10, 0, 3)], MU);
    expect(decideConsumers(input(recent, 3, settings)).desired).toBeGreaterThan(0);
    expect(decideConsumers(input(quiet, 3, { scaleToZero: { enabled: false } })).desired).toBe(1);
  });

  it("keeps one consumer while messages come sporadically, however long the last gap", () => {
    const settings = { scaleToZero: { enabled: true, quietPeriodSeconds: 900 } };
    // One message every twenty minutes: sixteen quiet minutes say nothing about the next one.
    const rare = (minutes: number) =>
      Array.from({ length: minutes }, (_, m) => ({ arrivals: m % 20 === 0 ? 1 : 0, consumers: 1 }));
    const sparse = history([...rare(41), ...steady(19, 0, 1)], MU);
    expect(decideConsumers(input(sparse, 1, settings)).desired).toBe(1);
    // A batch that is over, on the other hand, lets the fleet go once the quiet period has passed.
    const batch = history([...steady(5, 60, 3), ...steady(55, 0, 3)], MU);
    expect(decideConsumers(input(batch, 3, settings)).desired).toBe(0);
  });

  it("keeps one consumer for six hours after a message came back soon after a scale-in to zero", () => {
    const settings = { scaleToZero: { enabled: true, quietPeriodSeconds: 900 } };
    // A silent hour, at one consumer: by itself that lets the fleet go to zero.
    const silent = history(steady(60, 0, 1), MU);
    const now = endOf(silent);
    expect(decideConsumers(input(silent, 1, settings)).desired).toBe(0);
    // The last time it went to zero, a message brought a consumer back 25 minutes later, two hours
    // ago: messages come that often, so one within the next ten minutes would be a flap. One stays.
    const cameBack = { lastScaleInAt: now - 7_200 - 1_500, lastScaleOutAt: now - 7_200 };
    const held = decideConsumers(input(silent, 1, settings, cameBack));
    expect(held.desired).toBe(1);
    expect(held.reason).toMatch(/followed by a message 25 min later/);
    // Six hours after that return the rule has run out: a queue that went quiet for good reaches zero.
    const returnedLongAgo = { lastScaleInAt: now - 6 * 3_600 - 1_500, lastScaleOutAt: now - 6 * 3_600 };
    expect(decideConsumers(input(silent, 1, settings, returnedLongAgo)).desired).toBe(0);
    // Six hours at zero the last time say nothing of the kind; nor does a scale-in since the scale-out.
    const longAgo = { lastScaleInAt: now - 6 * 3_600 - 2_800, lastScaleOutAt: now - 2_800 };
    expect(decideConsumers(input(silent, 1, settings, longAgo)).desired).toBe(0);
    const scaledInSince = { lastScaleInAt: now - 4_000, lastScaleOutAt: now - 7_000 };
    expect(decideConsumers(input(silent, 1, settings, scaledInSince)).desired).toBe(0);
  });

  it("keeps one consumer while a return from zero before the hour read makes a message soon likely", () => {
    const settings = { scaleToZero: { enabled: true, quietPeriodSeconds: 900 } };
    const silent = history(steady(60, 0, 1), MU);
    const now = endOf(silent);
    // A message brought the fleet back from zero two hours ago (how long it had been at zero is not on
    // record): one message in two hours makes one within ten minutes 8% likely. One consumer stays.
    const firstReturn = decideConsumers(input(silent, 1, settings, { lastScaleOutAt: now - 7_200 }));
    expect(firstReturn.desired).toBe(1);
    expect(firstReturn.reason).toMatch(/back from zero within the last 120 min: .* 8\.0% likely/);
    // An hour at zero before that return (not a quick one): one message in three hours, 5.4%.
    const slowReturn = { lastScaleInAt: now - 3 * 3_600, lastScaleOutAt: now - 7_200 };
    expect(decideConsumers(input(silent, 1, settings, slowReturn)).desired).toBe(1);
    // Seven hours since the scale-in to zero: 2.4%, below what six hours allow, and the fleet goes.
    const longStretch = { lastScaleInAt: now - 7 * 3_600, lastScaleOutAt: now - 7_200 };
    expect(decideConsumers(input(silent, 1, settings, longStretch)).desired).toBe(0);
    // A batch the hour still shows is judged by the hour itself: once it is over, the fleet goes.
    const batch = history([...steady(5, 60, 3), ...steady(55, 0, 3)], MU);
    expect(decideConsumers(input(batch, 1, settings, { lastScaleOutAt: now - 3_500 })).desired).toBe(0);
  });

  it("does not scale to zero before its history is twice the quiet period long", () => {
    const settings = { scaleToZero: { enabled: true, quietPeriodSeconds: 900 } };
    const short = history([...steady(9, 60, 3), ...steady(20, 0, 3)], MU);
    expect(decideConsumers(input(short, 3, settings)).desired).toBeGreaterThan(0);
    const enough = history([...steady(10, 60, 3), ...steady(20, 0, 3)], MU);
    expect(decideConsumers(input(enough, 3, settings)).desired).toBe(0);
  });

  it("scales from zero as soon as a message waits", () => {
    const settings = { scaleToZero: { enabled: true } };
    const idle = history(steady(30, 0, 0), MU);
    expect(decideConsumers(input(idle, 0, settings))).toMatchObject({ desired: 0, action: "hold" });
    const first = history([...steady(29, 0, 0), { arrivals: 1, consumers: 0 }], MU);
    const decision = decideConsumers(input(first, 0, settings));
    expect(decision.action).toBe("scale-out");
    expect(decision.desired).toBeGreaterThanOrEqual(1);
    expect(decision.reason).toMatch(/from zero/);
  });

  it("scales from zero even when the cooldown of an earlier scale-out is running", () => {
    const first = history([...steady(29, 0, 0), { arrivals: 500, consumers: 0 }], MU);
    const now = endOf(first);
    const decision = decideConsumers(
      input(first, 0, { scaleToZero: { enabled: true } }, { lastScaleOutAt: now - 30 }),
    );
    expect(decision.desired).toBeGreaterThan(1);
  });

  it("learns the service rate from history and sizes slower consumers to a bigger fleet", () => {
    const fast = decideConsumers(input(history(steady(30, 600, 40), 60), 40));
    const slow = decideConsumers(input(history(steady(30, 600, 40), 20), 40));
    expect(fast.estimates?.serviceRateSource).toBe("history");
    expect(fast.estimates?.servicePerConsumerMinute).toBeCloseTo(60, -1);
    expect(slow.estimates?.servicePerConsumerMinute).toBeCloseTo(20, 0);
    expect(slow.estimates?.targetConsumers ?? 0).toBeGreaterThan(fast.estimates?.targetConsumers ?? 0);
  });

  it("does not learn a rate from a minute in which a big backlog emptied", () => {
    // 3,000 consumers held 1,875 messages at the end of one minute and none a few seconds into the next:
    // the mean of the two busy counts (937) over 4 dispatches would read 0.004 messages a minute.
    const quiet = (start: number, consumers: number, arrivals: number) => ({
      start,
      enqueueCount: arrivals,
      dispatchCount: arrivals,
      queueSize: 0,
      consumerCount: consumers,
    });
    const windows = [
      { start: T0, enqueueCount: 0, dispatchCount: 29_000, queueSize: 1_875, consumerCount: 3_000 },
      quiet(T0 + 60, 3_000, 4),
      ...Array.from({ length: 40 }, (_, i) => quiet(T0 + 120 + 60 * i, 1, 1 + (i % 3))),
    ];
    const decision = decideConsumers(input(windows, 1, { fallbackMessagesPerConsumerMinute: 14 }));
    expect(decision.estimates?.servicePerConsumerMinute).toBe(14);
    expect(decision.estimates?.serviceRateSource).toBe("fallback");
    expect(decision.desired).toBe(1);
  });

  it("falls back to the hint, then to the configured rate, without history", () => {
    const first = history([...steady(29, 0, 0), { arrivals: 900, consumers: 0 }], MU);
    const settings = { scaleToZero: { enabled: true }, fallbackMessagesPerConsumerMinute: 10 };
    const fallback = decideConsumers(input(first, 0, settings));
    expect(fallback.estimates?.serviceRateSource).toBe("fallback");
    const hinted = decideConsumers(input(first, 0, settings, { serviceRateHint: 90 }));
    expect(hinted.estimates?.serviceRateSource).toBe("hint");
    expect(hinted.desired).toBeLessThan(fallback.desired);
  });

  it("explains a scale-out with arrivals, service rate, backlog and drain time", () => {
    const windows = history([...steady(25, 300, 10), ...steady(5, 1_500, 10)], MU);
    const { reason, action } = decideConsumers(input(windows, 10));
    expect(action).toBe("scale-out");
    expect(reason).toMatch(/arrivals/);
    expect(reason).toMatch(/msg\/min per busy consumer/);
    expect(reason).toMatch(/waiting/);
    expect(reason).toMatch(/clears in/);
  });
});
