import type { CompiledPattern, Matcher, Scalar } from "./compile.js";
import { ipToBigInt } from "./ip.js";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Whether an event (any JSON value; an EventBridge event is an object) matches a compiled pattern,
 * with Event Ruler's semantics: every field of the pattern must match; a leaf matches when any of the
 * event's values there (an array offers each element) matches any matcher; a nested pattern over an
 * array of objects must match within one element (Ruler's array consistency); `exists` looks at
 * leaves only, so an object where a leaf is expected counts as absent.
 */
export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  return matchLevel(pattern, event);
}

function matchLevel(pattern: CompiledPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    // The fields of one nested pattern must all match inside the same element.
    return value.length === 0
      ? matchLevel(pattern, undefined)
      : value.some((item) => matchLevel(pattern, item));
  }
  const object = isObject(value) ? value : {};
  for (const field of pattern.fields) {
    const child = Object.hasOwn(object, field.name) ? object[field.name] : undefined;
    const ok = "leaf" in field ? matchLeaf(field.leaf, child) : matchLevel(field.nested, child);
    if (!ok) return false;
  }
  return pattern.ors.every((alternatives) =>
    alternatives.some((alternative) => matchLevel(alternative, value)),
  );
}

/** The leaf values at a field: scalars, each element of an array of scalars; objects are not leaves. */
function leafValues(value: unknown): Scalar[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (isObject(value)) return [];
  return [value as Scalar];
}

function matchLeaf(matchers: Matcher[], value: unknown): boolean {
  const values = leafValues(value);
  return matchers.some((matcher) =>
    matcher.kind === "exists"
      ? matcher.exists === values.length > 0
      : values.some((candidate) => matchValue(matcher, candidate)),
  );
}

const lower = (text: string) => text.toLowerCase();

function matchValue(matcher: Exclude<Matcher, { kind: "exists" }>, value: Scalar): boolean {
  switch (matcher.kind) {
    case "exact":
      return value === matcher.value || sameIp(value, matcher.value);
    case "prefix":
      return (
        typeof value === "string" &&
        (matcher.ignoreCase ? lower(value).startsWith(lower(matcher.value)) : value.startsWith(matcher.value))
      );
    case "suffix":
      return (
        typeof value === "string" &&
        (matcher.ignoreCase ? lower(value).endsWith(lower(matcher.value)) : value.endsWith(matcher.value))
      );
    case "equals-ignore-case":
      return typeof value === "string" && lower(value) === lower(matcher.value);
    case "wildcard":
      return typeof value === "string" && matcher.regex.test(value);
    case "anything-but":
      return !matcher.values.includes(value as string | number);
    case "anything-but-prefix":
      return typeof value === "string" && !value.startsWith(matcher.value);
    case "anything-but-suffix":
      return typeof value === "string" && !value.endsWith(matcher.value);
    case "anything-but-ignore-case":
      return typeof value === "string" && !matcher.values.some((item) => lower(item) === lower(value));
    case "anything-but-wildcard":
      return typeof value === "string" && !matcher.regex.test(value);
    case "cidr": {
      const ip = typeof value === "string" ? ipToBigInt(value) : undefined;
      return (
        ip !== undefined &&
        ip.version === matcher.range.version &&
        ip.value >= matcher.range.bottom &&
        ip.value <= matcher.range.top
      );
    }
    case "numeric": {
      if (typeof value !== "number") return false;
      const { lower: bottom, upper: top } = matcher;
      if (bottom !== undefined && (bottom.open ? value <= bottom.value : value < bottom.value)) return false;
      if (top !== undefined && (top.open ? value >= top.value : value > top.value)) return false;
      return true;
    }
  }
}

/** Event Ruler compares IP address literals as addresses: `::1` is `0:0:0:0:0:0:0:1`. */
function sameIp(value: Scalar, pattern: Scalar): boolean {
  if (typeof value !== "string" || typeof pattern !== "string") return false;
  const a = ipToBigInt(value);
  const b = ipToBigInt(pattern);
  return a !== undefined && b !== undefined && a.version === b.version && a.value === b.value;
}
