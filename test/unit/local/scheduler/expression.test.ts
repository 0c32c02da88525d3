import { describe, expect, it } from "vitest";
import {
  nextFireTime,
  parseScheduleExpression,
  type ScheduleExpression,
} from "../../../../local/scheduler/expression.js";

const ms = (iso: string) => Date.parse(iso);
const iso = (value: number | undefined) => (value === undefined ? undefined : new Date(value).toISOString());

function parse(text: string): ScheduleExpression {
  const expression = parseScheduleExpression(text);
  if (expression === undefined) throw new Error(`${text} did not parse`);
  return expression;
}

/** The next `count` fire times after `from`, in the zone. */
function fires(text: string, from: string, count = 3, timeZone = "UTC"): string[] {
  const expression = parse(text);
  const times: string[] = [];
  let after = ms(from);
  for (let n = 0; n < count; n++) {
    const next = nextFireTime(expression, after, { timeZone, anchorMs: ms(from) });
    if (next === undefined) break;
    times.push(new Date(next).toISOString().replace(".000", ""));
    after = next;
  }
  return times;
}

describe("cron next fire times (UTC)", () => {
  it.each([
    [
      "every day at 10:00",
      "cron(0 10 * * ? *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-01T10:00:00Z", "2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z"],
    ],
    [
      "strictly after the start",
      "cron(0 10 * * ? *)",
      "2026-03-01T10:00:00Z",
      ["2026-03-02T10:00:00Z", "2026-03-03T10:00:00Z", "2026-03-04T10:00:00Z"],
    ],
    [
      "every 15 minutes",
      "cron(0/15 * * * ? *)",
      "2026-03-01T00:07:00Z",
      ["2026-03-01T00:15:00Z", "2026-03-01T00:30:00Z", "2026-03-01T00:45:00Z"],
    ],
    [
      "every 10th minute from the 1st",
      "cron(1/10 * * * ? *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-01T00:01:00Z", "2026-03-01T00:11:00Z", "2026-03-01T00:21:00Z"],
    ],
    [
      "a range with a step",
      "cron(0-15/5 8 * * ? *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-01T08:00:00Z", "2026-03-01T08:05:00Z", "2026-03-01T08:10:00Z"],
    ],
    [
      "weekdays at 18:00, by name",
      "cron(0 18 ? * MON-FRI *)",
      "2026-02-27T19:00:00Z",
      ["2026-03-02T18:00:00Z", "2026-03-03T18:00:00Z", "2026-03-04T18:00:00Z"],
    ],
    [
      "1 is Sunday",
      "cron(0 0 ? * 1 *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z", "2026-03-22T00:00:00Z"],
    ],
    [
      "7 is Saturday",
      "cron(0 0 ? * 7 *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-07T00:00:00Z", "2026-03-14T00:00:00Z", "2026-03-21T00:00:00Z"],
    ],
    [
      "a list of days",
      "cron(30 13 ? * 2,4,6 *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-02T13:30:00Z", "2026-03-04T13:30:00Z", "2026-03-06T13:30:00Z"],
    ],
    [
      "the 15th of each month",
      "cron(0 0 15 * ? *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-15T00:00:00Z", "2026-04-15T00:00:00Z", "2026-05-15T00:00:00Z"],
    ],
    [
      "months by name",
      "cron(0 0 1 JAN,JUL ? *)",
      "2026-03-01T00:00:00Z",
      ["2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z", "2027-07-01T00:00:00Z"],
    ],
    [
      "L: the last day of the month",
      "cron(0 0 L * ? *)",
      "2026-01-31T12:00:00Z",
      ["2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"],
    ],
    [
      "L in a leap year",
      "cron(0 0 L 2 ? *)",
      "2028-01-01T00:00:00Z",
      ["2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z", "2030-02-28T00:00:00Z"],
    ],
    [
      "L in day-of-week: the last day of the week (Saturday)",
      "cron(0 0 ? * L *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-07T00:00:00Z", "2026-03-14T00:00:00Z", "2026-03-21T00:00:00Z"],
    ],
    [
      "6L: the last Friday of the month",
      "cron(0 0 ? * 6L *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-27T00:00:00Z", "2026-04-24T00:00:00Z", "2026-05-29T00:00:00Z"],
    ],
    [
      "W: the weekday nearest the 15th (a Sunday moves to Monday)",
      "cron(0 0 15W * ? *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-16T00:00:00Z", "2026-04-15T00:00:00Z", "2026-05-15T00:00:00Z"],
    ],
    [
      "W: a Saturday moves to Friday",
      "cron(0 0 15W * ? *)",
      "2026-08-01T00:00:00Z",
      ["2026-08-14T00:00:00Z", "2026-09-15T00:00:00Z", "2026-10-15T00:00:00Z"],
    ],
    [
      "W does not cross into the previous month",
      "cron(0 0 1W * ? *)",
      "2026-07-31T00:00:00Z",
      ["2026-08-03T00:00:00Z", "2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"],
    ],
    [
      "LW: the last weekday of the month",
      "cron(0 0 LW * ? *)",
      "2026-05-01T00:00:00Z",
      ["2026-05-29T00:00:00Z", "2026-06-30T00:00:00Z", "2026-07-31T00:00:00Z"],
    ],
    [
      "#: the second Tuesday",
      "cron(0 0 ? * 3#2 *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-10T00:00:00Z", "2026-04-14T00:00:00Z", "2026-05-12T00:00:00Z"],
    ],
    [
      "#: the first Monday, by name",
      "cron(0 9 ? * MON#1 *)",
      "2026-03-01T00:00:00Z",
      ["2026-03-02T09:00:00Z", "2026-04-06T09:00:00Z", "2026-05-04T09:00:00Z"],
    ],
    [
      "years",
      "cron(0 0 1 1 ? 2028-2029)",
      "2026-03-01T00:00:00Z",
      ["2028-01-01T00:00:00Z", "2029-01-01T00:00:00Z"],
    ],
  ])("%s", (_name, expression, from, expected) => {
    expect(fires(expression, from)).toEqual(expected);
  });
});

describe("cron next fire times in time zones and across daylight saving time", () => {
  it.each([
    [
      "09:00 in Paris is 08:00 UTC in winter",
      "cron(0 9 * * ? *)",
      "Europe/Paris",
      "2026-01-10T00:00:00Z",
      ["2026-01-10T08:00:00Z", "2026-01-11T08:00:00Z"],
    ],
    [
      "and 07:00 UTC in summer",
      "cron(0 9 * * ? *)",
      "Europe/Paris",
      "2026-07-10T00:00:00Z",
      ["2026-07-10T07:00:00Z", "2026-07-11T07:00:00Z"],
    ],
    [
      "the same local time across the spring change",
      "cron(0 9 * * ? *)",
      "America/New_York",
      "2026-03-07T00:00:00Z",
      ["2026-03-07T14:00:00Z", "2026-03-08T13:00:00Z", "2026-03-09T13:00:00Z"],
    ],
    [
      "a time skipped in spring does not fire that day",
      "cron(30 2 * * ? *)",
      "America/New_York",
      "2026-03-07T00:00:00Z",
      ["2026-03-07T07:30:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"],
    ],
    [
      "a time repeated in autumn fires once",
      "cron(30 1 * * ? *)",
      "America/New_York",
      "2026-10-31T12:00:00Z",
      ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-03T06:30:00Z"],
    ],
    [
      "every 30 minutes skips the repeated hour's second pass",
      "cron(0/30 * * * ? *)",
      "America/New_York",
      "2026-11-01T04:45:00Z",
      ["2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z", "2026-11-01T07:30:00Z"],
    ],
    [
      "a half-hour zone",
      "cron(0 12 * * ? *)",
      "Asia/Kolkata",
      "2026-03-01T00:00:00Z",
      ["2026-03-01T06:30:00Z", "2026-03-02T06:30:00Z"],
    ],
    [
      "a southern-hemisphere zone (Sydney, summer time in January)",
      "cron(0 0 1 * ? *)",
      "Australia/Sydney",
      "2026-01-15T00:00:00Z",
      ["2026-01-31T13:00:00Z", "2026-02-28T13:00:00Z", "2026-03-31T13:00:00Z"],
    ],
  ])("%s", (_name, expression, zone, from, expected) => {
    expect(fires(expression, from, expected.length, zone)).toEqual(expected);
  });
});

describe("rate and at", () => {
  it("fires a rate from its anchor, immediately and every period", () => {
    const expression = parse("rate(5 minutes)");
    const window = { timeZone: "UTC", anchorMs: ms("2026-03-01T00:00:00Z") };
    expect(iso(nextFireTime(expression, ms("2026-03-01T00:00:00Z") - 1, window))).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    expect(iso(nextFireTime(expression, ms("2026-03-01T00:00:00Z"), window))).toBe(
      "2026-03-01T00:05:00.000Z",
    );
    expect(iso(nextFireTime(expression, ms("2026-03-01T00:07:00Z"), window))).toBe(
      "2026-03-01T00:10:00.000Z",
    );
  });

  it("counts a rate from StartDate and stops at EndDate", () => {
    const expression = parse("rate(1 hour)");
    const window = {
      timeZone: "UTC",
      anchorMs: ms("2026-03-01T00:00:00Z"),
      startMs: ms("2026-03-02T00:30:00Z"),
      endMs: ms("2026-03-02T02:00:00Z"),
    };
    expect(iso(nextFireTime(expression, ms("2026-03-01T00:00:00Z"), window))).toBe(
      "2026-03-02T00:30:00.000Z",
    );
    expect(iso(nextFireTime(expression, ms("2026-03-02T00:30:00Z"), window))).toBe(
      "2026-03-02T01:30:00.000Z",
    );
    expect(nextFireTime(expression, ms("2026-03-02T01:30:00Z"), window)).toBeUndefined();
  });

  it("does not fire a cron before StartDate", () => {
    const window = { timeZone: "UTC", anchorMs: 0, startMs: ms("2026-03-05T12:00:00Z") };
    expect(iso(nextFireTime(parse("cron(0 10 * * ? *)"), ms("2026-03-01T00:00:00Z"), window))).toBe(
      "2026-03-06T10:00:00.000Z",
    );
  });

  it("fires at(...) once, at its wall-clock time in the zone", () => {
    const expression = parse("at(2026-07-01T09:00:00)");
    const paris = { timeZone: "Europe/Paris", anchorMs: 0 };
    expect(iso(nextFireTime(expression, ms("2026-06-01T00:00:00Z"), paris))).toBe("2026-07-01T07:00:00.000Z");
    expect(nextFireTime(expression, ms("2026-07-01T07:00:00Z"), paris)).toBeUndefined();
    expect(iso(nextFireTime(expression, 0, { timeZone: "UTC", anchorMs: 0 }))).toBe(
      "2026-07-01T09:00:00.000Z",
    );
  });

  it.each([
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(2 hours)",
    "rate(1 day)",
    "cron(0 10 * * ? *)",
    "cron(15 12 ? * SUN-SAT *)",
    "cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)",
    "at(2026-12-31T23:59:59)",
  ])("accepts %s", (text) => {
    expect(parseScheduleExpression(text)).toBeDefined();
  });

  it.each([
    "rate(1 minutes)",
    "rate(5 minute)",
    "rate(0 minutes)",
    "rate(5 seconds)",
    "cron(7 20 * * 1-7 *)",
    "cron(0 10 ? * ? *)",
    "cron(*/1 * * * *)",
    "cron(0 24 * * ? *)",
    "cron(60 1 * * ? *)",
    "cron(0 0 32 * ? *)",
    "cron(0 0 ? * 8 *)",
    "cron(0 0 ? * 3#1,6#3 *)",
    "cron(0 0 1 1 ? 1969)",
    "cron(0 0 1 13 ? *)",
    "at(2026-02-30T00:00:00)",
    "at(2026-01-01 00:00:00)",
    "every day",
  ])("refuses %s", (text) => {
    expect(parseScheduleExpression(text)).toBeUndefined();
  });
});
