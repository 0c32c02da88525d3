import { describe, expect, it } from "vitest";
import { mqops } from "../../../bench/autoscaling/policies.js";
import { summarise } from "../../../bench/autoscaling/report.js";
import { settingsFor, sizing } from "../../../bench/autoscaling/run.js";
import { buildWorkload, simulate } from "../../../bench/autoscaling/simulator.js";
import type { Trace } from "../../../bench/autoscaling/traces.js";

const bench = { targetWaitSeconds: 300, startupSeconds: 45 };

function trace(name: string, rate: (minute: number) => number, minutes = 480): Trace {
  return {
    name,
    description: name,
    arrivals: Array.from({ length: minutes }, (_, m) => rate(m)),
    exactCounts: false,
    serviceSeconds: Array.from({ length: minutes }, () => 2),
    restarts: [],
  };
}

/** The policy in closed loop with the bench's queue simulator (the policy itself, not a stand-in). */
function runPolicy(t: Trace, seed = 1) {
  const workload = buildWorkload(t, seed);
  const size = sizing(workload, bench);
  const result = simulate(
    workload,
    mqops(settingsFor(size, bench)),
    {
      startupSeconds: 45,
      tailMinutes: 30,
      initialConsumers: size.initialConsumers,
      maxConsumers: size.maxConsumers,
    },
    bench.targetWaitSeconds,
  );
  return { summary: summarise(result, bench.targetWaitSeconds), result, size };
}

describe("decideConsumers in closed loop", () => {
  it("flaps at most twice on square waves of periods from 2 to 30 minutes and keeps p95 within the target", () => {
    // Not never: a 30-minute wave's first high phase looks like a one-off burst until it comes back, and
    // a 2-minute wave read at minute ends can make the service rate look faster than it is.
    for (const period of [2, 3, 5, 7, 10, 15, 20, 30]) {
      const { summary } = runPolicy(
        trace(`square-${period}`, (m) => (m % period < period / 2 ? 1_200 : 300)),
      );
      expect(summary.flaps, `period ${period} min`).toBeLessThanOrEqual(2);
      expect(summary.p95, `period ${period} min`).toBeLessThanOrEqual(300);
    }
  });

  it("keeps the fleet within the bounds it was given", () => {
    const { result, size } = runPolicy(trace("spiky", (m) => (m % 45 < 3 ? 20_000 : 500)));
    for (const event of result.events) {
      expect(event.to).toBeGreaterThanOrEqual(0);
      expect(event.to).toBeLessThanOrEqual(size.maxConsumers);
    }
  });

  it("goes to zero after a finished batch and comes back for the next one", () => {
    const { result, summary } = runPolicy(
      trace("batches", (m) => ((m >= 30 && m < 40) || (m >= 300 && m < 310) ? 2_000 : 0)),
    );
    const toZero = result.events.filter((e) => e.to === 0);
    const fromZero = result.events.filter((e) => e.from === 0 && e.to > 0);
    expect(toZero.length).toBeGreaterThanOrEqual(2);
    expect(fromZero.length).toBeGreaterThanOrEqual(2);
    expect(summary.flaps).toBe(0);
    expect(summary.p95).toBeLessThanOrEqual(300);
  });

  it("sizes a one-off burst to drain within the target without holding it afterwards", () => {
    const { result, summary } = runPolicy(trace("burst", (m) => (m === 200 ? 40_000 : 100)));
    expect(summary.p95).toBeLessThanOrEqual(300);
    expect(summary.flaps).toBe(0);
    // Back to the background fleet (100/min at 2 s is about 4 consumers) within 20 minutes of the burst.
    const after = result.events.filter((e) => e.at >= 60 * 220).at(0);
    const last = result.events.filter((e) => e.at <= 60 * 221).at(-1);
    expect(last?.to ?? after?.from ?? 0).toBeLessThanOrEqual(10);
  });

  it("follows consumers that slow to a third of their speed mid-trace without missing the target", () => {
    const slow: Trace = {
      ...trace("slowdown", () => 600),
      serviceSeconds: Array.from({ length: 480 }, (_, m) => (m < 240 ? 2 : 6)),
    };
    const { summary } = runPolicy(slow);
    expect(summary.p95).toBeLessThanOrEqual(300);
    // A slowdown within ten minutes of a scale-in cannot be foreseen: the scale-out it forces is the only
    // reversal allowed, and it comes within minutes of the slowdown.
    expect(summary.flaps).toBeLessThanOrEqual(1);
    for (const [, reversal] of summary.flapPairs) {
      expect(reversal.at / 60).toBeGreaterThanOrEqual(240);
      expect(reversal.at / 60).toBeLessThanOrEqual(250);
    }
  });
});
