import { type MetricDatum, StandardUnit } from "@aws-sdk/client-cloudwatch";
import { invalidParameterCombination, invalidParameterValue, missingParameter } from "../wire/errors.js";
import type { BucketIncrement } from "./series.js";

/** PutMetricData's documented limits. */
export const MAX_DATUMS = 1000;
export const MAX_DIMENSIONS = 30;
export const MAX_VALUES = 150;
/** CloudWatch rejects magnitudes beyond 2^360 (and NaN, ±Infinity). */
const MAX_MAGNITUDE = 2 ** 360;
const MIN_MAGNITUDE = 2 ** -260;
const TWO_WEEKS_MS = 14 * 24 * 3600_000;
const TWO_HOURS_MS = 2 * 3600_000;
const UNITS = new Set<string>(Object.values(StandardUnit));

export interface ValidatedDatum {
  metricName: string;
  dimensions: { Name: string; Value: string }[];
  unit: string;
  increment: BucketIncrement;
}

function checkNumber(value: number, name: string): number {
  const magnitude = Math.abs(value);
  if (
    !Number.isFinite(value) ||
    magnitude > MAX_MAGNITUDE ||
    (magnitude !== 0 && magnitude < MIN_MAGNITUDE)
  ) {
    throw invalidParameterValue(`The value ${value} for parameter ${name} is invalid.`);
  }
  return value;
}

/** Bucket start for a timestamp at a storage resolution (1 s high resolution, else 1 min). */
export const bucketTime = (timestamp: number, storageResolution: number) => {
  const unit = storageResolution === 1 ? 1000 : 60_000;
  return Math.floor(timestamp / unit) * unit;
};

export function checkNamespace(namespace: unknown, external: boolean): string {
  if (namespace === undefined || namespace === "") {
    throw missingParameter("The parameter Namespace is required.");
  }
  if (
    typeof namespace !== "string" ||
    namespace.length > 255 ||
    !/^[\x20-\x7e]+$/.test(namespace) ||
    namespace.startsWith(":")
  ) {
    throw invalidParameterValue(`The value ${String(namespace)} for parameter Namespace is invalid.`);
  }
  // Namespaces starting with AWS/ belong to AWS services; only the local cloud's own collector writes them.
  if (external && namespace.startsWith("AWS/")) {
    throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  }
  return namespace;
}

function checkDatum(datum: MetricDatum, name: string, now: number): ValidatedDatum {
  if (datum.MetricName === undefined || datum.MetricName === "") {
    throw missingParameter(`The parameter ${name}.MetricName is required.`);
  }
  if (datum.MetricName.length > 255) {
    throw invalidParameterValue(`The value for parameter ${name}.MetricName is longer than 255 characters.`);
  }
  const dimensions = datum.Dimensions ?? [];
  if (dimensions.length > MAX_DIMENSIONS) {
    throw invalidParameterValue(
      `The collection ${name}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`,
    );
  }
  const seen = new Set<string>();
  dimensions.forEach((dimension, index) => {
    const at = `${name}.Dimensions.member.${index + 1}`;
    if (dimension.Name === undefined || dimension.Name === "")
      throw missingParameter(`The parameter ${at}.Name is required.`);
    if (dimension.Value === undefined || dimension.Value === "")
      throw missingParameter(`The parameter ${at}.Value is required.`);
    if (dimension.Name.length > 255 || dimension.Value.length > 1024) {
      throw invalidParameterValue(`The value for parameter ${at} is too long.`);
    }
    if (seen.has(dimension.Name)) {
      throw invalidParameterValue(`No Metric may specify the same dimension name twice (${dimension.Name}).`);
    }
    seen.add(dimension.Name);
  });

  const unit = datum.Unit ?? "None";
  if (!UNITS.has(unit))
    throw invalidParameterValue(`The value ${unit} for parameter ${name}.Unit is invalid.`);
  const resolution = datum.StorageResolution ?? 60;
  if (resolution !== 1 && resolution !== 60) {
    throw invalidParameterValue(
      `The value ${resolution} for parameter ${name}.StorageResolution is invalid.`,
    );
  }
  const timestamp = datum.Timestamp === undefined ? now : datum.Timestamp.getTime();
  if (Number.isNaN(timestamp))
    throw invalidParameterValue(`The value for parameter ${name}.Timestamp is invalid.`);
  if (timestamp > now + TWO_HOURS_MS) {
    throw invalidParameterValue(
      `The parameter ${name}.Timestamp must specify a time no more than two hours in the future.`,
    );
  }
  if (timestamp < now - TWO_WEEKS_MS) {
    throw invalidParameterValue(
      `The parameter ${name}.Timestamp must specify a time within the past two weeks.`,
    );
  }

  const given = [
    datum.Value !== undefined ? "Value" : undefined,
    datum.StatisticValues !== undefined ? "StatisticValues" : undefined,
    datum.Values !== undefined ? "Values" : undefined,
  ].filter((field) => field !== undefined);
  if (given.length === 0) {
    throw missingParameter(
      `The parameter ${name}.Value, ${name}.StatisticValues or ${name}.Values is required.`,
    );
  }
  if (given.length > 1) {
    throw invalidParameterCombination(
      `The parameters ${name}.${given[0]} and ${name}.${given[1]} are mutually exclusive and you have specified both.`,
    );
  }
  if (datum.Counts !== undefined && datum.Values === undefined) {
    throw invalidParameterCombination(`The parameter ${name}.Counts requires ${name}.Values.`);
  }
  const time = bucketTime(timestamp, resolution);
  const base = {
    metricName: datum.MetricName,
    dimensions: dimensions.map((d) => ({ Name: d.Name ?? "", Value: d.Value ?? "" })),
    unit,
  };

  if (datum.Value !== undefined) {
    const value = checkNumber(datum.Value, `${name}.Value`);
    return { ...base, increment: { time, count: 1, sum: value, min: value, max: value } };
  }
  if (datum.StatisticValues !== undefined) {
    const set = datum.StatisticValues;
    for (const field of ["SampleCount", "Sum", "Minimum", "Maximum"] as const) {
      if (set[field] === undefined)
        throw missingParameter(`The parameter ${name}.StatisticValues.${field} is required.`);
      checkNumber(set[field], `${name}.StatisticValues.${field}`);
    }
    const { SampleCount = 0, Sum = 0, Minimum = 0, Maximum = 0 } = set;
    if (SampleCount <= 0) {
      throw invalidParameterValue(
        `The parameter ${name}.StatisticValues.SampleCount must be greater than 0.`,
      );
    }
    if (Minimum > Maximum) {
      throw invalidParameterValue(
        `The parameter ${name}.StatisticValues.Maximum must be greater than or equal to ${name}.StatisticValues.Minimum.`,
      );
    }
    return {
      ...base,
      increment: { time, count: SampleCount, sum: Sum, min: Minimum, max: Maximum, raw: null },
    };
  }
  const values = datum.Values ?? [];
  const counts = datum.Counts ?? values.map(() => 1);
  if (values.length === 0 || values.length > MAX_VALUES) {
    throw invalidParameterValue(
      `The collection ${name}.Values must have between 1 and ${MAX_VALUES} members.`,
    );
  }
  if (counts.length !== values.length) {
    throw invalidParameterValue(`The parameters ${name}.Values and ${name}.Counts must be of the same size.`);
  }
  const raw: number[] = [];
  let count = 0;
  let sum = 0;
  values.forEach((value, index) => {
    checkNumber(value, `${name}.Values.member.${index + 1}`);
    const times = counts[index] ?? 1;
    if (!Number.isFinite(times) || times < 0) {
      throw invalidParameterValue(
        `The value ${times} for parameter ${name}.Counts.member.${index + 1} is invalid.`,
      );
    }
    count += times;
    sum += value * times;
    // Raw values for percentiles; a count is a weight, so large counts are capped to keep memory bounded.
    for (let n = 0; n < Math.min(Math.round(times), 1000); n++) raw.push(value);
  });
  if (count === 0) throw invalidParameterValue(`The parameter ${name}.Counts must not be all zeros.`);
  return {
    ...base,
    increment: { time, count, sum, min: Math.min(...values), max: Math.max(...values), raw },
  };
}

/** PutMetricData's datums checked as CloudWatch checks them, each turned into a bucket increment. */
export function validateMetricData(data: MetricDatum[] | undefined, now: number): ValidatedDatum[] {
  if (data === undefined || data.length === 0)
    throw missingParameter("The parameter MetricData is required.");
  if (data.length > MAX_DATUMS) {
    throw invalidParameterValue(`The collection MetricData must not have a size greater than ${MAX_DATUMS}.`);
  }
  return data.map((datum, index) => checkDatum(datum, `MetricData.member.${index + 1}`, now));
}
