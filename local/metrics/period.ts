import { InvalidMetricsPeriodError } from "./errors.js";

/**
 * The collection period and its alignment to wall-clock boundaries, pure.
 *
 * Amazon MQ publishes once a minute (60). 10 and 30 are accepted for fast local runs: they are the
 * sub-minute periods CloudWatch alarms and GetMetricData accept for high-resolution data, so every
 * period the collector can run at is one an alarm can evaluate. Nothing else is accepted: any other
 * value would produce data no AWS alarm period lines up with.
 */
export const ALLOWED_PERIOD_SECONDS = [10, 30, 60] as const;
export type MetricsPeriodSeconds = (typeof ALLOWED_PERIOD_SECONDS)[number];
export const DEFAULT_PERIOD_SECONDS: MetricsPeriodSeconds = 60;

export function isAllowedPeriod(value: number): value is MetricsPeriodSeconds {
  return (ALLOWED_PERIOD_SECONDS as readonly number[]).includes(value);
}

/** Reads `MQOPS_METRICS_PERIOD_SECONDS`: unset or empty is 60; anything but 10, 30 or 60 is refused. */
export function parseMetricsPeriod(raw: string | undefined): MetricsPeriodSeconds {
  if (raw === undefined || raw.trim() === "") return DEFAULT_PERIOD_SECONDS;
  const value = Number(raw.trim());
  if (!isAllowedPeriod(value)) {
    throw new InvalidMetricsPeriodError(
      `MQOPS_METRICS_PERIOD_SECONDS must be one of ${ALLOWED_PERIOD_SECONDS.join(", ")} (seconds), got "${raw}"`,
    );
  }
  return value;
}

export function assertAllowedPeriod(periodSeconds: number): asserts periodSeconds is MetricsPeriodSeconds {
  if (!isAllowedPeriod(periodSeconds)) {
    throw new InvalidMetricsPeriodError(
      `the metrics period must be one of ${ALLOWED_PERIOD_SECONDS.join(", ")} seconds, got ${periodSeconds}`,
    );
  }
}

/** The boundary at or before `nowMs` (periods start at multiples of the period since the epoch). */
export function boundaryAtOrBefore(nowMs: number, periodSeconds: number): number {
  const periodMs = periodSeconds * 1000;
  return Math.floor(nowMs / periodMs) * periodMs;
}

/** The first boundary strictly after `nowMs`: when the next collection runs. */
export function nextBoundary(nowMs: number, periodSeconds: number): number {
  return boundaryAtOrBefore(nowMs, periodSeconds) + periodSeconds * 1000;
}

/** The start of the last complete period at `nowMs`: the timestamp of what a collection then reports. */
export function lastCompletePeriodStart(nowMs: number, periodSeconds: number): number {
  return boundaryAtOrBefore(nowMs, periodSeconds) - periodSeconds * 1000;
}

/** CloudWatch's StorageResolution: 1 (high resolution) for sub-minute periods, 60 otherwise. */
export function storageResolution(periodSeconds: number): 1 | 60 {
  return periodSeconds < 60 ? 1 : 60;
}
