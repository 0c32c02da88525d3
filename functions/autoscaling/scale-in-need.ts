import { fitLine, levelRise, meanArrivals, recentArrivals } from "./arrivals.js";
import { fewestConsumers } from "./fewest-consumers.js";
import { fleetNeed, reactionSeconds } from "./fleet-need.js";
import { SUSTAINED_MINUTES } from "./policy-estimates.js";
import { covers, type History, LOOKBACK_MINUTES } from "./policy-history.js";
import { round } from "./policy-reason.js";
import type { ScalingEstimates } from "./policy-types.js";
import { aboveLevel, patternFleet, patternScaleInWaitSeconds, recurringLoad } from "./recurring-load.js";
import type { ScalingSettings } from "./settings.js";

/** A scale-out this soon after a scale-in reverses it: a flap. A scale-in must hold at least this long. */
export const FLAP_SECONDS = 600;
/** Minutes of arrivals a scale-in remembers, at most: a load seen in them (a square wave's high, a burst) may return. */
const SCALE_IN_MEMORY_MINUTES = 30;
/** Minutes of arrivals whose spread is taken as the minute-to-minute noise. */
const NOISE_MINUTES = 15;
/** Minutes summed before the noise is measured, so that only noise that accumulates counts. */
const NOISE_BLOCK_MINUTES = 5;
/** Share of the busiest five minutes of the last ten that a smaller fleet must still take. */
const KEEP_UP_SHARE = 0.95;
/** Standard deviations of accumulated noise a scale-in leaves room for over its hold. */
const NOISE_SIGMAS = 3;
/**
 * The forecast of a load that is not recurring is raised by this many times the level's usual rise over
 * the hold (levelRise over the hour read), when that is more than the noise margin.
 */
const RISE_SHARE = 1.5;
/** Minutes with no arrivals and nothing waiting after which a load has stopped. */
const STOPPED_MINUTES = 3;

/**
 * The fewest consumers a scale-in may go down to. After a scale-in, a scale-out within FLAP_SECONDS would
 * be a flap, so the smaller fleet must carry the queue alone that long without the scale-out test firing.
 * It may fall a little behind the arrivals meanwhile (it runs busy behind a standing queue, and is scaled
 * out again, no longer a flap, when the queue needs it), but takes at least 95% of the busiest five
 * minutes of the last ten, a single burst's minutes aside (of all the minutes it reads, bursts included,
 * while the history is shorter than an hour), and with messages already waiting the five-minute rate.
 * The minutes ahead are forecast from the last quarter hour, moved to the expected level (the last ten
 * minutes' rate or the last five's if higher, or a clear rising trend carried over the hold) and raised
 * by a margin (noise, or how far the hour's level rose in as long when it rose, whichever is more), then
 * replayed from the current backlog through the scale-out test; a load that stopped (no arrivals for
 * three minutes, nothing waiting) is forecast as stopped.
 * A load that came and went twice or more in the history read (a square wave, recurring bursts) is
 * expected back, so that history itself is replayed too; a single episode (one burst) is not, and is not
 * noise either.
 *
 * It reads the minutes scaleInMemoryMinutes gives (the settings say how long), and needs them, most of
 * them clean; undefined otherwise.
 */
export function scaleInNeed(
  history: History,
  estimates: ScalingEstimates,
  settings: ScalingSettings,
): { consumers: number; why: string } | undefined {
  const { latestStart, clean } = history;
  const memory = scaleInMemoryMinutes(settings);
  if (history.spanMinutes < memory || !covers(history, memory)) return undefined;
  const { offsets, rates } = recentArrivals(latestStart, memory, clean);
  const mu = estimates.servicePerConsumerMinute;
  const hold = FLAP_SECONDS / 60;
  const reaction = reactionSeconds(settings) / 60;
  const fit = fitLine(offsets, rates);
  // The level ahead: the last ten minutes' rate, or the last five's when higher (a rise within the hold).
  const tenMinutes = meanArrivals(latestStart, hold, clean) ?? estimates.sustainedArrivalsPerMinute;
  const level = Math.max(tenMinutes, estimates.sustainedArrivalsPerMinute);
  // A load that stopped (no arrivals for a few minutes, nothing waiting) is forecast as stopped: a producer
  // that finished is not noise around the last ten minutes' rate. A recurring load's replay still holds
  // the fleet for its next high phase, and so does the first hour's keep-up.
  const stopped =
    estimates.waiting === 0 &&
    rates.length >= STOPPED_MINUTES &&
    rates.slice(-STOPPED_MINUTES).every((r) => r === 0);
  const load = recurringLoad(history, estimates);
  const recurring = load.episodes >= 2;
  let expected = level;
  let noise = accumulatingNoise(rates.slice(-NOISE_MINUTES).filter((r) => r <= aboveLevel(level)));
  let why = `${round(level)}/min over the last ${level > tenMinutes ? SUSTAINED_MINUTES : hold} min`;
  let floor = 0;
  if (recurring) {
    // Replaying the history against a fixed fleet gives what the pattern's high phases pile up; its worst
    // alignment is in it, so no noise margin is added. The test is the wait itself, as patternHold (which
    // keeps the scale-out test from acting on each high phase) applies it, so the two agree.
    floor = patternFleet(load.rates, mu, patternScaleInWaitSeconds(settings));
    noise = 0;
    why = `load came and went ${load.episodes} times in ${load.minutes} min; replayed, ${floor} keep every wait within ${round(patternScaleInWaitSeconds(settings))} s`;
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
  // The level itself moves too: a random walk or a drifting load does not stay at the last ten minutes'
  // rate for the next ten, and a fleet cut to that rate plus noise falls behind the next rise of the kind
  // the hour had shown (the likeliest flap the bench finds misjudged). The margin is the larger of the
  // two. A recurring load's replay already holds what its pattern brings; its swings are not drift.
  const rise =
    recurring || stopped
      ? 0
      : levelRise(
          load.rates.map((r) => Math.min(r, aboveLevel(level))),
          SUSTAINED_MINUTES,
          hold,
        );
  const margin = Math.max((NOISE_SIGMAS * noise) / Math.sqrt(hold), RISE_SHARE * rise);
  const ahead = stopped ? [] : recent.map((r) => Math.max(0, r + (expected - recentMean) + margin));
  // Nor far behind the busiest five minutes of the hold just past: a fleet that falls behind even the
  // recent load builds a backlog that noise soon pushes past the allowance, and the scale-out is a flap.
  // With less than an hour of history, the recurring test cannot yet have seen a wave of up to half an
  // hour come and go twice: a load that came and went is then kept up with, whatever it looked like.
  const young = history.spanMinutes < LOOKBACK_MINUTES;
  const busiest = young
    ? busiestSpan(rates, Number.POSITIVE_INFINITY, level)
    : stopped
      ? 0
      : busiestSpan(rates.slice(-hold), aboveLevel(level), level);
  // With messages already waiting, a fleet that falls behind only adds to them, and the scale-out that
  // follows is a flap: it keeps up with the five-minute rate. Falling a little behind is for a fleet whose
  // queue is empty.
  const behindShare = recurring ? 0 : KEEP_UP_SHARE * busiest;
  const keepUpRate =
    estimates.waiting > 0 ? Math.max(behindShare, estimates.sustainedArrivalsPerMinute) : behindShare;
  const keepsUp = Math.ceil(keepUpRate / mu - 1e-9);
  const consumers = Math.max(
    keepsUp,
    recurring
      ? patternFleet(ahead, mu, patternScaleInWaitSeconds(settings), estimates.waiting)
      : replayFleet(ahead, mu, settings, estimates.waiting),
    estimates.requiredConsumers,
    floor,
  );
  if (stopped && !recurring)
    why = `no arrivals for ${STOPPED_MINUTES} min and nothing waiting: the load stopped`;
  return {
    consumers,
    why: `${why} (noise ±${round(noise)}/min${rise > 0 ? `; its level rises ${round(rise)}/min in ${hold} min when it rises` : ""}); ${consumers} hold ${hold} min without the backlog passing the allowance`,
  };
}

/**
 * Minutes of history a scale-in reads and needs: twice the time the settings hold a fleet before a
 * scale-in (the scale-in cooldown of a scale-out and the stabilisation window), so that a load that came
 * and went in that time is seen, and at least SUSTAINED_MINUTES; at most SCALE_IN_MEMORY_MINUTES.
 * With the defaults (660 s and 300 s) that is 30 minutes; with 60 s and 60 s, four.
 */
export function scaleInMemoryMinutes(settings: ScalingSettings): number {
  const held = (settings.scaleInCooldownSeconds + settings.scaleInStabilisationSeconds) / 60;
  return Math.max(SUSTAINED_MINUTES, Math.min(SCALE_IN_MEMORY_MINUTES, Math.ceil(2 * held)));
}

/**
 * The fewest consumers that would have carried `rates` (arrivals per minute, oldest first) without the
 * scale-out test firing once: the queue replayed minute by minute against a fixed fleet, with the same
 * test a decision applies. A load that comes and goes within the hour (a square wave) needs what its high
 * phases pile up, not its peak rate.
 */
export function replayFleet(
  rates: readonly number[],
  mu: number,
  settings: ScalingSettings,
  startBacklog = 0,
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
      if (fleetNeed(rate, sum / seen, backlog, mu, settings).required > consumers) return false;
    }
    return true;
  };
  return fewestConsumers(carries);
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
 * The highest mean of SUSTAINED_MINUTES consecutive minutes of `rates`, with minutes above `above` (a
 * single burst's, which has no reason to return) taken at `level`.
 */
function busiestSpan(rates: readonly number[], above: number, level: number): number {
  const capped = rates.map((r) => (r > above ? level : r));
  let highest = 0;
  for (let end = SUSTAINED_MINUTES; end <= capped.length; end++) {
    let sum = 0;
    for (let i = end - SUSTAINED_MINUTES; i < end; i++) sum += capped[i] ?? 0;
    highest = Math.max(highest, sum / SUSTAINED_MINUTES);
  }
  return highest;
}
