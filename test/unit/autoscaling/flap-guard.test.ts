import { describe, expect, it } from "vitest";
import { deferScaleOut, waitsIfDeferred } from "../../../functions/autoscaling/flap-guard.js";
import { decideConsumers } from "../../../functions/autoscaling/policy.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import { endOf, history, steady } from "./windows.js";

const settings = scalingSettings({ consumerStartupSeconds: 60 });
const MU = 30;

/**
 * The longest wait of the same queue told another way, to check waitsIfDeferred's algebra: cumulative arrivals (the waiting
 * messages at 0, then `perMinute`) against cumulative service (the present fleet until `h`, the helping
 * fleet after). The message that brings arrivals to x is served when service reaches x; its wait is the
 * time between, plus the minute of metric delay. Second by second over [0, h).
 */
function replayedWorstWait(
  h: number,
  consumers: number,
  helped: number,
  waiting: number,
  perMinute: number,
): number {
  const c = (consumers * MU) / 60;
  const c2 = (helped * MU) / 60;
  const servedBy = (x: number): number => (x <= c * h ? x / c : h + (x - c * h) / c2);
  let worst = servedBy(waiting);
  for (let t = 0.5; t < h; t += 1) worst = Math.max(worst, servedBy(waiting + (perMinute / 60) * t) - t);
  return worst + 60;
}

describe("deferScaleOut", () => {
  it("lets a scale-out wait out a recent scale-in only while every wait stays within the target", () => {
    const now = 10_000;
    // 10 consumers take 300/min; 330/min arrive, 200 wait: 40 s of backlog, falling behind by 10%.
    const lastScaleIn = now - 300;
    const deferral = deferScaleOut(now, lastScaleIn, 10, 200, 330, MU, settings);
    expect(deferral?.until).toBe(lastScaleIn + 660);
    // Help (13 consumers, what the five-minute rate needs at 90%) takes messages 420 s from now. A
    // message joining 345 s from now finds 373 ahead, which the ten take just as the help arrives: 74.5 s,
    // and a minute of metric delay. Served by the ten alone, the last message before the help would wait
    // 40 s + 420 s × 10% = 82 s.
    expect(deferral?.worstWaitSeconds).toBeCloseTo(200 / 5 + (5 * 420 - 200) / 5.5 / 10 + 60, 5);
    // Three times the arrivals: the backlog passes the target before the help can take it.
    expect(deferScaleOut(now, lastScaleIn, 10, 200, 900, MU, settings)).toBeUndefined();
    // No scale-in to reverse, or one longer ago than the flap window: nothing to wait for.
    expect(deferScaleOut(now, undefined, 10, 200, 330, MU, settings)).toBeUndefined();
    expect(deferScaleOut(now, now - 660, 10, 200, 330, MU, settings)).toBeUndefined();
    // No consumers: messages wait for the whole rest of the window, and for the one ahead of them.
    expect(deferScaleOut(now, now - 600, 0, 1, 1, MU, settings)?.worstWaitSeconds).toBeCloseTo(182, 5);
    expect(deferScaleOut(now, now - 300, 0, 1, 1, MU, settings)).toBeUndefined();
  });

  it("counts the help from the scale-out after the window: the last messages before it wait for it", () => {
    const now = 10_000;
    // Twice what 10 consumers take arrives, 200 wait, help in 420 s. Served by the ten alone, the last
    // message before the help would wait 40 s + 420 s + 60 s. But the help (23 consumers) takes them: a
    // message joining 190 s from now finds 1,150 ahead, which the ten take in 230 s, as the help arrives.
    const deferral = deferScaleOut(now, now - 300, 10, 200, 600, MU, settings);
    expect(deferral?.worstWaitSeconds).toBeCloseTo(230 + 60, 5);
  });

  it("agrees with the queue replayed second by second", () => {
    const cases: [number, number, number, number][] = [
      // untilSeconds, consumers, waiting, arrivals per minute
      [360, 10, 200, 330],
      [360, 10, 200, 600],
      [600, 10, 200, 900],
      [120, 4, 530, 218],
      [540, 44, 2757, 1349],
      [60, 0, 1, 1],
      [600, 0, 3, 2],
      [300, 20, 0, 400],
    ];
    for (const [until, consumers, waiting, perMinute] of cases) {
      const waits = waitsIfDeferred(until, consumers, waiting, perMinute, MU, settings);
      const replayed = replayedWorstWait(until + 60, consumers, waits.helpedBy, waiting, perMinute);
      expect(waits.worstSeconds, `case ${[until, consumers, waiting, perMinute]}`).toBeCloseTo(replayed, 0);
    }
  });

  it("makes decideConsumers hold a scale-out that can wait after a scale-in, and not one that cannot", () => {
    // Ten consumers take 300/min; 440/min arrive for five minutes and 700 wait: the scale-out test fires.
    const calm = steady(40, 270, 10);
    const busy = history([...calm, ...steady(5, 440, 10)], MU);
    const now = endOf(busy);
    const base = {
      now,
      windows: busy,
      fleet: { current: 10, desired: 10 },
      settings,
      lastScaleOutAt: now - 3_000,
    };
    expect(decideConsumers(base).action).toBe("scale-out");
    // Nine minutes after a scale-in, the consumers asked for at the next decision help within three
    // minutes, by when a message joining now has waited about 213 s: the policy waits.
    const held = decideConsumers({ ...base, lastScaleInAt: now - 540 });
    expect(held.action).toBe("hold");
    expect(held.reason).toMatch(/would reverse the last scale-in/);
    // Five minutes after it, the ten alone would keep the last message before the help 396 s; the help
    // takes it sooner, and no message waits more than about 289 s: it waits too.
    const later = decideConsumers({ ...base, lastScaleInAt: now - 300 });
    expect(later.action).toBe("hold");
    expect(later.reason).toMatch(/within 289 s/);
    // Four minutes after it, waiting would take messages past the target: it scales out.
    expect(decideConsumers({ ...base, lastScaleInAt: now - 240 }).action).toBe("scale-out");
  });
});
