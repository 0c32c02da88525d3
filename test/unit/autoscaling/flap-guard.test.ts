import { describe, expect, it } from "vitest";
import { deferScaleOut } from "../../../functions/autoscaling/flap-guard.js";
import { decideConsumers } from "../../../functions/autoscaling/policy.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";
import { endOf, history, steady } from "./windows.js";

const settings = scalingSettings({ consumerStartupSeconds: 60 });
const MU = 30;

describe("deferScaleOut", () => {
  it("lets a scale-out wait out a recent scale-in only while every wait stays within the target", () => {
    const now = 10_000;
    // 10 consumers take 300/min; 330/min arrive, 200 wait: 40 s of backlog, falling behind by 10%.
    const lastScaleIn = now - 300;
    const deferral = deferScaleOut(now, lastScaleIn, 10, 200, 330, MU, settings);
    expect(deferral?.until).toBe(lastScaleIn + 660);
    // 40 s + (360 s + 60 s start-up) × 10% + a minute of metric delay.
    expect(deferral?.worstWaitSeconds).toBeCloseTo(40 + 42 + 60, 5);
    // Twice the arrivals: the backlog would pass the target before consumers started after the window help.
    expect(deferScaleOut(now, lastScaleIn, 10, 200, 600, MU, settings)).toBeUndefined();
    // No scale-in to reverse, or one longer ago than the flap window: nothing to wait for.
    expect(deferScaleOut(now, undefined, 10, 200, 330, MU, settings)).toBeUndefined();
    expect(deferScaleOut(now, now - 660, 10, 200, 330, MU, settings)).toBeUndefined();
    // No consumers: messages wait for the whole rest of the window.
    expect(deferScaleOut(now, now - 600, 0, 1, 1, MU, settings)?.worstWaitSeconds).toBe(180);
    expect(deferScaleOut(now, now - 300, 0, 1, 1, MU, settings)).toBeUndefined();
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
    // minutes, by when a message joining now has waited about 284 s: the policy waits.
    const held = decideConsumers({ ...base, lastScaleInAt: now - 540 });
    expect(held.action).toBe("hold");
    expect(held.reason).toMatch(/would reverse the last scale-in/);
    // Four minutes after it, waiting would take messages past the target: it scales out.
    expect(decideConsumers({ ...base, lastScaleInAt: now - 240 }).action).toBe("scale-out");
  });
});
