import type { MetricWindow } from "../../functions/autoscaling/metrics.js";
import { Rng, seedFor } from "./rng.js";
import type { Trace } from "./traces.js";

/** Epoch seconds of minute 0 of every run (2026-01-01T00:00Z), so reasons print readable clocks. */
export const EPOCH = 1_767_225_600;

/**
 * A trace's traffic, drawn once and replayed to every policy (common random numbers). Messages are kept
 * per minute, not one by one, so a run costs the same at 700 messages a minute as at 700,000.
 */
export interface Workload {
  trace: Trace;
  /** Messages arriving in each minute (whole numbers), spread evenly over the minute. */
  counts: Float64Array;
  /** The realised mean service time, in seconds, of each minute's messages. */
  service: Float64Array;
  /** Per minute: whether CloudWatch has no data point at all, or lacks one metric. */
  missing: Uint8Array;
}

/**
 * Service times are log-normal around the minute's mean with sigma 0.5 (coefficient of variation 0.53):
 * a minute of n messages has a realised mean off by about 0.53/√n of it.
 */
const SERVICE_CV = Math.sqrt(Math.exp(0.25) - 1);
/** Share of minutes with no data point, and with one metric missing. */
const MISSING_MINUTE = 0.02;
const MISSING_METRIC = 0.01;

export const MISSING_NONE = 0;
export const MISSING_ALL = 5;

export function buildWorkload(trace: Trace, seed: number): Workload {
  const rng = new Rng(seedFor(seed, `arrivals:${trace.name}`));
  const minutes = trace.arrivals.length;
  const counts = new Float64Array(minutes);
  const service = new Float64Array(minutes);
  for (let m = 0; m < minutes; m++) {
    const mean = trace.arrivals[m] ?? 0;
    const count = trace.exactCounts ? Math.round(mean) : rng.poisson(mean);
    const meanService = trace.serviceSeconds[m] ?? 2;
    counts[m] = count;
    const noise = count > 0 ? (SERVICE_CV / Math.sqrt(count)) * rng.normal() : 0;
    service[m] = meanService * Math.max(0.2, 1 + noise);
  }
  const gaps = new Rng(seedFor(seed, `missing:${trace.name}`));
  const missing = new Uint8Array(minutes + 600);
  for (let m = 0; m < missing.length; m++) {
    const u = gaps.next();
    if (u < MISSING_MINUTE) missing[m] = MISSING_ALL;
    else if (u < MISSING_MINUTE + MISSING_METRIC) missing[m] = 1 + Math.floor(gaps.next() * 4);
  }
  return { trace, counts, service, missing };
}

/** What a policy sees at a minute boundary: CloudWatch's windows so far and the fleet it controls. */
export interface Observation {
  /** Epoch seconds. */
  now: number;
  /** Published windows of the last hour, oldest first; missing points are absent. */
  windows: readonly MetricWindow[];
  fleet: { current: number; desired: number };
  lastScaleOutAt: number | undefined;
  lastScaleInAt: number | undefined;
}

export interface Autoscaler {
  /** Consumers to run from now on. */
  decide(observation: Observation): number;
}

export interface SimulationOptions {
  /** Seconds from a scale-out to the new consumer taking messages. */
  startupSeconds: number;
  /** Minutes simulated after the trace ends, so backlogs drain and every policy pays for it. */
  tailMinutes: number;
  initialConsumers: number;
  maxConsumers: number;
}

export interface ScalingEvent {
  /** Seconds from the start. */
  at: number;
  from: number;
  to: number;
}

/** Waits in one-second bins up to an hour, then one-minute bins up to two days. */
const FINE_BINS = 3_600;
const COARSE_BINS = 2_820;

/** A histogram of message waits, weighted by messages (fractions of a message included). */
export class WaitHistogram {
  readonly bins = new Float64Array(FINE_BINS + COARSE_BINS + 1);
  total = 0;
  max = 0;

  add(waitSeconds: number, messages: number): void {
    const wait = Math.max(0, waitSeconds);
    const bin =
      wait < FINE_BINS
        ? Math.floor(wait)
        : Math.min(FINE_BINS + COARSE_BINS, FINE_BINS + Math.floor((wait - FINE_BINS) / 60));
    this.bins[bin] = (this.bins[bin] ?? 0) + messages;
    this.total += messages;
    if (messages > 1e-6 && wait > this.max) this.max = wait;
  }

  /** The wait below which a share q of messages fall (upper edge of the bin holding that share). */
  quantile(q: number): number {
    if (this.total <= 0) return 0;
    const wanted = q * this.total;
    let seen = 0;
    for (let bin = 0; bin < this.bins.length; bin++) {
      seen += this.bins[bin] ?? 0;
      if (seen >= wanted - 1e-9) {
        const edge = bin < FINE_BINS ? bin + 1 : FINE_BINS + 60 * (bin - FINE_BINS + 1);
        return Math.min(edge, this.max);
      }
    }
    return this.max;
  }

  /** Messages that waited longer than `seconds`. */
  above(seconds: number): number {
    let sum = 0;
    const from = seconds < FINE_BINS ? Math.ceil(seconds) : FINE_BINS + Math.ceil((seconds - FINE_BINS) / 60);
    for (let bin = from; bin < this.bins.length; bin++) sum += this.bins[bin] ?? 0;
    return sum;
  }
}

export interface RunResult {
  waits: WaitHistogram;
  /** Messages (weight) that waited longer than the late threshold, by arrival minute. */
  lateByMinute: Float64Array;
  /** Messages never taken by the end of the run. */
  unserved: number;
  peakBacklog: number;
  consumerMinutes: number;
  events: ScalingEvent[];
}

/** Sub-steps per minute of the fluid run: waits are resolved to a few seconds. */
const STEPS = 12;
const DT = 60 / STEPS;

interface Starting {
  count: number;
  ready: number;
}

/**
 * A fluid run in five-second steps. Each minute's messages arrive evenly over it and are taken first in,
 * first out at the rate the ready consumers allow. A message's service time is the trace's mean at the
 * time it is served (consumers slow down, whatever they take) times its own arrival minute's draw: a
 * minute of one message must not set the speed at which a backlog of thousands is served. Each
 * step's arrivals are one cohort, so a run costs minutes × steps whatever the message rate. At each
 * minute boundary the minute's window is published as Amazon MQ would (per-minute counts, end-of-minute
 * gauges, queue size = waiting + one in flight per busy consumer), the policy decides, and the fleet
 * changes. New consumers take messages after the start-up delay; removed ones finish the message they
 * hold (half a service time on average) and are paid for until then.
 */
export function simulate(
  workload: Workload,
  policy: Autoscaler,
  options: SimulationOptions,
  lateAfterSeconds = Number.POSITIVE_INFINITY,
): RunResult {
  const { counts, service, missing, trace } = workload;
  const traceMinutes = counts.length;
  const minutes = traceMinutes + options.tailMinutes;
  const remaining = new Float64Array(minutes * STEPS);
  const lateByMinute = new Float64Array(minutes);
  const waits = new WaitHistogram();
  const published: MetricWindow[] = [];
  const events: ScalingEvent[] = [];
  const restarts = new Set(trace.restarts);
  let ready = Math.min(options.initialConsumers, options.maxConsumers);
  const starting: Starting[] = [];
  let head = 0;
  let arrivedTotal = 0;
  let servedTotal = 0;
  let dispatchedTotal = 0;
  let consumerMinutes = 0;
  let peakBacklog = 0;
  let lastOut: number | undefined;
  let lastIn: number | undefined;
  const lastService = trace.serviceSeconds.at(-1) ?? 2;
  // Each arrival minute's draw relative to the trace's mean then: what its messages cost whenever served.
  const draw = new Float64Array(traceMinutes);
  for (let m = 0; m < traceMinutes; m++) {
    const mean = trace.serviceSeconds[m] ?? 2;
    draw[m] = mean > 0 ? (service[m] ?? mean) / mean : 1;
  }

  for (let minute = 0; minute < minutes; minute++) {
    const end = 60 * (minute + 1);
    consumerMinutes += ready + starting.reduce((sum, s) => sum + s.count, 0);
    const perStep = minute < traceMinutes ? (counts[minute] ?? 0) / STEPS : 0;
    const meanService = minute < traceMinutes ? (trace.serviceSeconds[minute] ?? 2) : lastService;
    let busySecondsLastStep = 0;
    for (let step = 0; step < STEPS; step++) {
      const k = minute * STEPS + step;
      const t0 = k * DT;
      remaining[k] = perStep;
      // Consumers that become ready during the step count for the part of it they are there.
      let available = ready;
      for (let i = starting.length - 1; i >= 0; i--) {
        const s = starting[i] as Starting;
        if (s.ready <= t0) {
          ready += s.count;
          available += s.count;
          starting.splice(i, 1);
        } else if (s.ready < t0 + DT) {
          available += (s.count * (t0 + DT - s.ready)) / DT;
        }
      }
      // Consumer-seconds of the step, spent on the oldest messages first.
      const capacity = available * DT;
      let used = 0;
      let served = 0;
      while (head <= k && capacity - used > 1e-9) {
        const left = remaining[head] ?? 0;
        if (left <= 1e-12) {
          if (head === k) break;
          head++;
          continue;
        }
        const arrivalMinute = Math.floor(head / STEPS);
        const cost = meanService * (draw[arrivalMinute] ?? 1);
        const take = Math.min(left, (capacity - used) / cost);
        const wait = (k - head - 0.5) * DT + ((used + (take * cost) / 2) / capacity) * DT;
        waits.add(wait, take);
        if (wait > lateAfterSeconds) {
          lateByMinute[arrivalMinute] = (lateByMinute[arrivalMinute] ?? 0) + take;
        }
        remaining[head] = left - take;
        used += take * cost;
        served += take;
        if (left - take <= 1e-12 && head < k) head++;
      }
      servedTotal += served;
      if (step === STEPS - 1) busySecondsLastStep = used;
    }
    if (minute < traceMinutes) arrivedTotal += counts[minute] ?? 0;
    // Whole messages dispatched so far; what is left of a cohort still waits. The fluid sums drift by about
    // 1e-14 of the total per step (over 1e-6 of a message after hours at 500k a minute): a fixed tolerance
    // left one message "waiting" every minute, and a waiting message puts every consumer in flight.
    const dispatchedBefore = dispatchedTotal;
    dispatchedTotal = Math.min(arrivedTotal, Math.floor(servedTotal + Math.max(1e-6, 1e-9 * arrivedTotal)));
    const waiting = arrivedTotal - dispatchedTotal;
    const inFlight =
      waiting > 0 ? ready : Math.min(ready, Math.round(Math.min(busySecondsLastStep / DT, ready)));
    peakBacklog = Math.max(peakBacklog, waiting);

    let enqueueCount = minute < traceMinutes ? (counts[minute] ?? 0) : 0;
    let dispatchCount = dispatchedTotal - dispatchedBefore;
    if (restarts.has(minute)) {
      // Counters restart at zero mid-minute; the published delta is the new count less the old total.
      enqueueCount = Math.round(enqueueCount / 2) - (arrivedTotal - enqueueCount);
      dispatchCount = Math.round(dispatchCount / 2) - dispatchedBefore;
    }
    const gap = missing[minute] ?? 0;
    if (gap !== MISSING_ALL) {
      const window: MetricWindow = { start: EPOCH + 60 * minute };
      if (gap !== 1) window.enqueueCount = enqueueCount;
      if (gap !== 2) window.dispatchCount = dispatchCount;
      if (gap !== 3) window.queueSize = waiting + inFlight;
      if (gap !== 4) window.consumerCount = ready;
      published.push(window);
      if (published.length > 60) published.shift();
    }

    const current = ready + starting.reduce((sum, s) => sum + s.count, 0);
    const decided = policy.decide({
      now: EPOCH + end,
      windows: published,
      fleet: { current: ready, desired: current },
      lastScaleOutAt: lastOut,
      lastScaleInAt: lastIn,
    });
    const wanted = Math.max(0, Math.min(options.maxConsumers, Math.round(decided)));
    if (wanted > current) {
      starting.push({ count: wanted - current, ready: end + options.startupSeconds });
      lastOut = EPOCH + end;
      events.push({ at: end, from: current, to: wanted });
    } else if (wanted < current) {
      // Consumers still starting go first (the latest first), then idle ones, then busy ones.
      let toRemove = current - wanted;
      starting.sort((a, b) => a.ready - b.ready);
      while (toRemove > 0 && starting.length > 0) {
        const last = starting[starting.length - 1] as Starting;
        const take = Math.min(toRemove, last.count);
        last.count -= take;
        toRemove -= take;
        if (last.count === 0) starting.pop();
      }
      if (toRemove > 0) {
        const idle = ready - inFlight;
        const busyRemoved = Math.max(0, toRemove - idle);
        consumerMinutes += (busyRemoved * meanService) / 2 / 60;
        ready -= toRemove;
      }
      lastIn = EPOCH + end;
      events.push({ at: end, from: current, to: wanted });
    }
  }
  const horizon = 60 * minutes;
  let unserved = 0;
  for (let k = head; k < remaining.length; k++) {
    const left = remaining[k] ?? 0;
    if (left <= 1e-12) continue;
    const wait = horizon - (k + 0.5) * DT;
    waits.add(wait, left);
    unserved += left;
    if (wait > lateAfterSeconds) {
      const arrivalMinute = Math.floor(k / STEPS);
      lateByMinute[arrivalMinute] = (lateByMinute[arrivalMinute] ?? 0) + left;
    }
  }
  return { waits, lateByMinute, unserved, peakBacklog, consumerMinutes, events };
}
