import { fleetNeed } from "./fleet-need.js";
import type { LateTally } from "./late-messages.js";
import { FLAP_SECONDS } from "./scale-in-need.js";
import type { ScalingSettings } from "./settings.js";

/** Decisions come a minute apart: a scale-out that no longer reverses a scale-in is made this much later. */
const DECISION_SECONDS = 60;

export interface Deferral {
  /** Epoch seconds from which a scale-out no longer reverses the last scale-in. */
  until: number;
  /** The longest a message is expected to wait if the scale-out waits until then, in seconds. */
  worstWaitSeconds: number;
  /** Consumers the scale-out after the window is expected to ask for. */
  helpedBy: number;
  /** Messages expected to wait past the target meanwhile: 0 unless the late-message budget allows some. */
  lateMessages: number;
  /** That budget, when it allowed them: flapGuardLateShare of the arrivals read, less those already late. */
  budget?: LateTally & { allowed: number };
}

/**
 * Whether a scale-out that would reverse the last scale-in within FLAP_SECONDS (a flap) can wait until it
 * no longer does. The fleet asked for now (`consumers`, each taking `perConsumerMinute`) carries on until
 * consumers started after the flap window take messages: T = the rest of the window, a decision period and
 * the start-up (see waitsIfDeferred). If every wait stays within the target the scale-out waits, and the
 * one made after the window sizes for the backlog.
 *
 * Otherwise, with `settings.flapGuardLateShare` above 0, it may still wait when the messages expected to
 * wait past the target are no more than that share of the arrivals the history read shows (up to an hour),
 * less those it shows already late (`lateSoFar`, asked for only then). The bar is the 95th percentile of
 * waits, not every wait; and since what is already late in the hour is taken off, deferrals one after the
 * other cannot add up past the share within any hour the policy reads. Never while a message waiting now
 * already would wait past the target with consumers to take it. Undefined when there is no scale-in to
 * reverse or neither test holds.
 */
export function deferScaleOut(
  now: number,
  lastScaleInAt: number | undefined,
  consumers: number,
  waiting: number,
  arrivalsPerMinute: number,
  perConsumerMinute: number,
  settings: ScalingSettings,
  lateSoFar?: () => LateTally,
): Deferral | undefined {
  if (lastScaleInAt === undefined) return undefined;
  const until = lastScaleInAt + FLAP_SECONDS + DECISION_SECONDS;
  if (now >= until) return undefined;
  const waits = waitsIfDeferred(
    until - now,
    consumers,
    waiting,
    arrivalsPerMinute,
    perConsumerMinute,
    settings,
  );
  const deferral = { until, worstWaitSeconds: waits.worstSeconds, helpedBy: waits.helpedBy };
  if (waits.worstSeconds <= settings.targetWaitSeconds) return { ...deferral, lateMessages: 0 };
  const share = settings.flapGuardLateShare;
  if (!(share > 0) || lateSoFar === undefined || (consumers > 0 && waits.waitingLate)) return undefined;
  const tally = lateSoFar();
  const allowed = share * tally.arrivals - tally.late;
  if (waits.lateMessages > allowed) return undefined;
  return { ...deferral, lateMessages: waits.lateMessages, budget: { ...tally, allowed } };
}

export interface DeferredWaits {
  /** The longest a message waits, a minute of metric delay included, in seconds. */
  worstSeconds: number;
  /** Consumers assumed once the help takes messages. */
  helpedBy: number;
  /** Messages, waiting now or joining before the help, whose wait (metric delay included) passes the target. */
  lateMessages: number;
  /** Whether the messages waiting now are among them. */
  waitingLate: boolean;
}

/**
 * The waits if a scale-out is made `untilSeconds` from now, first in, first out, as fluid. Until its
 * consumers take messages (help, `h` = untilSeconds + the start-up), the fleet asked for now takes what it
 * can; from then on the fleet that decision asks for (fleetNeed's target for the backlog it will see,
 * within maxStep and maxConsumers) helps. A message joining t seconds from now finds the backlog
 * A(t) = waiting + (arrivals − capacity) × t ahead of it and waits the lesser of
 * - A(t) / capacity, if the present fleet takes them all before the help arrives, and
 * - h − t + (A(t) − capacity × (h − t)) / the helping fleet's capacity, if not;
 * each wait then gets the minute of metric delay added (the window showed the backlog a minute late).
 * Counting only the first of them, as this guard did before, took a message joining a minute before the
 * help as waiting for the present fleet alone: the guard scaled out, a flap, for waits the help keeps
 * within the target. Both are straight lines in t, so the wait is greatest where they cross or at either
 * end, and the messages whose wait passes the target joined in one stretch, where both lines are above
 * it (the messages waiting now count whole when the first wait is).
 */
export function waitsIfDeferred(
  untilSeconds: number,
  consumers: number,
  waiting: number,
  arrivalsPerMinute: number,
  perConsumerMinute: number,
  settings: ScalingSettings,
): DeferredWaits {
  const h = untilSeconds + settings.consumerStartupSeconds;
  const c = (consumers * perConsumerMinute) / 60;
  const l = arrivalsPerMinute / 60;
  const seen = Math.max(0, waiting + (l - c) * untilSeconds);
  const need = fleetNeed(arrivalsPerMinute, arrivalsPerMinute, seen, perConsumerMinute, settings).target;
  const helped = Math.max(consumers, Math.min(need, consumers + settings.maxStep, settings.maxConsumers));
  const c2 = (helped * perConsumerMinute) / 60;
  // Each wait as a + b × t: served by the present fleet alone, or helped after h.
  const alone = c > 0 ? { a: waiting / c, b: (l - c) / c } : { a: Number.POSITIVE_INFINITY, b: 0 };
  const after =
    c2 > 0 ? { a: h + (waiting - c * h) / c2, b: l / c2 - 1 } : { a: Number.POSITIVE_INFINITY, b: 0 };
  const waitAt = (t: number): number => Math.min(alone.a + alone.b * t, after.a + after.b * t);
  const crossing = l > 0 ? (c * h - waiting) / l : h;
  const points = [0, h, Math.min(h, Math.max(0, crossing))];
  const worstSeconds = Math.max(...points.map(waitAt)) + DECISION_SECONDS;
  const limit = settings.targetWaitSeconds - DECISION_SECONDS;
  let from = 0;
  let to = h;
  for (const { a, b } of [alone, after]) {
    if (b === 0) {
      if (a <= limit) to = from;
    } else if (b > 0) from = Math.max(from, (limit - a) / b);
    else to = Math.min(to, (limit - a) / b);
  }
  const waitingLate = waiting > 0 && waitAt(0) > limit;
  const lateMessages = (waitingLate ? waiting : 0) + l * Math.max(0, to - from);
  return { worstSeconds, helpedBy: helped, lateMessages, waitingLate };
}
