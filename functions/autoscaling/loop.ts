import type { ScalingAction } from "./policy.js";
import { ALARM_KINDS, type AlarmKind } from "./registration.js";
import type { ScalingSettings } from "./settings.js";

/**
 * Why the workflow loops: CloudWatch emits an event only when an alarm changes state, so a queue whose
 * alarm stays in ALARM would get one decision and then none. One execution therefore keeps deciding,
 * once a period, while it acts or an alarm is still in ALARM. It stops when a decision holds with
 * every alarm quiet; or when it has held for a whole settling horizon (the longest cooldown, window or
 * quiet period of the settings, plus a period: any timer that kept the policy holding has run out, so
 * the policy holds on the merits); or at the iteration cap that keeps the execution's history bounded.
 * Stopping with an alarm still in ALARM re-arms it (SetAlarmState OK): CloudWatch puts it back in ALARM
 * at its next evaluation if the condition still holds, and that state change starts a new execution.
 */
export interface LoopState {
  /** Decisions made so far by this execution. */
  iteration: number;
  /** Consecutive hold decisions with an alarm in ALARM. */
  holdStreak: number;
}

export interface LoopStep extends LoopState {
  next: "wait" | "finish";
  /** Alarms to set back to OK when finishing, so a lasting breach starts a new execution. */
  rearm: string[];
  why: string;
}

/** Executions keep their history within Step Functions' 25,000 events (about 55 per iteration). */
export const MAX_ITERATIONS = 300;

export type AlarmStates = Partial<Record<AlarmKind, string>>;

/** Periods of holding after which a breach the policy still holds on is left to a new execution. */
export function settlingPeriods(settings: ScalingSettings, periodSeconds: number): number {
  const longest = Math.max(
    settings.scaleOutCooldownSeconds,
    settings.scaleInCooldownSeconds,
    settings.scaleInStabilisationSeconds,
    settings.scaleToZero.enabled ? settings.scaleToZero.quietPeriodSeconds : 0,
  );
  return Math.ceil((longest + periodSeconds) / periodSeconds);
}

/** Decides whether the execution decides again after a period or finishes. Pure. */
export function nextLoopStep(input: {
  action: ScalingAction;
  alarmStates: AlarmStates;
  alarmNames: Record<AlarmKind, string>;
  loop: LoopState;
  settings: ScalingSettings;
  periodSeconds: number;
}): LoopStep {
  const iteration = input.loop.iteration + 1;
  const inAlarm = ALARM_KINDS.filter((kind) => input.alarmStates[kind] === "ALARM");
  const rearm = inAlarm.map((kind) => input.alarmNames[kind]);
  const cap = Math.min(
    MAX_ITERATIONS,
    Math.max(
      Math.ceil(3_600 / input.periodSeconds),
      settlingPeriods(input.settings, input.periodSeconds) + 2,
    ),
  );
  if (input.action !== "hold") {
    if (iteration >= cap) {
      return { iteration, holdStreak: 0, next: "finish", rearm, why: `iteration cap ${cap} reached` };
    }
    return { iteration, holdStreak: 0, next: "wait", rearm: [], why: `${input.action}: check its effect` };
  }
  if (inAlarm.length === 0) {
    return { iteration, holdStreak: 0, next: "finish", rearm: [], why: "holding with every alarm OK" };
  }
  const holdStreak = input.loop.holdStreak + 1;
  const settling = settlingPeriods(input.settings, input.periodSeconds);
  if (holdStreak >= settling) {
    return {
      iteration,
      holdStreak,
      next: "finish",
      rearm,
      why: `held ${holdStreak} times with ${inAlarm.join(", ")} in ALARM: settled`,
    };
  }
  if (iteration >= cap) {
    return { iteration, holdStreak, next: "finish", rearm, why: `iteration cap ${cap} reached` };
  }
  return {
    iteration,
    holdStreak,
    next: "wait",
    rearm: [],
    why: `holding with ${inAlarm.join(", ")} in ALARM (${holdStreak} of ${settling})`,
  };
}
