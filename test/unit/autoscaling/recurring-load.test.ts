import { describe, expect, it } from "vitest";
import type { MetricWindow } from "../../../functions/autoscaling/metrics.js";
import { decideConsumers } from "../../../functions/autoscaling/policy.js";
import { readHistory } from "../../../functions/autoscaling/policy-history.js";
import type { ScalingEstimates } from "../../../functions/autoscaling/policy-types.js";
import { patternFleet, recurringLoad, replay } from "../../../functions/autoscaling/recurring-load.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import { endOf, history, type MinuteLoad, random } from "./windows.js";

const MU = 30;

function estimates(sustained: number): ScalingEstimates {
  return {
    arrivalsPerMinute: sustained,
    sustainedArrivalsPerMinute: sustained,
    servicePerConsumerMinute: MU,
    serviceRateSource: "history",
    queueSize: 0,
    waiting: 0,
    drainAllowanceSeconds: 195,
    requiredConsumers: 1,
    targetConsumers: 1,
  };
}

/** A square wave: `high` a minute for the first `duty` minutes of every `period`, `low` otherwise. */
function wave(minutes: number, period: number, duty: number, high: number, low: number, consumers: number) {
  return Array.from({ length: minutes }, (_, m) => ({
    arrivals: m % period < duty ? high : low,
    consumers,
  }));
}

describe("replay and patternFleet", () => {
  it("give the backlog a fixed fleet piles up and the fewest consumers that keep its wait within a limit", () => {
    const rates = [0, 600, 600, 600, 0, 0, 0, 600, 600, 600, 0, 0, 0];
    // 10 consumers take 300 a minute: each high phase leaves 900 waiting, taken in 3 minutes.
    expect(replay(rates, 10, MU)).toEqual({ worstWaitSeconds: 180, peakBacklog: 900 });
    const fleet = patternFleet(rates, MU, 120);
    expect(replay(rates, fleet, MU).worstWaitSeconds).toBeLessThanOrEqual(120);
    expect(replay(rates, fleet - 1, MU).worstWaitSeconds).toBeGreaterThan(120);
  });
});

describe("recurringLoad", () => {
  it("counts a square wave at high duty as recurring, though its recent level is near its high", () => {
    const windows = history(wave(60, 10, 7, 1_300, 200, 40), MU);
    const load = recurringLoad(readHistory(endOf(windows), windows), estimates(970));
    expect(load.episodes).toBeGreaterThanOrEqual(5);
  });

  it("does not take noise on a light or a steady load for a recurring one", () => {
    const next = random(5);
    const light = history(
      Array.from({ length: 60 }, () => ({ arrivals: Math.floor(next() * 5), consumers: 1 })),
      MU,
    );
    const noisy = history(
      Array.from({ length: 60 }, () => ({
        arrivals: Math.round(600 * (0.75 + 0.5 * next())),
        consumers: 25,
      })),
      MU,
    );
    expect(recurringLoad(readHistory(endOf(light), light), estimates(2)).episodes).toBeLessThan(2);
    expect(recurringLoad(readHistory(endOf(noisy), noisy), estimates(600)).episodes).toBeLessThan(2);
  });

  it("does not take a noisy load winding down for a recurring one, but a wave on a decline still is", () => {
    const next = random(8);
    // 3,000 a minute falling to 1,200 over the hour, ±35% noise minute to minute.
    const falling = history(
      Array.from({ length: 60 }, (_, m) => ({
        arrivals: Math.round((3_000 - 30 * m) * (0.65 + 0.7 * next())),
        consumers: 100,
      })),
      MU,
    );
    const windingDown = recurringLoad(readHistory(endOf(falling), falling), estimates(1_300));
    expect(windingDown.episodes).toBeLessThan(2);
    const waves = history(
      Array.from({ length: 60 }, (_, m) => ({
        arrivals: (m % 12 < 4 ? 3 : 1) * (1_500 - 10 * m),
        consumers: 100,
      })),
      MU,
    );
    expect(recurringLoad(readHistory(endOf(waves), waves), estimates(900)).episodes).toBeGreaterThanOrEqual(
      2,
    );
  });
});

describe("decideConsumers on a recurring load", () => {
  const settings = scalingSettings({ consumerStartupSeconds: 45 });

  function decide(loads: MinuteLoad[], fleet: number, extra: Partial<{ lastScaleInAt: number }> = {}) {
    const windows: MetricWindow[] = history(loads, MU);
    return decideConsumers({
      now: endOf(windows),
      windows,
      fleet: { current: fleet, desired: fleet },
      settings,
      ...extra,
    });
  }

  it("holds through a high phase whose backlog the fleet has drained in time all hour, and says why", () => {
    // 1,200 a minute for 3 of every 10 minutes, 0 otherwise: 18 consumers (540 a minute) leave 1,980
    // waiting at the end of a high phase, a wait of 220 s, more than the scale-out test's allowance
    // (195 s), and drain it before the next.
    const loads = wave(60, 10, 3, 1_200, 0, 18);
    const decision = decide(loads.slice(0, 53), 18);
    expect(decision.action).toBe("hold");
    expect(decision.reason).toMatch(/came and went \d+ times/);
    expect(decision.reason).toMatch(/high phase/);
  });

  it("still scales out when the backlog outgrows what the pattern piled up", () => {
    const loads = [...wave(50, 10, 3, 1_200, 0, 18), ...wave(3, 3, 3, 2_400, 0, 18)];
    expect(decide(loads, 18).action).toBe("scale-out");
  });
});
