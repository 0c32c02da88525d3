import { type AwsCron, nextCronTime, parseCron } from "./cron.js";
import { instantOf } from "./zone.js";

/** A schedule expression of EventBridge Scheduler (and of EventBridge scheduled rules). */
export type ScheduleExpression =
  | { kind: "rate"; everyMs: number }
  | { kind: "cron"; cron: AwsCron }
  | {
      kind: "at";
      wallClock: { year: number; month: number; day: number; hour: number; minute: number; second: number };
    };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses `rate(value unit)`, `cron(fields)` or `at(yyyy-mm-ddThh:mm:ss)`; undefined when AWS would
 * refuse it. As on AWS, a rate of 1 takes the singular unit and any other value the plural.
 */
export function parseScheduleExpression(text: string): ScheduleExpression | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate !== null) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? "";
    const singular = !unit.endsWith("s");
    if (value < 1 || (value === 1) !== singular) return undefined;
    return { kind: "rate", everyMs: value * (UNIT_MS[unit.replace(/s$/, "")] ?? 0) };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron !== null) {
    const parsed = parseCron(cron[1] ?? "");
    return parsed === undefined ? undefined : { kind: "cron", cron: parsed };
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (at !== null) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (
      check.getUTCFullYear() !== year ||
      check.getUTCMonth() !== month - 1 ||
      check.getUTCDate() !== day ||
      hour > 23 ||
      minute > 59 ||
      second > 59
    ) {
      return undefined;
    }
    return { kind: "at", wallClock: { year, month, day, hour, minute, second } };
  }
  return undefined;
}

export interface FireWindow {
  timeZone: string;
  /** StartDate: nothing fires before it; a rate counts from it. */
  startMs?: number;
  /** EndDate: nothing fires after it. */
  endMs?: number;
  /** When the schedule was created or last updated: a rate without StartDate counts from it. */
  anchorMs: number;
}

/**
 * The first fire time strictly after `afterMs`, or undefined when the schedule has no more.
 * A rate fires at its start (StartDate, else creation: "immediately", as AWS documents) and every
 * period after; `at` fires once at its wall-clock time in the zone.
 */
export function nextFireTime(
  expression: ScheduleExpression,
  afterMs: number,
  window: FireWindow,
): number | undefined {
  const from = Math.max(afterMs, (window.startMs ?? Number.NEGATIVE_INFINITY) - 1);
  let next: number | undefined;
  switch (expression.kind) {
    case "rate": {
      const start = window.startMs ?? window.anchorMs;
      const periods = from < start ? 0 : Math.floor((from - start) / expression.everyMs) + 1;
      next = start + periods * expression.everyMs;
      break;
    }
    case "cron":
      next = nextCronTime(expression.cron, from, window.timeZone);
      break;
    case "at": {
      const instant = instantOf(expression.wallClock, window.timeZone);
      next = instant !== undefined && instant > from ? instant : undefined;
      break;
    }
  }
  if (next === undefined || (window.endMs !== undefined && next > window.endMs)) return undefined;
  return next;
}
