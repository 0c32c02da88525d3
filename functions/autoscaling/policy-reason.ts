import type { ScalingEstimates } from "./policy-types.js";

/** The estimates in words: arrivals, service rate, backlog, and how long the newest message waits. */
export function describe(e: ScalingEstimates): string {
  const rate = `${round(e.arrivalsPerMinute)} arrivals in the last minute (${round(e.sustainedArrivalsPerMinute)}/min over 5)`;
  const service = `${round(e.servicePerConsumerMinute)} msg/min per busy consumer (${e.serviceRateSource})`;
  const backlog = `${e.waiting} waiting of ${e.queueSize} queued`;
  const allowance = `allowance ${round(e.drainAllowanceSeconds)} s`;
  const n = e.targetConsumers;
  if (e.waiting === 0 || n === 0) return `${rate}, ${service}, ${backlog}; ${n} consumers needed`;
  const capacity = n * e.servicePerConsumerMinute;
  const newest = `a message arriving now waits ~${round((e.waiting / capacity) * 60)} s (${allowance})`;
  const spare = capacity - e.sustainedArrivalsPerMinute;
  const clears =
    spare > 0 ? `the backlog clears in ${round((e.waiting / spare) * 60)} s` : "the backlog still grows";
  return `${rate}, ${service}, ${backlog}; with ${n} consumers ${newest} and ${clears}`;
}

export function round(value: number): string {
  return value >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

/** HH:MM (UTC) of an epoch second. */
export function clock(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(11, 16);
}
