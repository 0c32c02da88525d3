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

/**
 * An estimate of the least a policy pays that keeps every wait within the target and never flaps, for
 * traffic too light for the oracle's bound to bind. Every minute with arrivals needs a consumer present
 * within the target of it; a consumer that a scale-out brings in stays at least FLAP_FREE_HOLD_MINUTES
 * (the scale-in that removes it comes more than 600 s later), and after a scale-in the next scale-out
 * comes more than 600 s later too, so stretches less than that apart are paid as one. The greedy places
 * each stretch as late as the earliest uncovered minute allows. The oracle instead batches sporadic
 * messages into one consumer-minute every few minutes, which takes a scale-out and a scale-in within ten
 * minutes each time. Greedy, so an estimate rather than a proven bound; the bench takes the larger of it
 * and the oracle's bound.
 */
export function flapFreeFloor(workload: Workload, targetWaitSeconds: number): number {
  const lag = Math.ceil(targetWaitSeconds / 60);
  let coveredUntil = Number.NEGATIVE_INFINITY;
  let minutes = 0;
  workload.counts.forEach((count, minute) => {
    if (count <= 0 || minute <= coveredUntil) return;
    const start = minute + lag;
    const end = start + FLAP_FREE_HOLD_MINUTES - 1;
    // An off-stretch shorter than the hold would make the next scale-out a flap: pay through it.
    minutes +=
      start - coveredUntil - 1 < FLAP_FREE_HOLD_MINUTES ? end - coveredUntil : FLAP_FREE_HOLD_MINUTES;
    coveredUntil = end;
  });
  return minutes;
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
