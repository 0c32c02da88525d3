import { DAYS_OF_WEEK } from "../lib/amazon-mq.js";

/**
 * Which brokers' weekly maintenance windows open within the next run of the hourly schedule. Pure.
 * Amazon MQ's `maintenanceWindowStartTime` is a day of the week and a time of day (HH:MM) in a time
 * zone given as Country/City (IANA) or as a UTC offset; UTC when absent.
 */
export interface WeeklyStartTime {
  dayOfWeek: string;
  timeOfDay: string;
  timeZone?: string;
}

/** Monday first, as a week is counted here. */
const DAYS: readonly string[] = DAYS_OF_WEEK;
const MINUTES_PER_WEEK = 7 * 24 * 60;
const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes since Monday 00:00 of a wall-clock time. */
const minuteOfWeek = (dayIndex: number, hour: number, minute: number) => dayIndex * 1440 + hour * 60 + minute;

/** The wall-clock minute of the week at `instant` in `timeZone`; undefined for an unknown zone. */
export function localMinuteOfWeek(instant: Date, timeZone: string): number | undefined {
  const offset = OFFSET.exec(timeZone.trim());
  if (offset !== null) {
    const [, sign = "+", hours = "0", minutes = "0"] = offset;
    const shift = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
    const shifted = new Date(instant.getTime() + shift * 60_000);
    return minuteOfWeek((shifted.getUTCDay() + 6) % 7, shifted.getUTCHours(), shifted.getUTCMinutes());
  }
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: timeZone.toUpperCase() === "UTC" ? "UTC" : timeZone,
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(instant);
  } catch {
    return undefined;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const dayIndex = DAYS.indexOf(part("weekday").toUpperCase());
  if (dayIndex === -1) return undefined;
  return minuteOfWeek(dayIndex, Number(part("hour")), Number(part("minute")));
}

/** The window's start as a minute of the week in its own zone; undefined when malformed. */
function windowMinuteOfWeek(window: WeeklyStartTime): number | undefined {
  const dayIndex = DAYS.indexOf(window.dayOfWeek.toUpperCase());
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(window.timeOfDay);
  if (dayIndex === -1 || time === null) return undefined;
  return minuteOfWeek(dayIndex, Number(time[1]), Number(time[2]));
}

/**
 * Whether the window opens in [now, now + withinMinutes): the hourly run at HH:00 takes every broker
 * whose window starts before the next run, so each window is picked exactly once a week.
 */
export function windowOpensWithin(window: WeeklyStartTime, now: Date, withinMinutes = 60): boolean {
  const start = windowMinuteOfWeek(window);
  const current = localMinuteOfWeek(now, window.timeZone ?? "UTC");
  if (start === undefined || current === undefined) return false;
  const ahead = (((start - current) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return ahead < withinMinutes;
}
