import { describe, expect, it } from "vitest";
import { InvalidMetricsPeriodError } from "../../../../local/metrics/errors.js";
import {
  assertAllowedPeriod,
  boundaryAtOrBefore,
  lastCompletePeriodStart,
  nextBoundary,
  parseMetricsPeriod,
  storageResolution,
} from "../../../../local/metrics/period.js";

const at = (iso: string) => Date.parse(iso);

describe("parseMetricsPeriod", () => {
  it("is 60 when MQOPS_METRICS_PERIOD_SECONDS is unset or empty, as Amazon MQ publishes", () => {
    expect(parseMetricsPeriod(undefined)).toBe(60);
    expect(parseMetricsPeriod("  ")).toBe(60);
  });

  it.each(["10", "30", "60", " 10 "])("accepts %j", (raw) => {
    expect(parseMetricsPeriod(raw)).toBe(Number(raw.trim()));
  });

  it.each(["5", "15", "120", "0", "-10", "10.5", "1e1x", "sixty"])(
    "refuses %j with the allowed values",
    (raw) => {
      expect(() => parseMetricsPeriod(raw)).toThrow(InvalidMetricsPeriodError);
      expect(() => parseMetricsPeriod(raw)).toThrow(/must be one of 10, 30, 60/);
    },
  );

  it("refuses a period given in code that is not allowed", () => {
    expect(() => assertAllowedPeriod(20)).toThrow(InvalidMetricsPeriodError);
    expect(() => assertAllowedPeriod(30)).not.toThrow();
  });
});

describe("period alignment", () => {
  it("aligns to wall-clock boundaries of the period", () => {
    expect(boundaryAtOrBefore(at("2026-12-01T10:07:42.500Z"), 60)).toBe(at("2026-12-01T10:07:00Z"));
    expect(boundaryAtOrBefore(at("2026-12-01T10:07:42.500Z"), 30)).toBe(at("2026-12-01T10:07:30Z"));
    expect(boundaryAtOrBefore(at("2026-12-01T10:07:42.500Z"), 10)).toBe(at("2026-12-01T10:07:40Z"));
  });

  it("schedules the next collection at the next boundary, never at the current instant", () => {
    expect(nextBoundary(at("2026-12-01T10:07:42Z"), 60)).toBe(at("2026-12-01T10:08:00Z"));
    expect(nextBoundary(at("2026-12-01T10:08:00Z"), 60)).toBe(at("2026-12-01T10:09:00Z"));
    expect(nextBoundary(at("2026-12-01T10:07:59.999Z"), 10)).toBe(at("2026-12-01T10:08:00Z"));
  });

  it("stamps a collection with the start of the last complete period", () => {
    // Collected right at 10:08:00: the counts cover 10:07:00–10:08:00.
    expect(lastCompletePeriodStart(at("2026-12-01T10:08:00.020Z"), 60)).toBe(at("2026-12-01T10:07:00Z"));
    expect(lastCompletePeriodStart(at("2026-12-01T10:08:05Z"), 10)).toBe(at("2026-12-01T10:07:50Z"));
  });

  it("stores sub-minute periods as high-resolution data", () => {
    expect(storageResolution(10)).toBe(1);
    expect(storageResolution(30)).toBe(1);
    expect(storageResolution(60)).toBe(60);
  });
});
