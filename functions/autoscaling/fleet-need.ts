import type { ScalingSettings } from "./settings.js";

/** Share of the last minute's arrivals assumed to go on over a reaction time, when above the sustained rate. */
const GROWTH_SHARE_OF_LAST_MINUTE = 0.25;

/**
 * How long a message that starts waiting now may wait for the queue ahead of it: it is seen a minute later
 * at best, and a consumer started then takes consumerStartupSeconds to help. What is left of the target is
 * the time to clear the queue (at least a third of the target).
 */
export function drainAllowanceSeconds(settings: ScalingSettings): number {
  return Math.max(settings.targetWaitSeconds / 3, settings.targetWaitSeconds - reactionSeconds(settings));
}

/** From a message arriving to a consumer started for it taking messages: a metric minute and the start-up. */
export function reactionSeconds(settings: ScalingSettings): number {
  return 60 + settings.consumerStartupSeconds;
}

export interface Need {
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
export function fleetNeed(
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
