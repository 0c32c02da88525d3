import type { Workload } from "./simulator.js";

/**
 * A true lower bound on the consumer-minutes of any policy in this simulator that keeps every message's
 * wait within `targetWaitSeconds`.
 *
 * Relaxation: a message's work may be split across consumers and minutes, is available from the start
 * of the minute it arrives in, and only has to be finished by the end of the minute holding
 * arrival + target + its own service time (it must start by arrival + target). Consumers start instantly.
 * A policy's fleet is fixed within a minute and does at most 60 s of work per consumer in it, so its
 * consumer-minutes are at least the optimum of this relaxation. The greedy below, which each minute runs
 * the fewest consumers that meet the deadlines due by its end, is optimal for the relaxation: between
 * two minutes where it runs out of available work it never wastes capacity, and in each such stretch it
 * uses exactly the rounded-up work due, which any schedule must also supply.
 */
export function oracleConsumerMinutes(workload: Workload, targetWaitSeconds: number): number {
  const { arrivals, service } = workload;
  let last = workload.trace.arrivals.length;
  for (let i = 0; i < arrivals.length; i++) {
    const due = Math.floor(((arrivals[i] ?? 0) + targetWaitSeconds + (service[i] ?? 0)) / 60);
    if (due > last) last = due;
  }
  const available = new Float64Array(last + 1);
  const due = new Float64Array(last + 1);
  for (let i = 0; i < arrivals.length; i++) {
    const arrival = arrivals[i] ?? 0;
    const work = service[i] ?? 0;
    const from = Math.floor(arrival / 60);
    available[from] = (available[from] ?? 0) + work;
    const by = Math.floor((arrival + targetWaitSeconds + work) / 60);
    due[by] = (due[by] ?? 0) + work;
  }
  let cumulativeAvailable = 0;
  let cumulativeDue = 0;
  let done = 0;
  let consumerMinutes = 0;
  for (let m = 0; m <= last; m++) {
    cumulativeAvailable += available[m] ?? 0;
    cumulativeDue += due[m] ?? 0;
    const short = cumulativeDue - done;
    const consumers = short > 1e-9 ? Math.ceil(short / 60 - 1e-9) : 0;
    consumerMinutes += consumers;
    done = Math.min(done + 60 * consumers, cumulativeAvailable);
  }
  return consumerMinutes;
}

/** Total service time in consumer-minutes: what a fleet that is never idle would pay. */
export function workConsumerMinutes(workload: Workload): number {
  let seconds = 0;
  for (const s of workload.service) seconds += s;
  return seconds / 60;
}
