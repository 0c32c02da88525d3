import { type IpRange, parseCidr } from "./ip.js";

/**
 * EventBridge event patterns, compiled and validated as AWS's Event Ruler does
 * (`JsonRuleCompiler`): the same content filters and the same reasons in `InvalidEventPatternException`.
 *
 * Written here rather than taken from npm: no maintained npm package implements Event Ruler's
 * semantics together with its validation (the one that claimed to, `eb-patterns`, is not on the
 * registry; `serverless-offline-aws-eventbridge` embeds a partial matcher in a Serverless plugin and
 * validates nothing), and TestEventPattern's answer to a bad pattern is what users rely on.
 */

export type Scalar = string | number | boolean | null;

export type Matcher =
  | { kind: "exact"; value: Scalar }
  | { kind: "prefix" | "suffix"; value: string; ignoreCase: boolean }
  | { kind: "equals-ignore-case"; value: string }
  | { kind: "wildcard"; regex: RegExp }
  | { kind: "anything-but"; values: Array<string | number> }
  | { kind: "anything-but-prefix" | "anything-but-suffix"; value: string }
  | { kind: "anything-but-ignore-case"; values: string[] }
  | { kind: "anything-but-wildcard"; regex: RegExp }
  | { kind: "numeric"; lower?: Bound; upper?: Bound }
  | { kind: "exists"; exists: boolean }
  | { kind: "cidr"; range: IpRange };

export interface Bound {
  value: number;
  /** `>` / `<` rather than `>=` / `<=`. */
  open: boolean;
}

/** One object level of a pattern: its fields (matchers at a leaf, a nested level otherwise) and $or groups. */
export interface CompiledPattern {
  fields: Array<{ name: string; leaf: Matcher[] } | { name: string; nested: CompiledPattern }>;
  /** Each `$or` at this level: at least one of its alternatives must match. */
  ors: CompiledPattern[][];
}

/** A pattern EventBridge refuses, with Event Ruler's reason. */
export class InvalidEventPatternError extends Error {
  constructor(readonly reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = "InvalidEventPatternError";
  }
}

const RESERVED_IN_OR = new Set([
  "anything-but",
  "exists",
  "numeric",
  "prefix",
  "suffix",
  "equals-ignore-case",
  "wildcard",
  "cidr",
]);

const fail = (reason: string): never => {
  throw new InvalidEventPatternError(reason);
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Parses and validates an event pattern (the JSON text PutRule and TestEventPattern take). */
export function compilePattern(text: string): CompiledPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail((error as Error).message);
  }
  if (!isObject(parsed)) return fail("Filter is not an object");
  return compileObject(parsed, false);
}

function compileObject(object: Record<string, unknown>, insideOr: boolean): CompiledPattern {
  const entries = Object.entries(object);
  if (entries.length === 0) fail("Empty objects are not allowed");
  const compiled: CompiledPattern = { fields: [], ors: [] };
  for (const [name, value] of entries) {
    if (name === "$or") {
      compiled.ors.push(compileOr(value));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(name)) {
      fail(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    if (Array.isArray(value)) compiled.fields.push({ name, leaf: compileMatchers(value) });
    else if (isObject(value)) compiled.fields.push({ name, nested: compileObject(value, insideOr) });
    else fail(`"${name}" must be an object or an array`);
  }
  return compiled;
}

function compileOr(value: unknown): CompiledPattern[] {
  if (!Array.isArray(value)) return fail("It must be an Array followed with $or.");
  const alternatives = value.map((alternative) =>
    isObject(alternative)
      ? compileObject(alternative, true)
      : fail("Only JSON object is allowed in array of $or relationship."),
  );
  if (alternatives.length < 2) fail("There must have at least 2 Objects in $or relationship.");
  return alternatives;
}

function compileMatchers(values: unknown[]): Matcher[] {
  if (values.length === 0) fail("Empty arrays are not allowed");
  return values.map((value): Matcher => {
    if (isObject(value)) return compileExpression(value);
    if (Array.isArray(value)) return fail("Match value must be String, number, true, false, or null");
    return { kind: "exact", value: value as Scalar };
  });
}

function single(expression: Record<string, unknown>): [string, unknown] {
  const entries = Object.entries(expression);
  const [first] = entries;
  if (first === undefined) return fail("Match expression name not found");
  if (entries.length > 1) {
    return fail(
      first[0] === "numeric" || first[0] === "anything-but"
        ? "Too many elements in numeric expression"
        : "Only one key allowed in match expression",
    );
  }
  return first;
}

function compileExpression(expression: Record<string, unknown>): Matcher {
  const [type, operand] = single(expression);
  switch (type) {
    case "exact":
      return typeof operand === "string"
        ? { kind: "exact", value: operand }
        : fail("exact match pattern must be a string");
    case "prefix":
    case "suffix":
      return compileAffix(type, operand);
    case "equals-ignore-case":
      return typeof operand === "string"
        ? { kind: "equals-ignore-case", value: operand }
        : fail("equals-ignore-case match pattern must be a string");
    case "wildcard":
      return typeof operand === "string"
        ? { kind: "wildcard", regex: wildcardRegex(operand) }
        : fail("wildcard match pattern must be a string");
    case "numeric":
      return compileNumeric(operand);
    case "anything-but":
      return compileAnythingBut(operand);
    case "cidr": {
      if (typeof operand !== "string") return fail("prefix match pattern must be a string");
      const range = parseCidr(operand);
      return typeof range === "string" ? fail(range) : { kind: "cidr", range };
    }
    case "exists":
      return typeof operand === "boolean"
        ? { kind: "exists", exists: operand }
        : fail("exists match pattern must be either true or false.");
    default:
      return fail(`Unrecognized match type ${type}`);
  }
}

/** `{"prefix": "x"}`, or `{"prefix": {"equals-ignore-case": "x"}}` as EventBridge documents. */
function compileAffix(type: "prefix" | "suffix", operand: unknown): Matcher {
  if (typeof operand === "string") return { kind: type, value: operand, ignoreCase: false };
  if (isObject(operand)) {
    const [inner, value] = single(operand);
    if (inner === "equals-ignore-case" && typeof value === "string") {
      return { kind: type, value, ignoreCase: true };
    }
  }
  return fail(`${type} match pattern must be a string`);
}

function compileAnythingBut(operand: unknown): Matcher {
  if (isObject(operand)) {
    const [inner, value] = single(operand);
    if (inner === "prefix" || inner === "suffix") {
      if (typeof value !== "string") fail("prefix/suffix match pattern must be a string");
      if (value === "") fail("Null prefix/suffix not allowed");
      return {
        kind: inner === "prefix" ? "anything-but-prefix" : "anything-but-suffix",
        value: String(value),
      };
    }
    if (inner === "wildcard") {
      if (typeof value !== "string") fail("wildcard match pattern must be a string");
      return { kind: "anything-but-wildcard", regex: wildcardRegex(String(value)) };
    }
    if (inner === "equals-ignore-case") {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0 || values.some((item) => typeof item !== "string")) {
        fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
      }
      return { kind: "anything-but-ignore-case", values: values as string[] };
    }
    return fail(`Unsupported anything-but pattern: ${inner}`);
  }
  if (typeof operand === "string" || typeof operand === "number") {
    return { kind: "anything-but", values: [operand] };
  }
  if (!Array.isArray(operand)) {
    return fail("Value of anything-but must be an array or single string/number value.");
  }
  if (operand.some((item) => typeof item !== "string" && typeof item !== "number")) {
    fail("Inside anything but list, start|null|boolean is not supported.");
  }
  const numbers = operand.filter((item) => typeof item === "number").length;
  if (operand.length === 0 || (numbers > 0 && numbers < operand.length)) {
    fail("Inside anything but list, either all values are number or string, mixed type is not supported");
  }
  return { kind: "anything-but", values: operand as Array<string | number> };
}

function compileNumeric(operand: unknown): Matcher {
  if (!Array.isArray(operand)) return fail("Value of numeric must be an array.");
  const [operator, value, ...rest] = operand;
  if (typeof operator !== "string") return fail(`Invalid member in numeric match: ${String(operator)}`);
  const number = (op: string, item: unknown) =>
    typeof item === "number" ? item : fail(`Value of ${op === "=" ? "equals" : op} must be numeric`);
  switch (operator) {
    case "=": {
      const equals = number(operator, value);
      if (rest.length > 0) fail("Too many elements in numeric expression");
      return {
        kind: "numeric",
        lower: { value: equals, open: false },
        upper: { value: equals, open: false },
      };
    }
    case "<":
    case "<=": {
      const upper = { value: number(operator, value), open: operator === "<" };
      if (rest.length > 0) fail("Too many elements in numeric expression");
      return { kind: "numeric", upper };
    }
    case ">":
    case ">=": {
      const lower = { value: number(operator, value), open: operator === ">" };
      if (rest.length === 0) return { kind: "numeric", lower };
      const [topOperator, top, ...more] = rest;
      if (typeof topOperator !== "string") return fail(`Bad value in numeric range: ${String(topOperator)}`);
      if (topOperator !== "<" && topOperator !== "<=") fail(`Bad numeric range operator: ${topOperator}`);
      const upper = { value: number(topOperator, top), open: topOperator === "<" };
      if (more.length > 0) fail("Too many terms in numeric range expression");
      if (lower.value > upper.value || (lower.value === upper.value && (lower.open || upper.open))) {
        fail("Bottom must be less than top");
      }
      return { kind: "numeric", lower, upper };
    }
    default:
      return fail(`Unrecognized numeric range operator: ${operator}`);
  }
}

/**
 * `*` matches any run of characters; `\*` and `\\` are a literal star and backslash. Event Ruler
 * refuses consecutive stars and any other escape.
 */
function wildcardRegex(pattern: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === "*") {
      if (pattern.charAt(index + 1) === "*") fail(`Consecutive wildcard characters at pos ${index + 1}`);
      source += "[\\s\\S]*";
    } else if (char === "\\") {
      const next = pattern.charAt(index + 1);
      if (next !== "*" && next !== "\\") fail(`Invalid escape character at pos ${index + 1}`);
      source += `\\${next}`;
      index++;
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
