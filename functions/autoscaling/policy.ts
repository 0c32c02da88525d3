import { type Deferral, deferScaleOut } from "./flap-guard.js";
import { lateInHistory } from "./late-messages.js";
import { type CompleteWindow, isComplete } from "./metrics.js";
import { estimate } from "./policy-estimates.js";
import { readHistory } from "./policy-history.js";
import { clock, describe, round } from "./policy-reason.js";
import type {
  DataQuality,
  ScalingAction,
  ScalingDecision,
  ScalingEstimates,
  ScalingInput,
} from "./policy-types.js";
import { patternHold } from "./recurring-load.js";
import { scaleInNeed } from "./scale-in-need.js";
import { quietEnough, returnFromZero } from "./scale-to-zero.js";
import type { ScalingSettings } from "./settings.js";

export type {
  DataQuality,
  FleetCounts,
  ScalingAction,
  ScalingDecision,
  ScalingEstimates,
  ScalingInput,
  ServiceRateSource,
} from "./policy-types.js";

/** Changes smaller than this share of the fleet, or than this many consumers, are not worth a scale-in. */
const SCALE_IN_TOLERANCE = 0.1;
const MIN_SCALE_IN_STEP = 2;
/** A fleet whose sustained arrivals use more than this share of its capacity is busy. */
const BUSY_SHARE = 0.5;
/** The largest share of a busy fleet one scale-in removes. */
const MAX_BUSY_SCALE_IN = 0.25;

/**
 * Decides how many consumers a queue should have from Amazon MQ's one-minute metrics, spending the wait
 * target rather than consumers and avoiding reversals within the flap window; pure, so it is tested
 * and benchmarked without AWS. The rules and their reasons: docs/autoscaling.md#how-it-decides.
 */
export function decideConsumers(input: ScalingInput): ScalingDecision {
  const { settings, fleet, now } = input;
  const base = fleet.desired;
  const history = readHistory(now, input.windows);
  const { latestStart, byStart, faults } = history;

  const latest = byStart.get(latestStart);
  const latestFault = faults.get(latestStart);
  if (latestFault) {
    const what =
      latestFault === "counter-reset"
        ? "counters went back (a broker restart resets them)"
        : "counts do not explain the change in queue size";
    return hold(input, latestFault, `metrics for ${clock(latestStart)} are unusable: ${what}`);
  }

  if (base === 0 && latest?.queueSize !== undefined) {
    const activation = settings.scaleToZero.activationQueueSize;
    if (latest.queueSize >= activation) {
      const estimates = isComplete(latest) ? estimate(input, latest, history) : undefined;
      const deferral = estimates
        ? deferScaleOut(
            now,
            input.lastScaleInAt,
            0,
            estimates.waiting,
            estimates.arrivalsPerMinute,
            estimates.servicePerConsumerMinute,
            settings,
            () => lateInHistory(history, settings.targetWaitSeconds),
          )
        : undefined;
      if (deferral && settings.scaleToZero.enabled) {
        return hold(
          input,
          "ok",
          `${latest.queueSize} message(s) waiting with no consumers, but a scale-out before ${clock(deferral.until)} would reverse the scale-in to zero within ten minutes, and ${waitingOut(deferral, settings)}`,
          estimates,
        );
      }
      const wanted = Math.max(1, settings.minConsumers, estimates?.targetConsumers ?? 1);
      const desired = Math.min(wanted, settings.maxStep, settings.maxConsumers);
      const why = `${latest.queueSize} message(s) waiting with no consumers (activation at ${activation})`;
      return {
        desired,
        action: "scale-out",
        reason: `scale out from zero to ${desired}: ${why}${estimates ? `; ${describe(estimates)}` : ""}`,
        dataQuality: isComplete(latest) ? "ok" : "missing",
        estimates,
      };
    }
    if (settings.scaleToZero.enabled) {
      return hold(input, "ok", `queue is empty (${latest.queueSize} message(s)); staying at zero`);
    }
  }

  if (!isComplete(latest)) {
    return hold(input, "missing", `no complete metrics for the minute starting ${clock(latestStart)}`);
  }
  return decideOnMetrics(input, latest, history);
}

function decideOnMetrics(
  input: ScalingInput,
  latest: CompleteWindow,
  history: ReturnType<typeof readHistory>,
): ScalingDecision {
  const { settings, now } = input;
  const base = input.fleet.desired;
  const estimates = estimate(input, latest, history);
  const summary = describe(estimates);
  // A scale-out holds back a scale-in for the cooldown (a reversal within it would be a flap); a scale-in
  // holds back the next one only for a stabilisation window, in which the smaller fleet proves itself.
  const scaleInWaitsUntil = Math.max(
    (input.lastScaleOutAt ?? -Infinity) + settings.scaleInCooldownSeconds,
    (input.lastScaleInAt ?? -Infinity) + settings.scaleInStabilisationSeconds,
  );
  const act = (action: ScalingAction, desired: number, why: string): ScalingDecision => {
    const verb = action === "scale-out" ? "scale out" : "scale in";
    return { desired, action, reason: `${verb} ${base} → ${desired}: ${why}`, dataQuality: "ok", estimates };
  };
  const holdWith = (why: string): ScalingDecision => hold(input, "ok", why, estimates);

  if (base > settings.maxConsumers) {
    return act("scale-in", settings.maxConsumers, `above maxConsumers ${settings.maxConsumers}`);
  }
  if (base < settings.minConsumers && !(base === 0 && settings.scaleToZero.enabled)) {
    return act("scale-out", settings.minConsumers, `below minConsumers ${settings.minConsumers}`);
  }

  if (estimates.requiredConsumers > base) {
    const pattern = patternHold(history, estimates, settings, base);
    if (pattern)
      return holdWith(`${estimates.requiredConsumers} by the scale-out test, but ${pattern.why}; ${summary}`);
    // The wait is projected at the five-minute rate: a one-minute spike's messages are in the backlog
    // already, and if it goes on, the next decision's rate shows it and checks again.
    const deferral = deferScaleOut(
      now,
      input.lastScaleInAt,
      base,
      estimates.waiting,
      estimates.sustainedArrivalsPerMinute,
      estimates.servicePerConsumerMinute,
      settings,
      () => lateInHistory(history, settings.targetWaitSeconds),
    );
    if (deferral) {
      return holdWith(
        `${estimates.requiredConsumers} needed, but a scale-out before ${clock(deferral.until)} would reverse the last scale-in within ten minutes, and ${waitingOut(deferral, settings)}; ${summary}`,
      );
    }
    const scaleOutWaitsUntil = (input.lastScaleOutAt ?? -Infinity) + settings.scaleOutCooldownSeconds;
    if (now < scaleOutWaitsUntil) {
      return holdWith(
        `${estimates.requiredConsumers} needed but scale-out cooldown runs until ${clock(scaleOutWaitsUntil)}; ${summary}`,
      );
    }
    const desired = Math.min(estimates.targetConsumers, base + settings.maxStep, settings.maxConsumers);
    if (desired <= base)
      return holdWith(`${estimates.requiredConsumers} needed but at maxConsumers; ${summary}`);
    return act("scale-out", desired, `${base} would miss the wait target; ${summary}`);
  }

  // At one consumer with scale-to-zero on, a hold says why the fleet does not go to zero (unless busy).
  let notZero = "";
  if (settings.scaleToZero.enabled && base > 0) {
    const quiet = quietEnough(history, settings, now, returnFromZero(input));
    if (quiet.quiet) {
      if (now < scaleInWaitsUntil) {
        return holdWith(`idle, but scale-in cooldown runs until ${clock(scaleInWaitsUntil)}`);
      }
      return act("scale-in", Math.max(0, base - settings.maxStep), quiet.why);
    }
    if (base === 1 && quiet.why !== "not quiet") notZero = ` (not zero: ${quiet.why})`;
  }

  const stable = scaleInNeed(history, estimates, settings);
  const floor = settings.minConsumers;
  let noScaleIn = "";
  if (stable === undefined) {
    noScaleIn =
      base > floor ? "; no scale-in until the history read covers the minutes a scale-in needs" : "";
  } else {
    const candidate = Math.max(stable.consumers, floor);
    // A one-consumer trim is mostly rounding of noisy arrivals: take it only when it reaches the floor.
    const smallest = candidate === floor ? 1 : MIN_SCALE_IN_STEP;
    const smallestStep = Math.max(smallest, Math.ceil(SCALE_IN_TOLERANCE * base));
    if (candidate < base && base - candidate >= smallestStep) {
      if (now < scaleInWaitsUntil) {
        return holdWith(
          `${candidate} would do but scale-in cooldown runs until ${clock(scaleInWaitsUntil)}; ${summary}`,
        );
      }
      // A fleet still busy gives up at most a quarter at once: a deep cut of it is the likeliest forecast to
      // be wrong, and a shallow one leaves the flap guard room to wait out the window instead of reversing.
      const busy =
        estimates.sustainedArrivalsPerMinute > BUSY_SHARE * base * estimates.servicePerConsumerMinute;
      const shallow = busy && candidate > floor ? Math.ceil(base * (1 - MAX_BUSY_SCALE_IN)) : 0;
      const desired = Math.max(candidate, base - settings.maxStep, shallow);
      const step = desired > candidate ? ` (at most a quarter of a busy fleet at once: ${desired})` : "";
      return act("scale-in", desired, `${stable.why}${step}; ${summary}`);
    }
    if (base > floor) {
      noScaleIn =
        candidate < base
          ? `; a scale-in to ${candidate} is too small to take (at least ${smallestStep}): ${stable.why}`
          : `; no scale-in: ${stable.why}`;
    }
  }
  return holdWith(`${base} meets the wait target${notZero}${noScaleIn}; ${summary}`);
}

/** What waiting out the flap window costs, in words: the longest wait, and the messages it makes late. */
function waitingOut(deferral: Deferral, settings: ScalingSettings): string {
  const worst = `${Math.round(deferral.worstWaitSeconds)} s, counting the ${deferral.helpedBy} consumer(s) asked for then`;
  const { budget } = deferral;
  if (!budget) return `waiting keeps messages within ${worst}`;
  const late = round(deferral.lateMessages);
  const share = `${round(100 * settings.flapGuardLateShare)}%`;
  return `waiting lets about ${late} message(s) wait past the ${settings.targetWaitSeconds} s target (at most ${worst}): the late-message budget (flapGuardLateShare ${share} of ${Math.round(budget.arrivals)} arrivals read, less ${round(budget.late)} already late) allows ${round(Math.max(0, budget.allowed))}`;
}

function hold(
  input: ScalingInput,
  dataQuality: DataQuality,
  why: string,
  estimates?: ScalingEstimates,
): ScalingDecision {
  const { settings } = input;
  const base = input.fleet.desired;
  const floor = base === 0 && settings.scaleToZero.enabled ? 0 : settings.minConsumers;
  const desired = Math.min(Math.max(base, floor), settings.maxConsumers);
  const verb = dataQuality === "ok" ? "hold" : "keep";
  const action: ScalingAction = desired > base ? "scale-out" : desired < base ? "scale-in" : "hold";
  const bounds = desired === base ? "" : ` (moved into bounds ${floor}..${settings.maxConsumers})`;
  return { desired, action, reason: `${verb} ${desired}${bounds}: ${why}`, dataQuality, estimates };
}
