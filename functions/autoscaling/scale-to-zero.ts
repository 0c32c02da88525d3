import { arrivalEpisodes } from "./arrivals.js";
import { covers, type History } from "./policy-history.js";
import type { ScalingInput } from "./policy-types.js";
import { FLAP_SECONDS } from "./scale-in-need.js";
import type { ScalingSettings } from "./settings.js";

/** Fewer messages than this in the history's one stretch of arrivals are sporadic traffic, not a finished batch. */
const MIN_BATCH_MESSAGES = 20;

/**
 * Minutes of history wanted per quiet minute: the quiet stretch is at most half of what was seen, so a
 * load that comes back after a gap as long as the quiet period (a square wave's low) has been seen to.
 */
const HISTORY_PER_QUIET_MINUTE = 2;

/**
 * Messages that came back this soon after the last scale-in to zero come often enough that one may come
 * within the flap window of the next: an hour, the history the policy reads.
 */
const RETURN_SECONDS = 3_600;

/**
 * How long such a return keeps one consumer: a queue that then stays silent this long (a night's lull)
 * has stopped for now, and goes to zero by the usual quiet-period rule.
 */
const RETURN_HOLD_SECONDS = 6 * 3_600;

/**
 * The likeliest a message within the flap window may be for the fleet to go to zero, when that is judged
 * from a return from zero older than the history read (see quietEnough): one message in six hours
 * (RETURN_HOLD_SECONDS, the hold above) makes one within ten minutes about 2.7% likely.
 */
const MAX_RETURN_CHANCE = 1 - Math.exp(-FLAP_SECONDS / RETURN_HOLD_SECONDS);

/** The last return from zero that the carried scale-in and scale-out times show. */
export interface ReturnFromZero {
  /** Epoch seconds of the scale-out from zero, brought by a message. */
  at: number;
  /** Epoch seconds of the scale-in to zero before it, when one is on record. */
  zeroSince?: number;
}

/**
 * At one consumer with no scale-in since the last scale-out, that scale-out ended at one and so began at
 * zero, brought by a message; the scale-in before it, if any, went to zero. Undefined otherwise.
 */
export function returnFromZero(input: ScalingInput): ReturnFromZero | undefined {
  const { lastScaleInAt, lastScaleOutAt } = input;
  if (input.fleet.desired !== 1 || lastScaleOutAt === undefined) return undefined;
  if (lastScaleInAt !== undefined && lastScaleInAt >= lastScaleOutAt) return undefined;
  return { at: lastScaleOutAt, zeroSince: lastScaleInAt };
}

/**
 * Whether the fleet may go to zero: no arrivals and an empty queue for the whole quiet period, and no
 * sign in the history read (up to an hour) that messages come further apart than that.
 *
 * The rule looks at the quiet period and at as long again before it, so it needs that much history and no
 * more: with a two-minute quiet period, a queue whose history starts five minutes ago, with a batch in its
 * first minutes, goes to zero once it has been empty for two minutes. Messages that keep coming back at
 * random (separate stretches of arrivals in the history read) may come back within the flap window
 * however long the queue has been quiet, so one consumer stays; only history with no arrivals, or with a
 * single batch of them (a burst that is over), lets the fleet go to zero.
 *
 * The last return from zero (`lastReturn`, see returnFromZero) counts too. If the fleet had stayed at zero
 * less than RETURN_SECONDS before it, within the last RETURN_HOLD_SECONDS, messages come often enough that
 * one may come within the flap window of the next scale-in to zero; a return longer ago no longer counts,
 * so a queue that has gone quiet for good still reaches zero. And a silent history is not enough when the
 * stretch since the scale-in to zero before the return (since the return itself when none is on record:
 * how long the queue had been at zero is unknown) is too short for a message within the flap window to be
 * unlikely.
 */
export function quietEnough(
  history: History,
  settings: ScalingSettings,
  now: number,
  lastReturn?: ReturnFromZero,
): { quiet: boolean; why: string } {
  const zeroLastLasted =
    lastReturn?.zeroSince !== undefined && now - lastReturn.at < RETURN_HOLD_SECONDS
      ? lastReturn.at - lastReturn.zeroSince
      : undefined;
  if (zeroLastLasted !== undefined && zeroLastLasted < RETURN_SECONDS) {
    return {
      quiet: false,
      why: `the last scale-in to zero was followed by a message ${Math.round(zeroLastLasted / 60)} min later: one consumer stays`,
    };
  }
  const minutes = Math.max(1, Math.round(settings.scaleToZero.quietPeriodSeconds / 60));
  const { latestStart, clean } = history;
  const wanted = HISTORY_PER_QUIET_MINUTE * minutes;
  if (history.spanMinutes < wanted) {
    return { quiet: false, why: `${history.spanMinutes} min of history, ${wanted} wanted` };
  }
  const latest = clean(latestStart);
  if (!latest || latest.enqueueCount > 0 || latest.queueSize > 0) return { quiet: false, why: "not quiet" };
  for (let i = 1; i < minutes; i++) {
    const window = clean(latestStart - 60 * i);
    if (window && (window.enqueueCount > 0 || window.queueSize > 0)) {
      return { quiet: false, why: `quiet for ${i} of ${minutes} min` };
    }
  }
  if (!covers(history, minutes)) return { quiet: false, why: "too few clean windows in the quiet period" };
  const episodes = arrivalEpisodes(latestStart, history.spanMinutes, clean);
  if (episodes.length > 1) {
    return {
      quiet: false,
      why: `messages came in ${episodes.length} separate stretches in ${history.spanMinutes} min`,
    };
  }
  if (episodes.length === 1 && (episodes[0] ?? 0) < MIN_BATCH_MESSAGES) {
    return { quiet: false, why: `sporadic messages (${episodes[0]}) in the last ${history.spanMinutes} min` };
  }
  // A silent hour does not show a sporadic queue's rate, but a message that brought the fleet back from
  // zero before that hour does: as Poisson arrivals, one message in the stretch makes one within the flap
  // window 1 − exp(−window / stretch) likely, and the fleet goes to zero only once that is small.
  if (episodes.length === 0 && lastReturn !== undefined) {
    const knownReturnSeconds = now - (lastReturn.zeroSince ?? lastReturn.at);
    const chance = 1 - Math.exp(-FLAP_SECONDS / knownReturnSeconds);
    if (chance > MAX_RETURN_CHANCE) {
      const pct = (p: number): string => `${(100 * p).toFixed(1)}%`;
      return {
        quiet: false,
        why: `a message brought a consumer back from zero within the last ${Math.round(knownReturnSeconds / 60)} min: one message in that time makes one within ${FLAP_SECONDS / 60} min ${pct(chance)} likely, more than the ${pct(MAX_RETURN_CHANCE)} six hours allow; one consumer stays`,
      };
    }
  }
  const what = episodes.length === 0 ? "no arrivals" : "one batch that is over";
  return {
    quiet: true,
    why: `no arrivals and an empty queue for ${minutes} min; ${what} in the last ${history.spanMinutes} min`,
  };
}
