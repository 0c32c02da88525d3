import type { MetricWindow } from "../../functions/autoscaling/metrics.js";
import { Rng, seedFor } from "./rng.js";
import type { Trace } from "./traces.js";

/** Epoch seconds of minute 0 of every run (2026-01-01T00:00Z), so reasons print readable clocks. */
export const EPOCH = 1_767_225_600;

/** Every message of a trace, drawn once and replayed to every policy (common random numbers). */
export interface Workload {
  trace: Trace;
  /** Arrival times, seconds from the start, ascending. */
  arrivals: Float64Array;
  /** Seconds a consumer spends on each message. */
  service: Float64Array;
  /** Per minute: whether CloudWatch has no data point at all, or lacks one metric. */
  missing: Uint8Array;
}

/** Service times are log-normal around the minute's mean (sigma 0.5), cut at five times the mean. */
const SERVICE_SIGMA = 0.5;
const SERVICE_CAP = 5;
/** Share of minutes with no data point, and with one metric missing. */
const MISSING_MINUTE = 0.02;
const MISSING_METRIC = 0.01;

export const MISSING_NONE = 0;
export const MISSING_ALL = 5;

export function buildWorkload(trace: Trace, seed: number): Workload {
  const rng = new Rng(seedFor(seed, `arrivals:${trace.name}`));
  const counts = trace.arrivals.map((mean) => (trace.exactCounts ? Math.round(mean) : rng.poisson(mean)));
  const total = counts.reduce((sum, n) => sum + n, 0);
  const arrivals = new Float64Array(total);
  const service = new Float64Array(total);
  let index = 0;
  counts.forEach((count, minute) => {
    const mean = trace.serviceSeconds[minute] ?? 2;
    const times = Array.from({ length: count }, () => 60 * (minute + rng.next())).sort((a, b) => a - b);
    for (const time of times) {
      arrivals[index] = time;
      service[index] = Math.min(rng.logNormal(mean, SERVICE_SIGMA), SERVICE_CAP * mean);
      index++;
    }
  });
  const gaps = new Rng(seedFor(seed, `missing:${trace.name}`));
  const missing = new Uint8Array(trace.arrivals.length + 600);
  for (let m = 0; m < missing.length; m++) {
    const u = gaps.next();
    if (u < MISSING_MINUTE) missing[m] = MISSING_ALL;
    else if (u < MISSING_MINUTE + MISSING_METRIC) missing[m] = 1 + Math.floor(gaps.next() * 4);
  }
  return { trace, arrivals, service, missing };
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

export interface RunResult {
  /** Seconds each message waited before a consumer took it (unserved ones: until the end). */
  waits: Float64Array;
  unserved: number;
  peakBacklog: number;
  consumerMinutes: number;
  events: ScalingEvent[];
}

interface Consumer {
  /** When it is next free (start-up end for a consumer that has not served yet). */
  free: number;
  ready: number;
}

/**
 * A discrete-time run: each minute, messages are served first-in first-out by whichever consumer frees
 * up first (prefetch 1), then the minute's window is published as Amazon MQ would, then the policy
 * decides and the fleet changes at the minute boundary. New consumers take messages after the
 * start-up delay; removed ones finish the message they hold (and are paid for until then).
 */
export function simulate(workload: Workload, policy: Autoscaler, options: SimulationOptions): RunResult {
  const { arrivals, service, missing, trace } = workload;
  const total = arrivals.length;
  const minutes = trace.arrivals.length + options.tailMinutes;
  const waits = new Float64Array(total);
  const heap: Consumer[] = [];
  for (let i = 0; i < options.initialConsumers; i++) heap.push({ free: 0, ready: 0 });
  const published: MetricWindow[] = [];
  const events: ScalingEvent[] = [];
  const restarts = new Set(trace.restarts);
  let head = 0;
  let arrived = 0;
  let consumerMinutes = 0;
  let peakBacklog = 0;
  let lastOut: number | undefined;
  let lastIn: number | undefined;

  for (let minute = 0; minute < minutes; minute++) {
    const end = 60 * (minute + 1);
    consumerMinutes += heap.length;
    let dispatched = 0;
    while (head < total && heap.length > 0) {
      const arrival = arrivals[head] ?? 0;
      if (arrival >= end) break;
      const top = heap[0] as Consumer;
      const start = Math.max(arrival, top.free);
      if (start >= end) break;
      waits[head] = start - arrival;
      top.free = start + (service[head] ?? 0);
      siftDown(heap, 0);
      dispatched++;
      head++;
    }
    const arrivedBefore = arrived;
    while (arrived < total && (arrivals[arrived] ?? 0) < end) arrived++;
    const waiting = arrived - head;
    let inFlight = 0;
    let connected = 0;
    for (const consumer of heap) {
      if (consumer.ready <= end) connected++;
      if (consumer.free > end && consumer.free !== consumer.ready) inFlight++;
    }
    peakBacklog = Math.max(peakBacklog, waiting);
    const queueSize = waiting + inFlight;

    let enqueueCount = arrived - arrivedBefore;
    let dispatchCount = dispatched;
    if (restarts.has(minute)) {
      // Counters restart at zero mid-minute; the published delta is the new count less the old total.
      enqueueCount = Math.round(enqueueCount / 2) - arrivedBefore;
      dispatchCount = Math.round(dispatchCount / 2) - (head - dispatched);
    }
    const gap = missing[minute] ?? 0;
    if (gap !== MISSING_ALL) {
      const window: MetricWindow = { start: EPOCH + 60 * minute };
      if (gap !== 1) window.enqueueCount = enqueueCount;
      if (gap !== 2) window.dispatchCount = dispatchCount;
      if (gap !== 3) window.queueSize = queueSize;
      if (gap !== 4) window.consumerCount = connected;
      published.push(window);
      if (published.length > 60) published.shift();
    }

    const current = heap.length;
    const wanted = Math.max(
      0,
      Math.min(
        options.maxConsumers,
        Math.round(
          policy.decide({
            now: EPOCH + end,
            windows: published,
            fleet: { current: connected, desired: current },
            lastScaleOutAt: lastOut,
            lastScaleInAt: lastIn,
          }),
        ),
      ),
    );
    if (wanted > current) {
      for (let i = current; i < wanted; i++) {
        heap.push({ free: end + options.startupSeconds, ready: end + options.startupSeconds });
        siftUp(heap, heap.length - 1);
      }
      lastOut = EPOCH + end;
      events.push({ at: end, from: current, to: wanted });
    } else if (wanted < current) {
      consumerMinutes += removeConsumers(heap, current - wanted, end);
      lastIn = EPOCH + end;
      events.push({ at: end, from: current, to: wanted });
    }
  }
  const horizon = 60 * minutes;
  for (let i = head; i < total; i++) waits[i] = horizon - (arrivals[i] ?? 0);
  return { waits, unserved: total - head, peakBacklog, consumerMinutes, events };
}

/**
 * Removes consumers that are still starting first, then idle ones, then the busy ones closest to done.
 * Returns the consumer-minutes the busy ones still use finishing their message.
 */
function removeConsumers(heap: Consumer[], count: number, now: number): number {
  const rank = (c: Consumer): number => {
    if (c.ready > now) return -1e12 - c.ready;
    if (c.free <= now) return -1e9 + c.free;
    return c.free;
  };
  heap.sort((a, b) => rank(a) - rank(b));
  const removed = heap.splice(0, count);
  heap.sort((a, b) => a.free - b.free);
  let tail = 0;
  for (const consumer of removed) {
    if (consumer.ready <= now && consumer.free > now) tail += (consumer.free - now) / 60;
  }
  return tail;
}

function siftDown(heap: Consumer[], index: number): void {
  const n = heap.length;
  let i = index;
  const item = heap[i] as Consumer;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    let child = left;
    if (right < n && (heap[right] as Consumer).free < (heap[left] as Consumer).free) child = right;
    if ((heap[child] as Consumer).free >= item.free) break;
    heap[i] = heap[child] as Consumer;
    i = child;
  }
  heap[i] = item;
}

function siftUp(heap: Consumer[], index: number): void {
  let i = index;
  const item = heap[i] as Consumer;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as Consumer).free <= item.free) break;
    heap[i] = heap[parent] as Consumer;
    i = parent;
  }
  heap[i] = item;
}
