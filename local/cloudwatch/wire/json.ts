import type { NormalizedSchema } from "@smithy/core/schema";
import { AwsServiceError } from "../../server/aws-error.js";

const serialization = (message: string) => new AwsServiceError("SerializationException", message, 400);

const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A value of the AWS JSON 1.0 wire, normalised by its shape: timestamps (epoch seconds, as the SDKs
 * send them, or ISO 8601) become `Date`; members not in the model are dropped.
 */
export function decodeJson(schema: NormalizedSchema, value: unknown, path = "input"): unknown {
  if (value === null || value === undefined) return undefined;
  if (schema.isStructSchema()) {
    if (!isObject(value)) throw serialization(`Expected a structure at ${path}`);
    const result: Record<string, unknown> = {};
    for (const [name, member] of schema.structIterator()) {
      const decoded = decodeJson(member, value[name], `${path}.${name}`);
      if (decoded !== undefined) result[name] = decoded;
    }
    return result;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) throw serialization(`Expected a list at ${path}`);
    const item = schema.getValueSchema();
    return value.map((element, index) => decodeJson(item, element, `${path}[${index}]`));
  }
  if (schema.isMapSchema()) {
    if (!isObject(value)) throw serialization(`Expected a map at ${path}`);
    const item = schema.getValueSchema();
    return Object.fromEntries(
      Object.entries(value).map(([key, element]) => [key, decodeJson(item, element, `${path}.${key}`)]),
    );
  }
  if (schema.isTimestampSchema()) {
    const date =
      typeof value === "number" ? new Date(value * 1000) : typeof value === "string" ? new Date(value) : null;
    if (date === null || Number.isNaN(date.getTime())) throw serialization(`Expected a timestamp at ${path}`);
    return date;
  }
  if (schema.isNumericSchema()) {
    // Smithy's JSON protocols send the non-finite doubles as strings.
    if (typeof value === "string" && NON_FINITE.has(value)) return Number(value);
    if (typeof value !== "number") throw serialization(`Expected a number at ${path}`);
    return value;
  }
  if (schema.isBooleanSchema()) {
    if (typeof value !== "boolean") throw serialization(`Expected a boolean at ${path}`);
    return value;
  }
  if (schema.isStringSchema()) {
    if (typeof value !== "string") throw serialization(`Expected a string at ${path}`);
    return value;
  }
  return value;
}

/** An operation's normalised output on the AWS JSON 1.0 wire: `Date` → epoch seconds. */
export function encodeJson(schema: NormalizedSchema, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (schema.isStructSchema()) {
    if (!isObject(value)) return undefined;
    const result: Record<string, unknown> = {};
    for (const [name, member] of schema.structIterator()) {
      const encoded = encodeJson(member, value[name]);
      if (encoded !== undefined) result[name] = encoded;
    }
    return result;
  }
  if (schema.isListSchema()) {
    const item = schema.getValueSchema();
    return Array.isArray(value) ? value.map((element) => encodeJson(item, element)) : undefined;
  }
  if (schema.isMapSchema()) {
    if (!isObject(value)) return undefined;
    const item = schema.getValueSchema();
    return Object.fromEntries(
      Object.entries(value).map(([key, element]) => [key, encodeJson(item, element)]),
    );
  }
  if (schema.isTimestampSchema()) return value instanceof Date ? value.getTime() / 1000 : value;
  return value;
}
