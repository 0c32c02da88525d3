import type { MetricWindow } from "../../../functions/autoscaling/metrics.js";

/** 2026-01-01T00:00Z: minute 0 of every test history. */
export const T0 = 1_767_225_600;

/** A small seeded generator so property tests are repeatable. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MinuteLoad {
  arrivals: number;
  consumers: number;
}

/**
 * Consistent windows for a queue whose consumers handle `perConsumerMinute` messages a minute each:
 * what they can take is dispatched, the rest waits, and the queue size is waiting plus one in flight
 * per busy consumer, so queue sizes always agree with the counts.
 */
export function history(
  loads: readonly MinuteLoad[],
  perConsumerMinute: number,
  startWaiting = 0,
): MetricWindow[] {
  let waiting = startWaiting;
  return loads.map((load, minute) => {
    const capacity = Math.floor(load.consumers * perConsumerMinute);
    const dispatchCount = Math.min(capacity, waiting + load.arrivals);
    waiting += load.arrivals - dispatchCount;
    const busy = Math.min(load.consumers, Math.round(dispatchCount / perConsumerMinute));
    return {
      start: T0 + 60 * minute,
      enqueueCount: load.arrivals,
      dispatchCount,
      queueSize: waiting + busy,
      consumerCount: load.consumers,
    };
  });
}

/** Decision time right after the last window of `windows` ended. */
export function endOf(windows: readonly MetricWindow[]): number {
  const last = windows.at(-1);
  if (!last) throw new Error("empty history");
  return last.start + 60;
}

export function steady(minutes: number, arrivals: number, consumers: number): MinuteLoad[] {
  return Array.from({ length: minutes }, () => ({ arrivals, consumers }));
}
