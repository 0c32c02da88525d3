import { describe, expect, it } from "vitest";
import {
  arrivalEpisodes,
  type CleanWindows,
  fitLine,
  highestSpanRate,
  levelRise,
  meanArrivals,
  recentArrivals,
  steadyDecline,
  stretchesAbove,
} from "../../../functions/autoscaling/arrivals.js";
import type { CompleteWindow, MetricWindow } from "../../../functions/autoscaling/metrics.js";
import { saturatedServiceRate, steadyServiceRate } from "../../../functions/autoscaling/service-rate.js";
import { random, T0 } from "./windows.js";

function cleanOf(rates: readonly (number | undefined)[]): { clean: CleanWindows; latest: number } {
  const byStart = new Map<number, CompleteWindow>();
  rates.forEach((rate, i) => {
    if (rate === undefined) return;
    const start = T0 + 60 * i;
    byStart.set(start, { start, enqueueCount: rate, dispatchCount: rate, queueSize: 0, consumerCount: 1 });
  });
  return { clean: (start) => byStart.get(start), latest: T0 + 60 * (rates.length - 1) };
}

describe("arrival statistics", () => {
  it("averages only the minutes that have data", () => {
    const { clean, latest } = cleanOf([10, undefined, 30]);
    expect(meanArrivals(latest, 3, clean)).toBe(20);
    expect(meanArrivals(latest - 60 * 10, 3, clean)).toBeUndefined();
  });

  it("finds the busiest span of minutes", () => {
    const { clean, latest } = cleanOf([0, 0, 90, 90, 0, 0, 30]);
    expect(highestSpanRate(latest, 6, 2, clean)).toBe(90);
    expect(highestSpanRate(latest, 2, 2, clean)).toBe(15);
  });

  it("counts separate high stretches, a missing minute not splitting one", () => {
    const { clean, latest } = cleanOf([5, 100, undefined, 100, 5, 5, 100, 5]);
    expect(stretchesAbove(recentArrivals(latest, 8, clean).rates, 50)).toBe(2);
    const batches = cleanOf([0, 3, 4, 0, 0, 7, 0]);
    expect(arrivalEpisodes(batches.latest, 7, batches.clean)).toEqual([7, 7]);
  });

  it("brings a noisy steady decline to where it stands now, and leaves drifting or swinging loads alone", () => {
    const next = random(11);
    const offsets = Array.from({ length: 60 }, (_, i) => i - 59);
    // 3,000 a minute an hour ago, falling 20 a minute to 1,820 now, ±30% noise minute to minute.
    const falling = offsets.map((o) => (1_820 - 20 * o) * (0.7 + 0.6 * next()));
    const now = steadyDecline(offsets, falling);
    expect(now).toBeDefined();
    const mean = (rates: readonly number[]) => rates.reduce((sum, r) => sum + r, 0) / rates.length;
    expect(mean(now?.slice(0, 10) ?? [])).toBeGreaterThan(1_500);
    expect(mean(now?.slice(0, 10) ?? [])).toBeLessThan(2_150);
    // The same hour read as it was: its first minutes stand 1.5x above the last ten minutes' level, in
    // stretches that noise splits; brought to now, they do not.
    const level = mean(falling.slice(-10));
    expect(stretchesAbove(falling, 1.4 * level)).toBeGreaterThanOrEqual(2);
    expect(stretchesAbove(now ?? [], 1.4 * level)).toBeLessThan(2);
    // A random walk that happened to fall: it stays on one side of any line for minutes at a time.
    let walk = 3_000;
    const walking = offsets.map(
      (_, i) => (walk = i === 0 ? walk : Math.max(0, walk - 25 + 60 * (next() - 0.5))),
    );
    expect(steadyDecline(offsets, walking)).toBeUndefined();
    // A square wave, a rise and a flat load are not declines.
    expect(
      steadyDecline(
        offsets,
        offsets.map((o) => ((o + 60) % 10 < 5 ? 3_000 : 500)),
      ),
    ).toBeUndefined();
    expect(
      steadyDecline(
        offsets,
        offsets.map((o) => 1_000 + 10 * o + 100 * next()),
      ),
    ).toBeUndefined();
    expect(
      steadyDecline(
        offsets,
        offsets.map(() => 1_000 * (0.7 + 0.6 * next())),
      ),
    ).toBeUndefined();
  });

  it("fits a rising line and measures the scatter around it", () => {
    const fit = fitLine([-4, -3, -2, -1, 0], [10, 12, 14, 16, 18]);
    expect(fit?.slope).toBeCloseTo(2);
    expect(fit?.now).toBeCloseTo(18);
    expect(fit?.residual).toBeCloseTo(0);
    expect(fitLine([0, 1], [1, 2])).toBeUndefined();
  });
});

describe("level rise", () => {
  it("measures how far a wandering load rises over the gap, and ignores a load that only stepped down", () => {
    // Five-minute means that climb 100 a minute for 20 minutes: over 10 minutes they rise by 1,000.
    const climbing = Array.from({ length: 30 }, (_, i) => 1000 + 100 * i);
    expect(levelRise(climbing, 5, 10)).toBeCloseTo(1000, 6);
    // Up and down by 600 every 15 minutes: the rises count, the falls do not.
    const wandering = Array.from({ length: 60 }, (_, i) => (Math.floor(i / 15) % 2 === 0 ? 400 : 1000));
    expect(levelRise(wandering, 5, 10)).toBeGreaterThan(300);
    const steppedDown = [...Array.from({ length: 24 }, () => 900), ...Array.from({ length: 6 }, () => 150)];
    expect(levelRise(steppedDown, 5, 10)).toBe(0);
    expect(
      levelRise(
        Array.from({ length: 30 }, () => 500),
        5,
        10,
      ),
    ).toBe(0);
    expect(levelRise([1, 2, 3], 5, 10)).toBe(0);
  });
});

describe("service rate estimates", () => {
  const minute = (i: number, w: Omit<MetricWindow, "start">): MetricWindow => ({ start: T0 + 60 * i, ...w });

  it("reads the rate exactly from minutes with a queue at both ends", () => {
    const windows = Array.from({ length: 10 }, (_, i) =>
      minute(i, { enqueueCount: 400, dispatchCount: 300, queueSize: 500 + 100 * i, consumerCount: 10 }),
    );
    expect(saturatedServiceRate(windows, new Set())?.perConsumerMinute).toBe(30);
  });

  it("does not take a few messages caught waiting for a fleet busy all minute", () => {
    // 4,000 consumers that take 240 a minute each, 520,000 arriving: about 2,170 busy at a time.
    const idleMostly = (i: number, waiting: number) =>
      minute(i, {
        enqueueCount: 520_000,
        dispatchCount: 520_000,
        queueSize: 4_000 + waiting,
        consumerCount: 4_000,
      });
    const caught = [idleMostly(0, 1), idleMostly(1, 3)];
    expect(saturatedServiceRate(caught, new Set())).toBeUndefined();
    // A real queue at both ends (a minute's worth behind): every consumer was busy, 130 a minute each.
    const behind = [idleMostly(0, 520_000), idleMostly(1, 520_000)];
    expect(saturatedServiceRate(behind, new Set())?.perConsumerMinute).toBe(130);
  });

  it("leaves out minutes in which the busy count changed a lot, and wants enough evidence", () => {
    const windows = [
      minute(0, { enqueueCount: 300, dispatchCount: 300, queueSize: 20, consumerCount: 20 }),
      minute(1, { enqueueCount: 300, dispatchCount: 600, queueSize: 2, consumerCount: 20 }),
      ...Array.from({ length: 5 }, (_, i) =>
        minute(2 + i, { enqueueCount: 300, dispatchCount: 300, queueSize: 10, consumerCount: 20 }),
      ),
    ];
    // Minute 1 (20 busy, then 2) is a transition; minute 2 (2, then 10) too; the rest: 300 per 10 busy.
    expect(steadyServiceRate(windows, new Set())?.perConsumerMinute).toBe(30);
    expect(steadyServiceRate(windows.slice(0, 3), new Set())).toBeUndefined();
  });
});
