import { createHash, randomUUID } from "node:crypto";
import jsonata from "jsonata";

/** A JSON value as states pass it around. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What an expression can read: `$states` and the variables in scope. */
export interface Bindings {
  states: {
    input: Json;
    context: Json;
    result?: Json;
    errorOutput?: Json;
  };
  variables: Record<string, Json>;
}

/** An error a state raises: its `name` is what ErrorEquals matches, as in Step Functions. */
export class StatesError extends Error {
  constructor(
    name: string,
    override readonly cause: string,
  ) {
    super(cause);
    this.name = name;
  }
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;
const compiled = new Map<string, ReturnType<typeof jsonata>>();

/** Whether a field value is a JSONata expression (`{% … %}`) rather than a literal. */
export const isExpression = (value: unknown): value is string =>
  typeof value === "string" && EXPRESSION.test(value.trim());

/**
 * Evaluates one `{% … %}` expression. A failure, or a result that is not JSON (undefined, a function),
 * is `States.QueryEvaluationError`, as Step Functions reports it.
 */
export async function evaluateExpression(text: string, bindings: Bindings, field: string): Promise<Json> {
  const source = (EXPRESSION.exec(text.trim())?.[1] ?? "").trim();
  let expression = compiled.get(source);
  try {
    if (expression === undefined) {
      expression = jsonata(source);
      compiled.set(source, expression);
    }
    const result: unknown = await expression.evaluate(null, {
      ...STEP_FUNCTIONS_FUNCTIONS,
      states: bindings.states,
      ...bindings.variables,
    });
    if (result === undefined) {
      throw new Error(
        `The JSONata expression '${source}' specified for the field '${field}' returned nothing (undefined).`,
      );
    }
    if (typeof result === "function")
      throw new Error(`The JSONata expression '${source}' returned a function.`);
    return toJson(result);
  } catch (error) {
    if (error instanceof StatesError) throw error;
    const message = (error as { message?: string }).message ?? String(error);
    throw new StatesError("States.QueryEvaluationError", message);
  }
}

const HASHES: Record<string, string> = {
  MD5: "md5",
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

/** The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse). */
const STEP_FUNCTIONS_FUNCTIONS = {
  partition: (array: unknown[], size: number) => {
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  range: (start: number, end: number, step: number) => {
    const out: number[] = [];
    for (let n = start; step > 0 ? n <= end : n >= end; n += step) out.push(n);
    return out;
  },
  hash: (value: string, algorithm: string) => {
    const name = HASHES[algorithm];
    if (name === undefined) throw new Error(`The hash algorithm '${algorithm}' is not supported`);
    return createHash(name).update(value).digest("hex");
  },
  random: (seed?: number) => {
    if (seed === undefined) return Math.random();
    // mulberry32: the same seed gives the same number, as AWS documents for $random(seed).
    let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  },
  uuid: () => randomUUID(),
  parse: (text: string) => JSON.parse(text) as unknown,
};

/** Why an expression does not parse, or undefined when it does. */
export function syntaxError(text: string): string | undefined {
  const source = (EXPRESSION.exec(text.trim())?.[1] ?? "").trim();
  try {
    if (!compiled.has(source)) compiled.set(source, jsonata(source));
    return undefined;
  } catch (error) {
    return (error as { message?: string }).message ?? String(error);
  }
}

/** JSONata's results can carry its sequence markers: keep only plain JSON. */
function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Evaluates a field that may be an expression, or an object/array template holding expressions. */
export async function evaluateTemplate(value: unknown, bindings: Bindings, field: string): Promise<Json> {
  if (isExpression(value)) return evaluateExpression(value, bindings, field);
  if (Array.isArray(value)) {
    const items: Json[] = [];
    for (const item of value) items.push(await evaluateTemplate(item, bindings, field));
    return items;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateTemplate(item, bindings, field);
    return out;
  }
  return value as Json;
}
