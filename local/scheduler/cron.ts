import { Cron } from "croner";
import { isRepeatedWallClock } from "./zone.js";

/**
 * AWS cron expressions (`cron(minutes hours day-of-month month day-of-week year)`), validated with
 * AWS's field rules and evaluated with croner, which supports every AWS wildcard (`L`, `W`, `#`,
 * `?`, names, ranges, steps, a year field, Quartz day numbering with 1 = Sunday) and IANA zones.
 * What croner spells differently is translated here: AWS's `5L` (last Thursday) is croner's `5#L`,
 * and `L` alone in day-of-week (the last day of the week) is Saturday, 7.
 */

const MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC";
const DAYS = "SUN|MON|TUE|WED|THU|FRI|SAT";

/** One field's grammar: comma-separated items of value, range, step (`*`, `a`, `a-b`, `a/n`, `a-b/n`). */
function listOf(value: string, extra = ""): RegExp {
  const item = `(?:\\*|${value})(?:-(?:${value}))?(?:/\\d+)?`;
  return new RegExp(`^(?:${extra}${item})(?:,(?:${extra}${item}))*$`, "i");
}

const FIELDS = {
  minutes: { grammar: listOf("\\d{1,2}"), min: 0, max: 59 },
  hours: { grammar: listOf("\\d{1,2}"), min: 0, max: 23 },
  dayOfMonth: {
    grammar:
      /^(?:\?|L|LW|\d{1,2}W|(?:(?:\*|\d{1,2})(?:-\d{1,2})?(?:\/\d+)?)(?:,(?:\*|\d{1,2})(?:-\d{1,2})?(?:\/\d+)?)*)$/i,
    min: 1,
    max: 31,
  },
  month: { grammar: listOf(`\\d{1,2}|${MONTHS}`), min: 1, max: 12 },
  dayOfWeek: {
    grammar: new RegExp(
      `^(?:\\?|L|(?:[1-7]|${DAYS})(?:L|#[1-5])|${listOf(`[1-7]|${DAYS}`).source.slice(1, -1)})$`,
      "i",
    ),
    min: 1,
    max: 7,
  },
  year: { grammar: listOf("\\d{4}"), min: 1970, max: 2199 },
} as const;

export interface AwsCron {
  /** The six AWS fields as given. */
  fields: string[];
  /** croner's seven-field pattern (seconds first). */
  pattern: string;
}

/** The numbers in a field must lie in the field's range (names are always in range). */
function inRange(field: string, min: number, max: number, isStep: (index: number) => boolean): boolean {
  const numbers = [...field.matchAll(/\d+/g)];
  return numbers.every((match, index) => {
    const value = Number(match[0]);
    const afterSlash = field.charAt((match.index ?? 0) - 1) === "/";
    const afterHash = field.charAt((match.index ?? 0) - 1) === "#";
    if (afterSlash) return value >= 1 && isStep(index);
    if (afterHash) return true;
    return value >= min && value <= max;
  });
}

/** The inside of `cron(...)`, or undefined when AWS would refuse it. */
export function parseCron(body: string): AwsCron | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const [minutes = "", hours = "", dayOfMonth = "", month = "", dayOfWeek = "", year = ""] = fields;
  const checks: Array<[string, (typeof FIELDS)[keyof typeof FIELDS]]> = [
    [minutes, FIELDS.minutes],
    [hours, FIELDS.hours],
    [dayOfMonth, FIELDS.dayOfMonth],
    [month, FIELDS.month],
    [dayOfWeek, FIELDS.dayOfWeek],
    [year, FIELDS.year],
  ];
  for (const [field, rule] of checks) {
    if (!rule.grammar.test(field) || !inRange(field, rule.min, rule.max, () => true)) return undefined;
  }
  // AWS: one of day-of-month and day-of-week must be `?`, and not both.
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) return undefined;
  const pattern = ["0", minutes, hours, dayOfMonth, month, translateDayOfWeek(dayOfWeek), year].join(" ");
  try {
    compile(pattern, "UTC");
  } catch {
    return undefined;
  }
  return { fields, pattern };
}

function translateDayOfWeek(field: string): string {
  if (field.toUpperCase() === "L") return "7";
  return field.replace(new RegExp(`^([1-7]|${DAYS})L$`, "i"), "$1#L");
}

function compile(pattern: string, timezone: string) {
  return new Cron(pattern, {
    mode: "7-part",
    alternativeWeekdays: true,
    sloppyRanges: true,
    timezone,
    paused: true,
  });
}

/**
 * The first time after `afterMs` the expression names in the zone, or undefined if none does
 * (its years are over). As EventBridge Scheduler handles daylight saving time: a wall-clock time
 * that does not exist (spring forward) is skipped, and one that occurs twice (fall back) fires once.
 */
export function nextCronTime(cron: AwsCron, afterMs: number, timeZone: string): number | undefined {
  const job = compile(cron.pattern, timeZone);
  let from = new Date(afterMs);
  for (let guard = 0; guard < 1000; guard++) {
    const next = job.nextRun(from);
    if (next === null) return undefined;
    const ms = next.getTime();
    // croner moves a fixed time that falls in the spring gap to the next valid instant: AWS skips it.
    if (job.match(next) && !isRepeatedWallClock(ms, timeZone)) return ms;
    from = next;
  }
  return undefined;
}
