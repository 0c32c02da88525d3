import { describe, expect, it } from "vitest";
import { MAX_ITERATIONS, nextLoopStep, settlingPeriods } from "../../../functions/autoscaling/loop.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";

const alarmNames = { "scale-out": "a-out", "scale-in": "a-in", "from-zero": "a-zero" };
const settings = scalingSettings();
const step = (overrides: Partial<Parameters<typeof nextLoopStep>[0]> = {}) =>
  nextLoopStep({
    action: "hold",
    alarmStates: { "scale-out": "OK", "scale-in": "OK", "from-zero": "OK" },
    alarmNames,
    loop: { iteration: 0, holdStreak: 0 },
    settings,
    periodSeconds: 60,
    ...overrides,
  });

describe("nextLoopStep", () => {
  it("finishes when a decision holds and every alarm is OK", () => {
    expect(step()).toMatchObject({ next: "finish", rearm: [], iteration: 1 });
  });

  it("decides again after a scale action, whatever the alarms say", () => {
    expect(step({ action: "scale-out" })).toMatchObject({ next: "wait", holdStreak: 0 });
    expect(step({ action: "scale-in", loop: { iteration: 3, holdStreak: 4 } })).toMatchObject({
      next: "wait",
      holdStreak: 0,
      iteration: 4,
    });
  });

  it("keeps deciding while an alarm stays in ALARM and the policy holds (a cooldown may be running)", () => {
    const next = step({ alarmStates: { "scale-out": "ALARM" }, loop: { iteration: 2, holdStreak: 1 } });
    expect(next).toMatchObject({ next: "wait", holdStreak: 2, iteration: 3 });
    expect(next.why).toContain("scale-out in ALARM");
  });

  it("settles after holding through the longest cooldown, and re-arms the alarms still in ALARM", () => {
    const periods = settlingPeriods(settings, 60);
    expect(periods).toBe(12); // scale-in cooldown 660 s + one period
    const next = step({
      alarmStates: { "scale-in": "ALARM", "from-zero": "ALARM" },
      loop: { iteration: 20, holdStreak: periods - 1 },
    });
    expect(next).toMatchObject({ next: "finish", rearm: ["a-in", "a-zero"] });
  });

  it("counts the quiet period in the horizon when scaling to zero", () => {
    expect(settlingPeriods(scalingSettings({ scaleToZero: { enabled: true } }), 60)).toBe(16);
    expect(settlingPeriods(settings, 10)).toBe(67);
  });

  it("stops at the iteration cap so the execution's history stays bounded", () => {
    const next = step({
      action: "scale-out",
      alarmStates: { "scale-out": "ALARM" },
      loop: { iteration: 59, holdStreak: 0 },
    });
    expect(next).toMatchObject({ next: "finish", rearm: ["a-out"] });
    const fast = step({
      action: "scale-out",
      periodSeconds: 10,
      loop: { iteration: MAX_ITERATIONS - 1, holdStreak: 0 },
    });
    expect(fast.next).toBe("finish");
    expect(
      step({ action: "scale-out", periodSeconds: 10, loop: { iteration: 298, holdStreak: 0 } }).next,
    ).toBe("wait");
  });
});
