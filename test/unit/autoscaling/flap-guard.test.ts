import { describe, expect, it } from "vitest";
import { deferScaleOut, waitsIfDeferred } from "../../../functions/autoscaling/flap-guard.js";
import { lateInHistory } from "../../../functions/autoscaling/late-messages.js";
import { decideConsumers } from "../../../functions/autoscaling/policy.js";
import { readHistory } from "../../../functions/autoscaling/policy-history.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import { endOf, history, steady } from "./windows.js";

const settings = scalingSettings({ consumerStartupSeconds: 60 });
const strict = scalingSettings({ consumerStartupSeconds: 60, flapGuardLateShare: 0 });
const MU = 30;

/**
 * The longest wait of the same queue told another way, to check waitsIfDeferred's algebra: cumulative arrivals (the waiting
 * messages at 0, then `perMinute`) against cumulative service (the present fleet until `h`, the helping
 * fleet after). The message that brings arrivals to x is served when service reaches x; its wait is the
 * time between, plus the minute of metric delay; past the target, it is late. Second by second over [0, h).
 */
function replayedWaits(
  h: number,
  consumers: number,
  helped: number,
  waiting: number,
  perMinute: number,
): { worst: number; late: number } {
  const c = (consumers * MU) / 60;
  const c2 = (helped * MU) / 60;
  const servedBy = (x: number): number => (x <= c * h ? x / c : h + (x - c * h) / c2);
  const limit = settings.targetWaitSeconds - 60;
  let worst = servedBy(waiting);
  let late = worst > limit ? waiting : 0;
  for (let t = 0.5; t < h; t += 1) {
    const wait = servedBy(waiting + (perMinute / 60) * t) - t;
    worst = Math.max(worst, wait);
    if (wait > limit) late += perMinute / 60;
  }
  return { worst: worst + 60, late };
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

  it("waits past the target only within flapGuardLateShare of the arrivals read, less those already late", () => {
    const now = 10_000;
    // Ten consumers, 700 waiting, 440/min, help in 480 s: the longest wait is 308 s, and about 392
    // messages (those joining in a stretch of 53 s) pass the 300 s target.
    const args = [now, now - 240, 10, 700, 440, MU] as const;
    const waits = waitsIfDeferred(420, 10, 700, 440, MU, settings);
    expect(waits.worstSeconds).toBeCloseTo(308.2, 1);
    expect(waits.lateMessages).toBeCloseTo(391.6, 1);
    expect(deferScaleOut(...args, settings)).toBeUndefined();
    // 1% of 50,000 arrivals read is 500: it waits, and says how many it expects late.
    const hour = { arrivals: 50_000, late: 0 };
    const deferral = deferScaleOut(...args, settings, () => hour);
    expect(deferral?.lateMessages).toBeCloseTo(391.6, 1);
    expect(deferral?.budget).toEqual({ arrivals: 50_000, late: 0, allowed: 500 });
    // Not when the hour already holds 200 late messages (a deferral before, a burst), nor with 30,000
    // arrivals, nor with a share of 0 (every wait within the target).
    expect(deferScaleOut(...args, settings, () => ({ arrivals: 50_000, late: 200 }))).toBeUndefined();
    expect(deferScaleOut(...args, settings, () => ({ arrivals: 30_000, late: 0 }))).toBeUndefined();
    expect(deferScaleOut(...args, strict, () => hour)).toBeUndefined();
    // Never when a message waiting now would already pass the target with consumers there to take it.
    expect(waitsIfDeferred(420, 10, 1_300, 300, MU, settings).waitingLate).toBe(true);
    expect(deferScaleOut(now, now - 240, 10, 1_300, 300, MU, settings, () => hour)).toBeUndefined();
  });

  it("tallies the messages the history shows waiting past the target", () => {
    // Ten a minute arrive for six minutes with no consumer, then one takes 30 a minute: the first minute's
    // messages wait 320 s (late), the second's from 320 s down to 280 s (half late), the rest less.
    const windows = history([...steady(6, 10, 0), ...steady(4, 0, 1)], MU);
    const tally = lateInHistory(readHistory(endOf(windows), windows), 300);
    expect(tally.arrivals).toBe(60);
    expect(tally.late).toBeCloseTo(15, 5);
    // Still waiting at the end: late only once they have waited longer than the target so far (the first
    // minute's 300 s, the second's 240 s).
    const waiting = history(steady(6, 10, 0), MU);
    expect(lateInHistory(readHistory(endOf(waiting), waiting), 300).late).toBe(0);
    expect(lateInHistory(readHistory(endOf(waiting), waiting), 270).late).toBeCloseTo(15, 5);
  });

  it("counts the help from the scale-out after the window: the last messages before it wait for it", () => {
    const now = 10_000;
    // Twice what 10 consumers take arrives, 200 wait, help in 420 s. Served by the ten alone, the last
    // message before the help would wait 40 s + 420 s + 60 s. But the help (23 consumers) takes them: a
    // message joining 190 s from now finds 1,150 ahead, which the ten take in 230 s, as the help arrives.
    const deferral = deferScaleOut(now, now - 300, 10, 200, 600, MU, settings);
    expect(deferral?.worstWaitSeconds).toBeCloseTo(230 + 60, 5);
  });

  it("agrees with the queue replayed second by second, longest wait and late messages", () => {
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
      const replayed = replayedWaits(until + 60, consumers, waits.helpedBy, waiting, perMinute);
      const what = `case ${[until, consumers, waiting, perMinute]}`;
      expect(waits.worstSeconds, what).toBeCloseTo(replayed.worst, 0);
      expect(Math.abs(waits.lateMessages - replayed.late), what).toBeLessThan(1 + 0.01 * replayed.late);
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
    // Unless the user lets 5% of the hour's arrivals (the 13,000 read) be late: about 392 would be.
    const lenient = scalingSettings({ consumerStartupSeconds: 60, flapGuardLateShare: 0.05 });
    const budgeted = decideConsumers({ ...base, settings: lenient, lastScaleInAt: now - 240 });
    expect(budgeted.action).toBe("hold");
    expect(budgeted.reason).toMatch(/about 392 message\(s\) wait past the 300 s target/);
  });
});
