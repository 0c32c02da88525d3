import { describe, expect, it } from "vitest";
import { localMinuteOfWeek, windowOpensWithin } from "../../../functions/maintenance/window.js";

// Monday 2026-11-30.
const at = (iso: string) => new Date(iso);

describe("windowOpensWithin", () => {
  it.each([
    ["MONDAY", "02:00", "UTC", "2026-11-30T02:00:00Z", true],
    ["MONDAY", "02:59", "UTC", "2026-11-30T02:00:00Z", true],
    ["MONDAY", "03:00", "UTC", "2026-11-30T02:00:00Z", false],
    ["MONDAY", "01:59", "UTC", "2026-11-30T02:00:00Z", false],
    ["SUNDAY", "02:30", "UTC", "2026-11-30T02:00:00Z", false],
    ["MONDAY", "03:30", "Europe/Paris", "2026-11-30T02:00:00Z", true],
    ["MONDAY", "02:30", "Europe/Paris", "2026-11-30T02:00:00Z", false],
    // Summer time: Paris is UTC+2 in July.
    ["MONDAY", "04:15", "Europe/Paris", "2026-07-06T02:00:00Z", true],
    ["SUNDAY", "21:30", "America/New_York", "2026-11-30T02:00:00Z", true],
    ["MONDAY", "07:45", "UTC+05:30", "2026-11-30T02:00:00Z", true],
    ["MONDAY", "00:30", "-02:00", "2026-11-30T02:00:00Z", true],
    // The week wraps: Sunday 23:30 UTC, window Monday 00:10.
    ["MONDAY", "00:10", "UTC", "2026-11-29T23:30:00Z", true],
    ["MONDAY", "02:30", "Mars/Olympus_Mons", "2026-11-30T02:00:00Z", false],
    ["FUNDAY", "02:30", "UTC", "2026-11-30T02:00:00Z", false],
    ["MONDAY", "2:30", "UTC", "2026-11-30T02:00:00Z", false],
  ])("%s %s %s at %s → %s", (dayOfWeek, timeOfDay, timeZone, now, expected) => {
    expect(windowOpensWithin({ dayOfWeek, timeOfDay, timeZone }, at(now))).toBe(expected);
  });

  it("picks every window exactly once over a week of hourly runs", () => {
    const window = { dayOfWeek: "WEDNESDAY", timeOfDay: "13:45", timeZone: "Asia/Tokyo" };
    let picked = 0;
    for (let hour = 0; hour < 7 * 24; hour++) {
      if (windowOpensWithin(window, new Date(Date.UTC(2026, 10, 30, hour)))) picked++;
    }
    expect(picked).toBe(1);
  });

  it("treats a missing time zone as UTC, as Amazon MQ does", () => {
    expect(windowOpensWithin({ dayOfWeek: "MONDAY", timeOfDay: "02:10" }, at("2026-11-30T02:00:00Z"))).toBe(
      true,
    );
    expect(localMinuteOfWeek(at("2026-11-30T02:00:00Z"), "UTC")).toBe(120);
  });
});
