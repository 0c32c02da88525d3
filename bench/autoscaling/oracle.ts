import type { Workload } from "./simulator.js";

export interface OracleBound {
  /** Fewest consumer-minutes that keep every wait within the target (a lower bound, see below). */
  consumerMinutes: number;
  /** The most consumers it runs in any minute: above maxConsumers, no policy can meet the target. */
  peakConsumers: number;
}

/**
 * A true lower bound on the consumer-minutes of any policy in this simulator that keeps every message's
 * wait within `targetWaitSeconds`.
 *
 * Relaxation: a message's work may be split across consumers and minutes, is available from the start
 * of the minute it arrives in, and only has to be finished by the end of the minute holding
 * arrival + target + its service time (it must start by arrival + target). Consumers start instantly.
 * A minute's messages arrive evenly over it, so a share of them falls due one minute later than the rest.
 * A policy's fleet is fixed within a minute and does at most 60 s of work per consumer in it, so its
 * consumer-minutes are at least the optimum of this relaxation. The greedy below, which each minute runs
 * the fewest consumers that meet the deadlines due by its end, is optimal for the relaxation: between
 * two minutes where it runs out of available work it never wastes capacity, and in each such stretch it
 * uses exactly the rounded-up work due, which any schedule must also supply.
 */
export function oracleBound(workload: Workload, targetWaitSeconds: number): OracleBound {
  const { counts, service } = workload;
  const minutes = counts.length;
  let longest = 0;
  for (let m = 0; m < minutes; m++) longest = Math.max(longest, service[m] ?? 0);
  const last = minutes + Math.ceil((targetWaitSeconds + longest) / 60) + 2;
  const available = new Float64Array(last + 1);
  const due = new Float64Array(last + 1);
  for (let m = 0; m < minutes; m++) {
    const s = service[m] ?? 0;
    const work = (counts[m] ?? 0) * s;
    if (work <= 0) continue;
    available[m] = (available[m] ?? 0) + work;
    // A message arriving at 60(m + u), u uniform in [0, 1), is due by the end of minute m + ⌊u + q⌋.
    const q = (targetWaitSeconds + s) / 60;
    const whole = Math.floor(q);
    const late = q - whole;
    due[m + whole] = (due[m + whole] ?? 0) + work * (1 - late);
    due[m + whole + 1] = (due[m + whole + 1] ?? 0) + work * late;
  }
  let cumulativeAvailable = 0;
  let cumulativeDue = 0;
  let done = 0;
  let consumerMinutes = 0;
  let peakConsumers = 0;
  for (let m = 0; m <= last; m++) {
    cumulativeAvailable += available[m] ?? 0;
    cumulativeDue += due[m] ?? 0;
    const short = cumulativeDue - done;
    const consumers = short > 1e-6 ? Math.ceil(short / 60 - 1e-9) : 0;
    consumerMinutes += consumers;
    peakConsumers = Math.max(peakConsumers, consumers);
    done = Math.min(done + 60 * consumers, cumulativeAvailable);
  }
  return { consumerMinutes, peakConsumers };
}

/** Total service time in consumer-minutes: what a fleet that is never idle would pay. */
export function workConsumerMinutes(workload: Workload): number {
  let seconds = 0;
  for (let m = 0; m < workload.counts.length; m++) {
    seconds += (workload.counts[m] ?? 0) * (workload.service[m] ?? 0);
  }
  return seconds / 60;
}

/** Minutes a consumer brought in by a scale-out is paid for at least: a scale-in within 600 s is a flap. */
const FLAP_FREE_HOLD_MINUTES = 11;

/** Prices of a late message tried by flapFreeFloor when some may be late: each gives a valid bound. */
const LATE_PRICES = [0.25, 0.5, 1, 2, 3, 4, 6, 8, 11, 15, 20, 30, 50, 100, 300, 1000];

/**
 * A lower bound on the consumer-minutes of any policy in this simulator that never flaps and lets at most
 * `lateShare` of the messages wait longer than `targetWaitSeconds` (0: every wait within it; 0.05: the
 * p95 wait within it), binding where traffic is too light for the oracle's bound.
 * - A message arriving in minute m waits past the target unless a consumer is present in one of minutes
 *   m..m + ⌈target / 60⌉ (fleets change only at minute ends, and a consumer is paid from its scale-out,
 *   before it is ready).
 * - A policy that never flaps leaves more than 600 s between two actions in opposite directions. So a
 *   stretch of minutes with a consumer, begun by a scale-out from zero and ended by a scale-in to zero,
 *   lasts at least FLAP_FREE_HOLD_MINUTES (the last scale-out in it comes no sooner than its start, and the
 *   scale-in after it more than 600 s later), and so does a stretch without one between a scale-in to zero
 *   and the next scale-out. The run's first and last stretches may be shorter.
 * With no late messages allowed, the fewest minutes with a consumer under those rules (fewestPresentMinutes,
 * exact) are the bound. With a share allowed, for any price λ ≥ 0 of a late message, the fewest minutes
 * plus λ × the messages left without a consumer, less λ × the messages allowed late, is a lower bound
 * (a schedule within the allowance pays at least that); the best of several prices is taken.
 */
export function flapFreeFloor(
  workload: Workload,
  targetWaitSeconds: number,
  runMinutes: number,
  lateShare = 0,
): number {
  const { counts } = workload;
  const messages = Array.from({ length: Math.max(runMinutes, counts.length) }, (_, m) => counts[m] ?? 0);
  const lag = Math.ceil(targetWaitSeconds / 60);
  if (lateShare <= 0) return fewestPresentMinutes(messages, lag, FLAP_FREE_HOLD_MINUTES);
  const allowed = lateShare * messages.reduce((sum, n) => sum + n, 0);
  let best = 0;
  for (const price of LATE_PRICES) {
    best = Math.max(
      best,
      fewestPresentMinutes(messages, lag, FLAP_FREE_HOLD_MINUTES, price) - price * allowed,
    );
  }
  return best;
}

/**
 * The fewest minutes with a consumer present, plus `latePrice` for each message left without one, where
 * the messages of minute m (`messages[m]`) need one present in minutes m..m + lag (within the run) and
 * every stretch of presence or absence lasts at least `hold` minutes, except the first (no action began
 * it) and the last (the run ends). With the default price every message must have one (Infinity when no
 * schedule does that). Exact: a shortest path over (minute, present or not, how long the stretch has
 * lasted, capped where nothing depends on more).
 */
export function fewestPresentMinutes(
  messages: readonly number[],
  lag: number,
  hold: number,
  latePrice = Number.POSITIVE_INFINITY,
): number {
  const n = messages.length;
  if (n === 0) return 0;
  const INF = Number.POSITIVE_INFINITY;
  const penalty = (count: number): number => (count > 0 ? latePrice * count : 0);
  // on[r]: present for r minutes (hold: hold or more, or the first stretch, which may end at any time).
  // off[r]: absent for r minutes since a scale-in (cap: at least hold and past the lag).
  // first[r]: absent since the run began, for r minutes (may end at any time).
  const cap = Math.max(hold, lag + 1);
  const firstCap = lag + 1;
  let on = new Float64Array(hold + 1).fill(INF);
  let off = new Float64Array(cap + 1).fill(INF);
  let first = new Float64Array(firstCap + 1).fill(INF);
  let nextOn = new Float64Array(hold + 1);
  let nextOff = new Float64Array(cap + 1);
  let nextFirst = new Float64Array(firstCap + 1);
  on[hold] = 1;
  first[1] = 0;
  // A stretch of r absent minutes ending at minute k leaves the messages of minute k - lag late once r > lag.
  const charge = (k: number, table: Float64Array): void => {
    const late = k - lag >= 0 ? penalty(messages[k - lag] ?? 0) : 0;
    if (late > 0) for (let r = lag + 1; r < table.length; r++) table[r] = (table[r] ?? INF) + late;
  };
  charge(0, first);
  for (let k = 1; k < n; k++) {
    nextOn.fill(INF);
    nextOff.fill(INF);
    nextFirst.fill(INF);
    let startOn = INF;
    for (let r = 1; r <= hold; r++) {
      const longer = Math.min(r + 1, hold);
      nextOn[longer] = Math.min(nextOn[longer] ?? INF, (on[r] ?? INF) + 1);
    }
    nextOff[1] = on[hold] ?? INF;
    for (let r = 1; r <= cap; r++) {
      const cost = off[r] ?? INF;
      const longer = Math.min(r + 1, cap);
      nextOff[longer] = Math.min(nextOff[longer] ?? INF, cost);
      if (r >= hold) startOn = Math.min(startOn, cost);
    }
    for (let r = 1; r <= firstCap; r++) {
      const cost = first[r] ?? INF;
      const longer = Math.min(r + 1, firstCap);
      nextFirst[longer] = Math.min(nextFirst[longer] ?? INF, cost);
      startOn = Math.min(startOn, cost);
    }
    nextOn[1] = Math.min(nextOn[1] ?? INF, startOn + 1);
    charge(k, nextOff);
    charge(k, nextFirst);
    [on, nextOn] = [nextOn, on];
    [off, nextOff] = [nextOff, off];
    [first, nextFirst] = [nextFirst, first];
  }
  // The run ends: an absence of r minutes at its end leaves the messages in those minutes that were not
  // charged yet (the last min(r, lag) minutes; earlier ones were charged) without a consumer.
  const lateAtEnd = (r: number): number => {
    let late = 0;
    for (let m = Math.max(0, n - Math.min(r, lag)); m < n; m++) late += penalty(messages[m] ?? 0);
    return late;
  };
  let best = Math.min(...on);
  for (let r = 1; r <= cap; r++) best = Math.min(best, (off[r] ?? INF) + lateAtEnd(r));
  for (let r = 1; r <= firstCap; r++) best = Math.min(best, (first[r] ?? INF) + lateAtEnd(r));
  return best;
}

/**
 * An estimate of the least a policy pays that keeps every wait within the target, never flaps and cannot
 * see the future: what the oracle's bound leaves out on bursts and square waves' high phases.
 * - A policy learns of a minute's messages from that minute's window and a consumer it then starts takes
 *   messages `startupSeconds` later: each minute's work is available only from the next minute plus the
 *   start-up (rounded to whole minutes), due when the oracle's is.
 * - Without foresight it spreads the work it knows of evenly up to its deadlines (the fewest consumers that
 *   meet every deadline of what is known), rather than in one minute at the last moment as the oracle may.
 * - A fleet raised for a need is held FLAP_FREE_HOLD_MINUTES: a scale-in sooner reverses the scale-out
 *   within 600 s. So each minute pays the highest need of the last FLAP_FREE_HOLD_MINUTES.
 * An estimate, not a proven bound (idle consumers already running may take work sooner; a fleet raised
 * once may be held through two peaks), so the bench uses it only to say which traces no policy that never
 * flaps brings within a ratio of the oracle, never to judge a policy.
 */
export function reactiveFloor(workload: Workload, targetWaitSeconds: number, startupSeconds: number): number {
  const { counts, service } = workload;
  const minutes = counts.length;
  const delay = 1 + Math.round(startupSeconds / 60);
  let longest = 0;
  for (let m = 0; m < minutes; m++) longest = Math.max(longest, service[m] ?? 0);
  const horizon = Math.ceil((targetWaitSeconds + longest) / 60) + 2;
  const last = minutes + delay + horizon;
  const available = new Float64Array(last + 1);
  const due = new Float64Array(last + 1);
  for (let m = 0; m < minutes; m++) {
    const s = service[m] ?? 0;
    const work = (counts[m] ?? 0) * s;
    if (work <= 0) continue;
    available[m + delay] = (available[m + delay] ?? 0) + work;
    const q = Math.max((targetWaitSeconds + s) / 60, delay);
    const whole = Math.floor(q);
    const late = q - whole;
    due[m + whole] = (due[m + whole] ?? 0) + work * (1 - late);
    due[m + whole + 1] = (due[m + whole + 1] ?? 0) + work * late;
  }
  const cumulativeDue = new Float64Array(last + 2);
  for (let m = 0; m <= last; m++) cumulativeDue[m + 1] = (cumulativeDue[m] ?? 0) + (due[m] ?? 0);
  const need = new Float64Array(last + 1);
  let cumulativeAvailable = 0;
  let done = 0;
  for (let t = 0; t <= last; t++) {
    cumulativeAvailable += available[t] ?? 0;
    let consumers = 0;
    for (let h = 1; h <= horizon && t + h - 1 <= last; h++) {
      const known = Math.min(cumulativeDue[t + h] ?? 0, cumulativeAvailable) - done;
      if (known > 1e-6) consumers = Math.max(consumers, Math.ceil(known / (60 * h) - 1e-9));
    }
    need[t] = consumers;
    done = Math.min(done + 60 * consumers, cumulativeAvailable);
  }
  let total = 0;
  for (let m = 0; m <= last; m++) {
    let held = 0;
    for (let k = Math.max(0, m - FLAP_FREE_HOLD_MINUTES + 1); k <= m; k++)
      held = Math.max(held, need[k] ?? 0);
    total += held;
  }
  return total;
}
