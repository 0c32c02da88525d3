import { meanArrivals, recentArrivals, steadyDecline, stretchesAbove } from "./arrivals.js";
import { fewestConsumers } from "./fewest-consumers.js";
import { type History, LOOKBACK_MINUTES } from "./policy-history.js";
import { round } from "./policy-reason.js";
import type { ScalingEstimates } from "./policy-types.js";
import type { ScalingSettings } from "./settings.js";

/** Minutes whose mean arrival rate is the level episodes are measured against. */
const LEVEL_MINUTES = 10;
/** Minutes above this multiple of the level (and clear of its Poisson noise) count as a high episode. */
const EPISODE_FACTOR = 1.5;
/**
 * The history's busiest tenth of minutes above this multiple of its quietest tenth is a swing between a low
 * and a high: more than minute-to-minute noise of ±25% makes (about 1.9×).
 */
const SWING_FACTOR = 2.5;
/**
 * What a fleet that carries a recurring load leaves of the wait target, in seconds: the metric delay, so that
 * a high phase seen late still leaves every message within the target.
 */
const PATTERN_MARGIN_SECONDS = 60;
/**
 * A scale-in for a recurring load sizes for this share of the wait a hold allows: hysteresis, so that the
 * history moving on by a few minutes (another alignment of the wave, a little more noise) does not make
 * the fleet just chosen look short and scale it out again within the flap window.
 */
const SCALE_IN_SHARE = 0.8;
/** A backlog this much above the replay's peak is more than the pattern: noise aside, the load has grown. */
const PEAK_TOLERANCE = 1.2;

export interface RecurringLoad {
  /** Separate stretches of high arrivals in the history read. */
  episodes: number;
  /** Minutes of history read. */
  minutes: number;
  /** Arrivals per minute of the clean windows of those minutes, oldest first. */
  rates: number[];
  /** Arrivals above this make a minute high. */
  threshold: number;
}

/**
 * The history's load, and how often it came and went: minutes above 1.5× the last ten minutes' rate (and
 * clear of its Poisson noise) in separate stretches. Two or more is a load that recurs (a square wave,
 * recurring bursts), which is expected back; one is a single episode, such as a burst. Unless a steady
 * decline explains them: a noisy load winding down has its earlier minutes above the level it has fallen
 * to, split into stretches by the noise, and the replay of such an hour would hold the fleet for the load
 * of an hour ago. Brought to where the load stands now (steadyDecline), they are counted again.
 */
export function recurringLoad(history: History, estimates: ScalingEstimates): RecurringLoad {
  const { latestStart, clean } = history;
  const level = meanArrivals(latestStart, LEVEL_MINUTES, clean) ?? estimates.sustainedArrivalsPerMinute;
  const minutes = Math.min(LOOKBACK_MINUTES, history.spanMinutes);
  const { offsets, rates } = recentArrivals(latestStart, minutes, clean);
  // High against the recent level, or, when the history swings between a low and a high (a square wave at
  // high duty lifts the recent level to its high), against the middle of the swing.
  const sorted = [...rates].sort((a, b) => a - b);
  const low = sorted[Math.floor(0.1 * (sorted.length - 1))] ?? 0;
  const high = sorted[Math.ceil(0.9 * (sorted.length - 1))] ?? 0;
  // Clear of the Poisson noise of the high too: 0 and 4 a minute are one load of 2 a minute.
  const swings = high > SWING_FACTOR * low + 3 * Math.sqrt(high) + 1;
  const threshold = Math.min(aboveLevel(level), swings ? (low + high) / 2 : Number.POSITIVE_INFINITY);
  let episodes = stretchesAbove(rates, threshold);
  if (episodes >= 2) {
    const now = steadyDecline(offsets, rates);
    if (now) episodes = Math.min(episodes, stretchesAbove(now, threshold));
  }
  return { episodes, minutes, rates, threshold };
}

/** Arrivals per minute well above a level: 1.5× it and clear of its Poisson noise. */
export function aboveLevel(level: number): number {
  return EPISODE_FACTOR * level + 3 * Math.sqrt(level) + 1;
}

/** The longest a message may wait while a recurring load is replayed: the target less the metric delay. */
export function patternWaitSeconds(settings: ScalingSettings): number {
  return Math.max(settings.targetWaitSeconds / 2, settings.targetWaitSeconds - PATTERN_MARGIN_SECONDS);
}

/** What a scale-in sizes a recurring load's fleet for: less than a hold allows (hysteresis). */
export function patternScaleInWaitSeconds(settings: ScalingSettings): number {
  return SCALE_IN_SHARE * patternWaitSeconds(settings);
}

export interface Replay {
  /** The longest a message joining the queue at a minute's end waits (backlog ÷ capacity), in seconds. */
  worstWaitSeconds: number;
  peakBacklog: number;
}

/** `rates` (arrivals per minute, oldest first) replayed minute by minute against a fixed fleet, first in, first out. */
export function replay(rates: readonly number[], consumers: number, mu: number, startBacklog = 0): Replay {
  const capacity = consumers * mu;
  let backlog = startBacklog;
  let peakBacklog = backlog;
  for (const rate of rates) {
    backlog = Math.max(0, backlog + rate - capacity);
    peakBacklog = Math.max(peakBacklog, backlog);
  }
  const worstWaitSeconds = capacity > 0 ? (60 * peakBacklog) / capacity : peakBacklog > 0 ? Infinity : 0;
  return { worstWaitSeconds, peakBacklog };
}

/** The fewest consumers whose replay of `rates` keeps every wait within `maxWaitSeconds`. */
export function patternFleet(
  rates: readonly number[],
  mu: number,
  maxWaitSeconds: number,
  startBacklog = 0,
): number {
  const carries = (n: number): boolean =>
    replay(rates, n, mu, startBacklog).worstWaitSeconds <= maxWaitSeconds;
  return fewestConsumers(carries);
}

/**
 * Whether a fleet may hold through a backlog that the scale-out test would act on, because the backlog is a
 * recurring load's usual peak: the load came and went at least twice in the history read, that history
 * replayed against the fleet keeps every wait within the target less the metric delay, and the backlog now
 * is no larger than the replay's peak. Scaling out for each high phase and in after it would cost a fleet
 * held for the flap window every time; the high phases pile up a backlog the low ones drain.
 */
export function patternHold(
  history: History,
  estimates: ScalingEstimates,
  settings: ScalingSettings,
  consumers: number,
): { why: string } | undefined {
  if (consumers <= 0) return undefined;
  const load = recurringLoad(history, estimates);
  if (load.episodes < 2) return undefined;
  const mu = estimates.servicePerConsumerMinute;
  const limit = patternWaitSeconds(settings);
  const { worstWaitSeconds, peakBacklog } = replay(load.rates, consumers, mu);
  const nowWait = (60 * estimates.waiting) / (consumers * mu);
  if (worstWaitSeconds > limit || nowWait > limit || estimates.waiting > PEAK_TOLERANCE * peakBacklog) {
    return undefined;
  }
  return {
    why:
      `the load came and went ${load.episodes} times in ${load.minutes} min, and replayed against ${consumers} ` +
      `consumers its backlog peaks at ${Math.round(peakBacklog)} (a wait of ${round(worstWaitSeconds)} s, ` +
      `within ${round(limit)} s); ${estimates.waiting} waiting now is that pattern's high phase`,
  };
}
