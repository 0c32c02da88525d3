import {
  type CompleteWindow,
  estimateServiceRate,
  isComplete,
  type MetricWindow,
  type WindowFault,
  waitingMessages,
  windowFault,
} from "./metrics.js";
import type { ScalingSettings } from "./settings.js";

export interface FleetCounts {
  /** Consumers running now. */
  current: number;
  /** Consumers requested (running plus starting, less stopping). Decisions are made against this. */
  desired: number;
}

export interface ScalingInput {
  /** Epoch seconds of the decision. Only windows that ended by then are used. */
  now: number;
  /** Recent one-minute windows, any order, missing ones absent. Pass the last hour: the service rate is learned from it. */
  windows: readonly MetricWindow[];
  fleet: FleetCounts;
  /** Epoch seconds of the last scale-out and scale-in, if any. */
  lastScaleOutAt?: number;
  lastScaleInAt?: number;
  /** A service rate (messages per busy consumer-minute) learned by an earlier decision, used when history is thin. */
  serviceRateHint?: number;
  settings: ScalingSettings;
}

export type ScalingAction = "scale-out" | "scale-in" | "hold";
export type DataQuality = "ok" | "missing" | WindowFault;
export type ServiceRateSource = "history" | "hint" | "fallback";

export interface ScalingEstimates {
  /** Messages that arrived in the last minute. */
  arrivalsPerMinute: number;
  /** Mean arrivals per minute over the last five clean windows. */
  sustainedArrivalsPerMinute: number;
  /** Messages a busy consumer handles per minute. Persist it and pass it back as `serviceRateHint`. */
  servicePerConsumerMinute: number;
  serviceRateSource: ServiceRateSource;
  queueSize: number;
  /** Messages waiting for a consumer (queue size less those in flight). */
  waiting: number;
  /** How long a message joining the queue now may wait under the plan: the target less metric delay and start-up. */
  drainAllowanceSeconds: number;
  /** Fewest consumers that keep such a message within the allowance, even if the last minute's arrivals go on. */
  requiredConsumers: number;
  /** Consumers a scaling action goes to: the required ones, or what the five-minute rate needs at the target utilisation. */
  targetConsumers: number;
}

export interface ScalingDecision {
  desired: number;
  action: ScalingAction;
  /** One sentence a person can check against the metrics. */
  reason: string;
  dataQuality: DataQuality;
  estimates?: ScalingEstimates;
}

/** Changes smaller than this share of the fleet, or than this many consumers, are not worth a scale-in. */
const SCALE_IN_TOLERANCE = 0.1;
const MIN_SCALE_IN_STEP = 2;
/** A scale-in must still be enough this long after it if the recent trend goes on (the flap horizon). */
const SCALE_IN_LOOKAHEAD_SECONDS = 600;
/** Share of the minutes of a period that must have clean data before acting on that period. */
const MIN_COVERAGE = 0.8;
/** Minutes over which the sustained arrival rate is averaged: a shorter spike is left to the backlog term. */
const SUSTAINED_MINUTES = 5;
/** How far back the service rate is learned from. */
const SERVICE_RATE_LOOKBACK_SECONDS = 3_600;

/**
 * Decides how many consumers a queue should have, from Amazon MQ's one-minute metrics.
 *
 * Messages are taken first in, first out, so one that joins `waiting` others waits about
 * waiting / (consumers × service rate). The policy scales out as soon as the fleet it has asked for
 * would let that wait pass the drain allowance (the wait target less a minute of metric delay and the
 * consumer start-up) before another decision could help, and then sizes for that backlog and for the
 * five-minute arrival rate at the target utilisation. It spends the wait target rather than consumers:
 * a backlog that will be taken in time is left to drain. It scales in only after the need has stayed
 * lower for the stabilisation window, not within the cooldown of a scale-out, not by less than 10%,
 * and not below what a clear rise in arrivals will need ten minutes on. Missing data and counter
 * resets keep the current count, and the reason says so.
 */
export function decideConsumers(input: ScalingInput): ScalingDecision {
  const { settings, fleet, now } = input;
  const base = fleet.desired;
  const latestStart = Math.floor(now / 60) * 60 - 60;
  const byStart = new Map<number, MetricWindow>();
  for (const window of input.windows) {
    if (window.start <= latestStart && window.start > latestStart - SERVICE_RATE_LOOKBACK_SECONDS) {
      byStart.set(window.start, window);
    }
  }
  const windows = [...byStart.values()].sort((a, b) => a.start - b.start);
  const faults = new Map<number, WindowFault>();
  for (const window of windows) {
    const fault = windowFault(window, byStart.get(window.start - 60));
    if (fault) faults.set(window.start, fault);
  }
  const clean = (start: number): CompleteWindow | undefined => {
    const window = byStart.get(start);
    return isComplete(window) && !faults.has(start) ? window : undefined;
  };

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
      const estimates = isComplete(latest) ? estimate(input, latest, clean, windows, faults) : undefined;
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

  const estimates = estimate(input, latest, clean, windows, faults);
  const summary = describe(estimates);
  // A scale-out holds back a scale-in for the cooldown (a reversal within it would be a flap); a scale-in
  // holds back the next one only for a stabilisation window, in which the smaller fleet proves itself.
  const scaleInWaitsUntil = Math.max(
    (input.lastScaleOutAt ?? -Infinity) + settings.scaleInCooldownSeconds,
    (input.lastScaleInAt ?? -Infinity) + settings.scaleInStabilisationSeconds,
  );

  if (base > settings.maxConsumers) {
    return act("scale-in", settings.maxConsumers, `above maxConsumers ${settings.maxConsumers}`, estimates);
  }
  if (base < settings.minConsumers && !(base === 0 && settings.scaleToZero.enabled)) {
    return act("scale-out", settings.minConsumers, `below minConsumers ${settings.minConsumers}`, estimates);
  }

  if (estimates.requiredConsumers > base) {
    const scaleOutWaitsUntil = (input.lastScaleOutAt ?? -Infinity) + settings.scaleOutCooldownSeconds;
    if (now < scaleOutWaitsUntil) {
      return hold(
        input,
        "ok",
        `${estimates.requiredConsumers} needed but scale-out cooldown runs until ${clock(scaleOutWaitsUntil)}; ${summary}`,
        estimates,
      );
    }
    const desired = Math.min(estimates.targetConsumers, base + settings.maxStep, settings.maxConsumers);
    if (desired <= base) {
      return hold(
        input,
        "ok",
        `${estimates.requiredConsumers} needed but at maxConsumers; ${summary}`,
        estimates,
      );
    }
    return act("scale-out", desired, `${base} would miss the wait target; ${summary}`, estimates);
  }

  if (settings.scaleToZero.enabled && base > 0 && isQuiet(input, clean)) {
    if (now < scaleInWaitsUntil) {
      return hold(
        input,
        "ok",
        `idle, but scale-in cooldown runs until ${clock(scaleInWaitsUntil)}`,
        estimates,
      );
    }
    const desired = Math.max(0, base - settings.maxStep);
    const quiet = Math.round(settings.scaleToZero.quietPeriodSeconds / 60);
    return act("scale-in", desired, `no arrivals and an empty queue for ${quiet} min`, estimates);
  }

  const stable = stabilisedNeed(input, estimates, clean);
  const floor = settings.minConsumers;
  if (stable !== undefined) {
    // Scale in only if every minute of the window, taken alone, needed fewer than the fleet has.
    const candidate = stable.highestMinute < base ? Math.max(stable.consumers, floor) : base;
    // A one-consumer trim is mostly rounding of noisy arrivals: take it only when it reaches the floor.
    const smallest = candidate === floor ? 1 : MIN_SCALE_IN_STEP;
    const worthIt = base - candidate >= Math.max(smallest, Math.ceil(SCALE_IN_TOLERANCE * base));
    if (candidate < base && worthIt) {
      if (now < scaleInWaitsUntil) {
        return hold(
          input,
          "ok",
          `${candidate} would do but scale-in cooldown runs until ${clock(scaleInWaitsUntil)}; ${summary}`,
          estimates,
        );
      }
      const desired = Math.max(candidate, base - settings.maxStep);
      return act("scale-in", desired, `${stable.why}; ${summary}`, estimates);
    }
  }
  return hold(input, "ok", `${base} meets the wait target; ${summary}`, estimates);

  function act(action: ScalingAction, desired: number, why: string, est: ScalingEstimates): ScalingDecision {
    const verb = action === "scale-out" ? "scale out" : "scale in";
    return {
      desired,
      action,
      reason: `${verb} ${base} → ${desired}: ${why}`,
      dataQuality: "ok",
      estimates: est,
    };
  }
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

function drainAllowanceSeconds(settings: ScalingSettings): number {
  // A message that starts waiting now is seen a minute later at best, and a consumer started then
  // takes consumerStartupSeconds to help. What is left of the target is the time to clear the queue.
  return Math.max(settings.targetWaitSeconds / 3, settings.targetWaitSeconds - reactionSeconds(settings));
}

function reactionSeconds(settings: ScalingSettings): number {
  return 60 + settings.consumerStartupSeconds;
}

interface Need {
  required: number;
  target: number;
}

/**
 * Consumers needed, from what is waiting and what arrives. With first-in first-out service a message
 * that joins `waiting` others waits about waiting / (N × rate), so N consumers meet the target while
 * the backlog they will face after one reaction time (in which arrivals above their capacity pile up)
 * stays within N × rate × drain allowance. That is `required`: fewer and the target is missed before
 * another decision can help. `target` adds what the sustained arrival rate needs at the target
 * utilisation, so a fleet that is scaled out stays ahead of a load that has moved.
 */
function need(
  arrivalsNow: number,
  sustainedArrivals: number,
  waiting: number,
  perConsumerMinute: number,
  settings: ScalingSettings,
): Need {
  const drain = drainAllowanceSeconds(settings) / 60;
  const reaction = reactionSeconds(settings) / 60;
  const forBacklog = waiting / (perConsumerMinute * drain);
  const forGrowth = (waiting + arrivalsNow * reaction) / (perConsumerMinute * (drain + reaction));
  const required = Math.ceil(Math.max(forBacklog, forGrowth) - 1e-9);
  const sustained = Math.ceil(sustainedArrivals / (settings.targetUtilisation * perConsumerMinute) - 1e-9);
  return { required, target: Math.max(required, sustained) };
}

/** Mean arrivals per minute over the clean windows among the `minutes` ending with `start`. */
function meanArrivals(
  start: number,
  minutes: number,
  clean: (start: number) => CompleteWindow | undefined,
): number | undefined {
  let sum = 0;
  let seen = 0;
  for (let s = start - 60 * (minutes - 1); s <= start; s += 60) {
    const window = clean(s);
    if (!window) continue;
    sum += window.enqueueCount;
    seen++;
  }
  return seen === 0 ? undefined : sum / seen;
}

function estimate(
  input: ScalingInput,
  latest: CompleteWindow,
  clean: (start: number) => CompleteWindow | undefined,
  windows: readonly MetricWindow[],
  faults: ReadonlyMap<number, WindowFault>,
): ScalingEstimates {
  const { settings } = input;
  const history = estimateServiceRate(windows, new Set(faults.keys()));
  let servicePerConsumerMinute = settings.fallbackMessagesPerConsumerMinute;
  let serviceRateSource: ServiceRateSource = "fallback";
  if (history) {
    servicePerConsumerMinute = history.perConsumerMinute;
    serviceRateSource = "history";
  } else if (input.serviceRateHint !== undefined && input.serviceRateHint > 0) {
    servicePerConsumerMinute = input.serviceRateHint;
    serviceRateSource = "hint";
  }
  const arrivalsPerMinute = latest.enqueueCount;
  const sustainedArrivalsPerMinute =
    meanArrivals(latest.start, SUSTAINED_MINUTES, clean) ?? arrivalsPerMinute;
  const waiting = waitingMessages(latest);
  const { required, target } = need(
    arrivalsPerMinute,
    sustainedArrivalsPerMinute,
    waiting,
    servicePerConsumerMinute,
    settings,
  );
  return {
    arrivalsPerMinute,
    sustainedArrivalsPerMinute,
    servicePerConsumerMinute,
    serviceRateSource,
    queueSize: latest.queueSize,
    waiting,
    drainAllowanceSeconds: drainAllowanceSeconds(settings),
    requiredConsumers: required,
    targetConsumers: target,
  };
}

/**
 * What the stabilisation window says a scale-in may go down to: the most any of its minutes needed for
 * its own backlog at the window's mean arrival rate, or more if arrivals are clearly rising and will need
 * more ten minutes after a scale-in. `highestMinute` is the most any minute needed on its own arrivals:
 * a scale-in is due only when even that is below the fleet. Undefined when too many of the window's
 * minutes lack clean data to be sure.
 */
function stabilisedNeed(
  input: ScalingInput,
  estimates: ScalingEstimates,
  clean: (start: number) => CompleteWindow | undefined,
): { consumers: number; highestMinute: number; why: string } | undefined {
  const { settings } = input;
  const latestStart = Math.floor(input.now / 60) * 60 - 60;
  const minutes = Math.max(1, Math.round(settings.scaleInStabilisationSeconds / 60));
  const mu = estimates.servicePerConsumerMinute;
  const inWindow: CompleteWindow[] = [];
  const times: number[] = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const window = clean(latestStart - 60 * i);
    if (!window) continue;
    inWindow.push(window);
    times.push(-i);
  }
  const seen = inWindow.length;
  const rates = inWindow.map((w) => w.enqueueCount);
  // The window's mean rate plus its noise, not its noisiest minute: the largest of a few noisy minutes
  // would leave the fleet one or two above the need and trim it later on a quieter stretch.
  const mean = rates.reduce((sum, r) => sum + r, 0) / Math.max(1, seen);
  const spread = Math.sqrt(rates.reduce((sum, r) => sum + (r - mean) ** 2, 0) / Math.max(1, seen - 1));
  // One standard deviation above the mean: room for the minute-to-minute noise the window showed.
  const meanRate = mean + spread;
  let most = 0;
  let highestMinute = 0;
  for (const window of inWindow) {
    const waiting = waitingMessages(window);
    most = Math.max(most, need(window.enqueueCount, meanRate, waiting, mu, settings).target);
    highestMinute = Math.max(
      highestMinute,
      need(window.enqueueCount, window.enqueueCount, waiting, mu, settings).target,
    );
  }
  if (seen < Math.ceil(MIN_COVERAGE * minutes)) return undefined;
  const slope = risingSlope(times, rates);
  const ahead = (SCALE_IN_LOOKAHEAD_SECONDS + 60 + settings.consumerStartupSeconds) / 60;
  const projectedArrivals = estimates.sustainedArrivalsPerMinute + slope * ahead;
  const projected = need(projectedArrivals, projectedArrivals, 0, mu, settings).target;
  const consumers = Math.max(most, projected);
  const why =
    projected > most
      ? `arrivals rising ${Math.round(slope)}/min², ${projected} cover the next ${Math.round(ahead)} min`
      : `each of the last ${minutes} min needed at most ${highestMinute}, their mean rate ${most}`;
  return { consumers, highestMinute, why };
}

/**
 * Least-squares slope of ys over xs, or 0 when it is not clearly above noise (under two standard
 * errors): a rise read into minute-to-minute noise would hold consumers for nothing.
 */
function risingSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 4) return 0;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - meanX;
    sxy += dx * ((ys[i] ?? 0) - meanY);
    sxx += dx * dx;
  }
  if (sxx === 0) return 0;
  const slope = sxy / sxx;
  let residuals = 0;
  for (let i = 0; i < n; i++) {
    const fitted = meanY + slope * ((xs[i] ?? 0) - meanX);
    residuals += ((ys[i] ?? 0) - fitted) ** 2;
  }
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  return slope > 1 * standardError ? slope : 0;
}

function isQuiet(input: ScalingInput, clean: (start: number) => CompleteWindow | undefined): boolean {
  const minutes = Math.max(1, Math.round(input.settings.scaleToZero.quietPeriodSeconds / 60));
  const latestStart = Math.floor(input.now / 60) * 60 - 60;
  let seen = 0;
  for (let i = 0; i < minutes; i++) {
    const window = clean(latestStart - 60 * i);
    if (!window) {
      if (i === 0) return false;
      continue;
    }
    if (window.enqueueCount > 0 || window.queueSize > 0) return false;
    seen++;
  }
  return seen >= Math.ceil(MIN_COVERAGE * minutes);
}

function describe(e: ScalingEstimates): string {
  const rate = `${round(e.arrivalsPerMinute)} arrivals in the last minute (${round(e.sustainedArrivalsPerMinute)}/min over 5)`;
  const service = `${round(e.servicePerConsumerMinute)} msg/min per busy consumer (${e.serviceRateSource})`;
  const backlog = `${e.waiting} waiting of ${e.queueSize} queued`;
  const allowance = `allowance ${round(e.drainAllowanceSeconds)} s`;
  const n = e.targetConsumers;
  if (e.waiting === 0 || n === 0) return `${rate}, ${service}, ${backlog}; ${n} consumers needed`;
  const capacity = n * e.servicePerConsumerMinute;
  const newest = `a message arriving now waits ~${round((e.waiting / capacity) * 60)} s (${allowance})`;
  const spare = capacity - e.sustainedArrivalsPerMinute;
  const clears =
    spare > 0 ? `the backlog clears in ${round((e.waiting / spare) * 60)} s` : "the backlog still grows";
  return `${rate}, ${service}, ${backlog}; with ${n} consumers ${newest} and ${clears}`;
}

function round(value: number): string {
  return value >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

function clock(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(11, 16);
}
