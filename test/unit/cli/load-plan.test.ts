import { describe, expect, it } from "vitest";
import {
  formatDuration,
  type LoadShape,
  parseDuration,
  parseRate,
  plannedCount,
  progressIntervalMs,
  serviceSecondsAt,
} from "../../../cli/load-plan.js";

describe("parseDuration", () => {
  it.each([
    ["10m", 600_000],
    ["30s", 30_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["2min", 120_000],
    ["90", 90_000],
    ["1.5s", 1500],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "ten minutes", "10x", "0s", "-5s", "10m junk"])("refuses %j", (text) => {
    expect(() => parseDuration(text)).toThrow(/duration/);
  });
});

describe("parseRate", () => {
  it.each([
    ["50/s", 50],
    ["3000/m", 50],
    ["3000/min", 50],
    ["36000/h", 10],
    ["20", 20],
    ["0.5/s", 0.5],
  ])("reads %s as %d per second", (text, rate) => {
    expect(parseRate(text)).toBe(rate);
  });

  it.each(["fast", "50/d", "0/s", "/s"])("refuses %j", (text) => {
    expect(() => parseRate(text)).toThrow(/rate/);
  });
});

describe("plannedCount", () => {
  const minute = 60_000;

  it("sends a steady rate evenly", () => {
    const shape: LoadShape = { kind: "steady", ratePerSecond: 50 };
    expect(plannedCount(shape, 0, 10 * minute)).toBe(0);
    expect(plannedCount(shape, 1000, 10 * minute)).toBe(50);
    expect(plannedCount(shape, 10 * minute, 10 * minute)).toBe(30_000);
    expect(plannedCount(shape, 11 * minute, 10 * minute)).toBe(30_000);
  });

  it("ramps from zero to the rate: half the steady total, a quarter of it by half time", () => {
    const shape: LoadShape = { kind: "ramp", ratePerSecond: 100 };
    expect(plannedCount(shape, 100_000, 100_000)).toBe(5000);
    expect(plannedCount(shape, 50_000, 100_000)).toBe(1250);
  });

  it("alternates the rate and silence every period", () => {
    const shape: LoadShape = { kind: "square", ratePerSecond: 10, periodMs: minute };
    expect(plannedCount(shape, 30_000, 10 * minute)).toBe(300);
    expect(plannedCount(shape, minute, 10 * minute)).toBe(600);
    expect(plannedCount(shape, 2 * minute, 10 * minute)).toBe(600);
    expect(plannedCount(shape, 2.5 * minute, 10 * minute)).toBe(900);
  });

  it("follows a trace's arrivals per minute, repeating it past its end", () => {
    const shape: LoadShape = { kind: "trace", arrivalsPerMinute: [60, 0, 120], serviceSeconds: [2, 2, 0.5] };
    expect(plannedCount(shape, 30_000, 10 * minute)).toBe(30);
    expect(plannedCount(shape, 2 * minute, 10 * minute)).toBe(60);
    expect(plannedCount(shape, 3 * minute, 10 * minute)).toBe(180);
    expect(plannedCount(shape, 4 * minute, 10 * minute)).toBe(240);
    expect(serviceSecondsAt(shape, 2.5 * minute)).toBe(0.5);
    expect(serviceSecondsAt({ kind: "steady", ratePerSecond: 1 }, 0)).toBeUndefined();
  });
});

describe("progress", () => {
  it("reports every second for short runs and every ten seconds for long ones", () => {
    expect(progressIntervalMs(60_000)).toBe(1000);
    expect(progressIntervalMs(600_000)).toBe(10_000);
  });

  it.each([
    [12_000, "12s"],
    [245_000, "4m05s"],
    [3_723_000, "1h02m03s"],
    [1_500, "1.5s"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
