import { invalidExecutionInput, invalidName, invalidToken, validationError } from "./errors.js";

// Step Functions' naming rule: 1–80 characters, none of white space, brackets, wildcards,
// `"#%\^|~\`$&,;:/` or control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the rule excludes
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/** A state machine or execution name as Step Functions accepts it; InvalidName otherwise. */
export function checkName(name: unknown): string {
  if (typeof name !== "string" || name.length < 1 || name.length > 80 || FORBIDDEN.test(name)) {
    throw invalidName(`Invalid Name: '${String(name)}'`);
  }
  return name;
}

/** Step Functions' limit on an execution's input and a task's output: 256 KiB of UTF-8. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * An execution input: a JSON text of at most 256 KiB ("{}" when absent). Step Functions accepts any
 * JSON value here, not only objects (a Map-first workflow takes an array), and so does the local cloud.
 */
export function checkInput(input: unknown): string {
  if (input === undefined || input === null) return "{}";
  if (typeof input !== "string") throw invalidExecutionInput("Invalid State Machine Execution Input");
  if (Buffer.byteLength(input, "utf8") > MAX_PAYLOAD_BYTES) {
    throw invalidExecutionInput(
      `Invalid State Machine Execution Input: 'The input exceeds the maximum size of ${MAX_PAYLOAD_BYTES} bytes'`,
    );
  }
  try {
    JSON.parse(input);
  } catch {
    throw invalidExecutionInput(
      `Invalid State Machine Execution Input: 'Unexpected input: ${input.slice(0, 40)}'`,
    );
  }
  return input;
}

/** An optional string member of at most `max` characters (StopExecution's error and cause). */
export function optionalString(input: Record<string, unknown>, member: string, max: number) {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length > max) {
    throw validationError(
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  }
  return value;
}

/** `maxResults`: 0 or absent means the default; more than 1000 is a ValidationException. */
export function pageSize(input: Record<string, unknown>, fallback = 100): number {
  const value = input.maxResults;
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw validationError(
      "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  }
  return value;
}

/**
 * One page of `items` and the token of the next. The token is opaque to clients and names the list it
 * continues, so a token from another list (or a forged one) is InvalidToken, as on AWS.
 */
export function paginate<T>(items: T[], input: Record<string, unknown>, listKey: string, fallback = 100) {
  const size = pageSize(input, fallback);
  let offset = 0;
  if (typeof input.nextToken === "string" && input.nextToken !== "") {
    let parsed: { list?: unknown; offset?: unknown } = {};
    try {
      parsed = JSON.parse(Buffer.from(input.nextToken, "base64url").toString("utf8")) as typeof parsed;
    } catch {
      // falls through to InvalidToken below
    }
    if (parsed.list !== listKey || typeof parsed.offset !== "number" || parsed.offset < 0) {
      throw invalidToken(`Invalid Token: '${input.nextToken.slice(0, 40)}'`);
    }
    offset = parsed.offset;
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  const nextToken =
    next < items.length
      ? Buffer.from(JSON.stringify({ list: listKey, offset: next }), "utf8").toString("base64url")
      : undefined;
  return { page, nextToken };
}
