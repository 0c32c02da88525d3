/**
 * How CloudWatch (a Java service) writes numbers and dates in alarm reasons, reasonData and
 * notifications: `50.0` rather than `50`, `1.0E7` past ten million, `2019-10-02T17:04:40.989+0000`.
 */

/** Java's `Double.toString`: at least one decimal, scientific notation outside [1e-3, 1e7). */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const [mantissa = "", exponent = "0"] = value.toExponential().split("e");
  const digits = mantissa.includes(".") ? mantissa : `${mantissa}.0`;
  return `${digits}E${Number(exponent)}`;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `2019-10-02T17:04:40.989+0000`: reasonData, event state timestamps, notifications. */
export function javaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("Z", "+0000");
}

/** `2019-10-02T17:04:40Z`: the EventBridge envelope's `time`. */
export function eventTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/** `02/10/19 16:59:00` (dd/MM/yy HH:mm:ss, UTC): a datapoint's time in a StateReason. */
export function reasonDate(epochMs: number): string {
  const date = new Date(epochMs);
  return (
    `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCFullYear() % 100)} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/** A number CloudWatch writes as a Java double inside JSON (`threshold`, `value`, `sampleCount`). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

export type JavaJson =
  | string
  | number
  | boolean
  | null
  | JavaDouble
  | JavaJson[]
  | { [key: string]: JavaJson };

/** JSON.stringify, except that JavaDouble values print as Java doubles (`50.0`). */
export function javaJson(value: JavaJson): string {
  if (value instanceof JavaDouble) return javaDouble(value.value);
  if (Array.isArray(value)) return `[${value.map(javaJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, entry]) => `${JSON.stringify(key)}:${javaJson(entry)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
