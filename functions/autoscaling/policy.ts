import {
  arrivalEpisodes,
  type CleanWindows,
  episodesAbove,
  fitLine,
  meanArrivals,
  recentArrivals,
} from "./arrivals.js";
import {
  type CompleteWindow,
  estimateServiceRate,
  isComplete,
  type MetricWindow,
  type WindowFault,
  waitingMessages,
  windowFault,
} from "./metrics.js";
import { saturatedServiceRate, steadyServiceRate } from "./service-rate.js";
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
/** A scale-out this soon after a scale-in reverses it: a flap. A scale-in must hold at least this long. */
const FLAP_SECONDS = 600;
/** Minutes of arrivals a scale-in remembers: a load seen in them (a square wave's high, a burst) may return. */
const SCALE_IN_MEMORY_MINUTES = 30;
/** Fewer messages than this in the hour's one stretch of arrivals are sporadic traffic, not a finished batch. */
const MIN_BATCH_MESSAGES = 20;
/** Scale-to-zero wants an hour of windows, less this many minutes. */
const MIN_HISTORY_SLACK_MINUTES = 5;
/** Share of the minutes of a period that must have clean data before acting on that period. */
const MIN_COVERAGE = 0.8;
/** Minutes over which the sustained arrival rate is averaged: a shorter spike is left to the backlog term. */
const SUSTAINED_MINUTES = 5;
/** How far back the service rate is learned from. */
const SERVICE_RATE_LOOKBACK_SECONDS = 3_600;
/** The recent stretch whose service rate wins when it has enough evidence: consumers may have slowed down. */
const RECENT_SERVICE_RATE_SECONDS = 900;
/** Share of the last minute's arrivals assumed to go on over a reaction time, when above the sustained rate. */
const GROWTH_SHARE_OF_LAST_MINUTE = 0.25;
/** Minutes of arrivals whose spread is taken as the minute-to-minute noise. */
const NOISE_MINUTES = 15;
/** Minutes summed before the noise is measured, so that only noise that accumulates counts. */
const NOISE_BLOCK_MINUTES = 5;
/** Standard deviations of accumulated noise a scale-in leaves room for over its hold. */
const NOISE_SIGMAS = 3;
/** Headroom on a replayed hour's fleet: the pattern will not repeat exactly. */
const REPLAY_HEADROOM = 1.1;
/** Minutes above this multiple of the current rate (and clear of its Poisson noise) count as a high episode. */
const EPISODE_FACTOR = 1.5;

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
    return act(
      "scale-in",
      desired,
      `no arrivals and an empty queue for at least ${quiet} min, longer than any gap between arrivals in the last hour`,
      estimates,
    );
  }

  const stable = scaleInNeed(input, estimates, clean);
  const floor = settings.minConsumers;
  if (stable !== undefined) {
    const candidate = Math.max(stable.consumers, floor);
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
  // A minute far above the sustained rate may be a one-off burst: its messages are in the backlog term,
  // and if it goes on, the next decision sees it and adds more. Carrying it over the whole reaction time
  // would size the fleet for messages that may never come, and a fleet scaled out is held for the flap
  // window. So growth is taken at no more than the sustained rate (the last minute is part of it).
  const growth = Math.min(
    arrivalsNow,
    Math.max(sustainedArrivals, GROWTH_SHARE_OF_LAST_MINUTE * arrivalsNow),
  );
  const forGrowth = (waiting + growth * reaction) / (perConsumerMinute * (drain + reaction));
  const required = Math.ceil(Math.max(forBacklog, forGrowth) - 1e-9);
  const sustained = Math.ceil(sustainedArrivals / (settings.targetUtilisation * perConsumerMinute) - 1e-9);
  return { required, target: Math.max(required, sustained) };
}

function estimate(
  input: ScalingInput,
  latest: CompleteWindow,
  clean: (start: number) => CompleteWindow | undefined,
  windows: readonly MetricWindow[],
  faults: ReadonlyMap<number, WindowFault>,
): ScalingEstimates {
  const { settings } = input;
  // Consumers can slow down (a slower dependency, bigger messages): the last quarter hour shows it
  // before the hour does. The lower of the two is taken, since a rate read too high sizes a fleet
  // that falls behind (and a scale-in followed by a scale-out is a flap), one read too low only costs.
  const faulty = new Set(faults.keys());
  const recentFrom = latest.start - RECENT_SERVICE_RATE_SECONDS;
  const inRecent = windows.filter((w) => w.start > recentFrom);
  const recent = saturatedServiceRate(inRecent, faulty) ?? steadyServiceRate(inRecent, faulty);
  const hour = saturatedServiceRate(windows, faulty) ?? steadyServiceRate(windows, faulty);
  const history =
    recent && hour
      ? recent.perConsumerMinute <= hour.perConsumerMinute
        ? recent
        : hour
      : (recent ?? hour ?? estimateServiceRate(windows, faulty));
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
 * The fewest consumers a scale-in may go down to. After a scale-in, a scale-out within FLAP_SECONDS would
 * be a flap, so the smaller fleet must carry the queue alone that long without the scale-out test firing.
 * It may fall behind the arrivals meanwhile: it runs busy behind a standing queue, and is scaled out
 * again (no longer a flap) when the queue needs it. The minutes ahead are forecast from the last quarter
 * hour, moved to the expected level (the last ten minutes' rate, or a clear rising trend carried over the
 * hold) and raised by a noise margin, then replayed from the current backlog through the scale-out test.
 * A load that came and went twice or more in the hour (a square wave, recurring bursts) is expected
 * back, so the hour itself is replayed too; a single episode (one burst) is not, and is not noise either.
 * Undefined when too many recent minutes lack clean data to be sure.
 */
function scaleInNeed(
  input: ScalingInput,
  estimates: ScalingEstimates,
  clean: CleanWindows,
): { consumers: number; why: string } | undefined {
  const { settings } = input;
  const latestStart = Math.floor(input.now / 60) * 60 - 60;
  const memory = SCALE_IN_MEMORY_MINUTES;
  const { offsets, rates } = recentArrivals(latestStart, memory, clean);
  if (rates.length < Math.ceil(MIN_COVERAGE * memory)) return undefined;
  const mu = estimates.servicePerConsumerMinute;
  const hold = FLAP_SECONDS / 60;
  const reaction = reactionSeconds(settings) / 60;
  const fit = fitLine(offsets, rates);
  const level = meanArrivals(latestStart, hold, clean) ?? estimates.sustainedArrivalsPerMinute;
  const hour = Math.round(SERVICE_RATE_LOOKBACK_SECONDS / 60);
  const threshold = EPISODE_FACTOR * level + 3 * Math.sqrt(level) + 1;
  const episodes = episodesAbove(latestStart, hour, threshold, clean);
  let expected = level;
  let noise = accumulatingNoise(rates.slice(-NOISE_MINUTES).filter((r) => r <= threshold));
  let why = `${round(level)}/min over the last ${hold} min`;
  let floor = 0;
  if (episodes >= 2) {
    // Replaying the hour against a fixed fleet gives what the pattern's high phases pile up; its worst
    // alignment is in it, so no noise margin is added.
    const hourRates = recentArrivals(latestStart, hour, clean).rates;
    floor = replayFleet(hourRates, mu, settings);
    noise = 0;
    why = `load came and went ${episodes} times in the hour; replayed, it needs ${floor}`;
  }
  if (fit && fit.slope > fit.slopeError) {
    // Rising: what the trend reaches by the end of the hold, if more.
    const projected = fit.now + fit.slope * (hold + reaction);
    if (projected > expected) {
      expected = projected;
      why = `arrivals rising ${round(fit.slope)}/min², ${round(projected)}/min expected`;
    }
  }
  // A replay, not a mean: the scale-out test fires on the backlog's peak within a short wave, not on its
  // average. The margin adds up to NOISE_SIGMAS standard deviations of accumulated noise over the hold.
  const recent = rates.slice(-NOISE_MINUTES);
  const recentMean = recent.reduce((sum, r) => sum + r, 0) / Math.max(1, recent.length);
  const margin = (NOISE_SIGMAS * noise) / Math.sqrt(hold);
  const ahead = recent.map((r) => Math.max(0, r + (expected - recentMean) + margin));
  const consumers = Math.max(
    replayFleet(ahead, mu, settings, estimates.waiting, 1),
    estimates.requiredConsumers,
    floor,
  );
  return {
    consumers,
    why: `${why} (noise ±${round(noise)}/min); ${consumers} hold ${hold} min without the backlog passing the allowance`,
  };
}

/**
 * The fewest consumers that would have carried `rates` (arrivals per minute, oldest first) without the
 * scale-out test firing once: the queue replayed minute by minute against a fixed fleet, with the same
 * test a decision applies. A load that comes and goes within the hour (a square wave) needs what its high
 * phases pile up, not its peak rate.
 */
function replayFleet(
  rates: readonly number[],
  mu: number,
  settings: ScalingSettings,
  startBacklog = 0,
  headroom = REPLAY_HEADROOM,
): number {
  const carries = (consumers: number): boolean => {
    const capacity = consumers * mu;
    let backlog = startBacklog;
    for (let k = 0; k < rates.length; k++) {
      const rate = rates[k] ?? 0;
      backlog = Math.max(0, backlog + rate - capacity);
      let sum = 0;
      let seen = 0;
      for (let j = Math.max(0, k - SUSTAINED_MINUTES + 1); j <= k; j++) {
        sum += rates[j] ?? 0;
        seen++;
      }
      if (need(rate, sum / seen, backlog, mu, settings).required > consumers) return false;
    }
    return true;
  };
  let high = 1;
  while (!carries(high)) high *= 2;
  let low = 0;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (carries(middle)) high = middle;
    else low = middle;
  }
  return Math.ceil(headroom * high);
}

/**
 * The per-minute noise that accumulates: the spread of 5-minute sums, scaled back to one minute. For
 * independent noise it is the minutes' own spread; a load that alternates within a few minutes (a short
 * square wave) averages out over them and adds little, as it does to the backlog.
 */
function accumulatingNoise(rates: readonly number[]): number {
  const block = NOISE_BLOCK_MINUTES;
  const sums: number[] = [];
  for (let i = 0; i + block <= rates.length; i++) {
    let sum = 0;
    for (let j = i; j < i + block; j++) sum += rates[j] ?? 0;
    sums.push(sum);
  }
  const n = sums.length;
  if (n < 2) return 0;
  const mean = sums.reduce((sum, v) => sum + v, 0) / n;
  const spread = Math.sqrt(sums.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1));
  return spread / Math.sqrt(block);
}

/**
 * No arrivals and an empty queue for the quiet period, or longer when the last hour shows messages
 * coming further apart than that: going to zero just before the next one would be a flap.
 */
function isQuiet(input: ScalingInput, clean: CleanWindows): boolean {
  const latestStart = Math.floor(input.now / 60) * 60 - 60;
  const hour = Math.round(SERVICE_RATE_LOOKBACK_SECONDS / 60);
  // With less than an hour of history, how far apart messages come is not known yet.
  const oldest = Math.min(...input.windows.map((w) => w.start));
  if (oldest > latestStart - 60 * (hour - MIN_HISTORY_SLACK_MINUTES)) return false;
  // Messages that keep coming back at random (separate arrivals in the hour) may come back within the
  // flap window however long the queue has been quiet, so one consumer stays. Only an hour with no
  // arrivals, or with a single batch of them (a burst that is over), lets the fleet go to zero.
  const episodes = arrivalEpisodes(latestStart, hour, clean);
  if (episodes.length > 1 || (episodes.length === 1 && (episodes[0] ?? 0) < MIN_BATCH_MESSAGES)) {
    return false;
  }
  const minutes = Math.round(input.settings.scaleToZero.quietPeriodSeconds / 60);
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
