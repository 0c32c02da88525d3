import type { StateValue } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { evaluateAlarm } from "../../../../../local/cloudwatch/alarms/evaluate.js";
import type {
  AlarmRule,
  PeriodDatapoint,
  StaticComparisonOperator,
  TreatMissingData,
} from "../../../../../local/cloudwatch/alarms/model.js";

const T0 = Date.UTC(2026, 10, 30, 23, 26, 0);
const PERIOD = 60;

/** "0 - X - X": 0 = a datapoint within the threshold, X = breaching, - = missing; oldest first. */
function range(pattern: string): PeriodDatapoint[] {
  return pattern.split(" ").map((symbol, index) => {
    const timestamp = T0 + index * PERIOD * 1000;
    if (symbol === "-") return { timestamp };
    return { timestamp, value: symbol === "X" ? 5 : 0, sampleCount: 1 };
  });
}

function rule(overrides: Partial<AlarmRule> = {}): AlarmRule {
  return {
    comparisonOperator: "GreaterThanThreshold",
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: "missing",
    period: PERIOD,
    statistic: "Sum",
    ...overrides,
  };
}

const evaluate = (pattern: string, overrides: Partial<AlarmRule>, current: StateValue = "OK") =>
  evaluateAlarm({ rule: rule(overrides), datapoints: range(pattern), current, queryDate: T0 + 300_000 })
    ?.value ?? `kept ${current}`;

describe("evaluateAlarm: the documented missing-data table (3 out of 3, five periods retrieved)", () => {
  // "Configuring how CloudWatch alarms treat missing data", table "how alarm state is evaluated".
  const table: [string, Record<TreatMissingData, string>][] = [
    ["0 - X - X", { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
    ["- - - - 0", { missing: "OK", ignore: "OK", breaching: "OK", notBreaching: "OK" }],
    [
      "- - - - -",
      { missing: "INSUFFICIENT_DATA", ignore: "kept OK", breaching: "ALARM", notBreaching: "OK" },
    ],
    ["0 X X - X", { missing: "ALARM", ignore: "ALARM", breaching: "ALARM", notBreaching: "ALARM" }],
    ["- - X - -", { missing: "ALARM", ignore: "kept OK", breaching: "ALARM", notBreaching: "OK" }],
  ];
  for (const [pattern, expected] of table) {
    for (const [mode, state] of Object.entries(expected)) {
      it(`${pattern} with ${mode} → ${state}`, () => {
        expect(evaluate(pattern, { treatMissingData: mode as TreatMissingData })).toBe(state);
      });
    }
  }

  it("keeps ALARM with ignore when every datapoint is missing", () => {
    expect(evaluate("- - - - -", { treatMissingData: "ignore" }, "ALARM")).toBe("kept ALARM");
  });

  it("keeps the state with missing when the real datapoints do not settle it and the rule against premature alarms does not apply", () => {
    // The breaching datapoint is the newest: too recent to count for 3 out of 3.
    expect(evaluate("- - - - X", { treatMissingData: "missing" }, "INSUFFICIENT_DATA")).toBe(
      "kept INSUFFICIENT_DATA",
    );
  });
});

describe("evaluateAlarm: M out of N", () => {
  const cases: [string, number, number, string][] = [
    ["0 0 X 0 X", 3, 2, "ALARM"],
    ["0 0 X 0 0", 3, 2, "OK"],
    ["X X X 0 0", 3, 2, "OK"],
    ["0 X 0 X 0", 3, 2, "OK"],
    ["0 0 0 X 0", 1, 1, "OK"],
    ["0 0 0 0 X", 1, 1, "ALARM"],
    ["X 0 X X X", 5, 4, "ALARM"],
    ["X 0 X 0 X", 5, 4, "OK"],
  ];
  for (const [pattern, n, m, state] of cases) {
    it(`${m} out of ${n} on ${pattern} → ${state}`, () => {
      expect(evaluate(pattern, { evaluationPeriods: n, datapointsToAlarm: m })).toBe(state);
    });
  }

  it("evaluates the N most recent real datapoints when some periods of the range are missing", () => {
    // Only the last three real ones (X X X) count, the oldest 0 is outside.
    expect(evaluate("0 X - X X", { treatMissingData: "notBreaching" })).toBe("ALARM");
  });
});

describe("evaluateAlarm: comparison operators", () => {
  const cases: [StaticComparisonOperator, number, boolean][] = [
    ["GreaterThanThreshold", 5, true],
    ["GreaterThanThreshold", 1, false],
    ["GreaterThanOrEqualToThreshold", 1, true],
    ["GreaterThanOrEqualToThreshold", 0, false],
    ["LessThanThreshold", 0, true],
    ["LessThanThreshold", 1, false],
    ["LessThanOrEqualToThreshold", 1, true],
    ["LessThanOrEqualToThreshold", 5, false],
  ];
  for (const [operator, value, alarm] of cases) {
    it(`${value} ${operator} 1 → ${alarm ? "ALARM" : "OK"}`, () => {
      const outcome = evaluateAlarm({
        rule: rule({ comparisonOperator: operator, evaluationPeriods: 1, datapointsToAlarm: 1 }),
        datapoints: [{ timestamp: T0, value, sampleCount: 1 }],
        current: "INSUFFICIENT_DATA",
        queryDate: T0 + 60_000,
      });
      expect(outcome?.value).toBe(alarm ? "ALARM" : "OK");
    });
  }
});

describe("evaluateAlarm: StateReason and StateReasonData as AWS writes them", () => {
  it("writes the OK -> ALARM reason with the breaching datapoint and Java-style numbers", () => {
    const outcome = evaluateAlarm({
      rule: rule({ threshold: 0, evaluationPeriods: 1, datapointsToAlarm: 1, statistic: "Average" }),
      datapoints: [{ timestamp: Date.UTC(2026, 10, 30, 23, 30, 0), value: 5, sampleCount: 2 }],
      current: "INSUFFICIENT_DATA",
      queryDate: Date.UTC(2026, 10, 30, 23, 31, 0, 985),
    });
    expect(outcome?.reason).toBe(
      "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (30/11/26 23:30:00)] was greater than the " +
        "threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    expect(outcome?.reasonData).toBe(
      '{"version":"1.0","queryDate":"2026-11-30T23:31:00.985+0000","startDate":"2026-11-30T23:30:00.000+0000",' +
        '"statistic":"Average","period":60,"recentDatapoints":[5.0],"threshold":0.0,' +
        '"evaluatedDatapoints":[{"timestamp":"2026-11-30T23:30:00.000+0000","sampleCount":2.0,"value":5.0}]}',
    );
  });

  it("lists the datapoints within the threshold, newest first, for ALARM -> OK", () => {
    const outcome = evaluateAlarm({
      rule: rule({ threshold: 1.5, evaluationPeriods: 3, datapointsToAlarm: 2 }),
      datapoints: range("X X 0 X 0"),
      current: "ALARM",
      queryDate: T0 + 300_000,
    });
    expect(outcome?.reason).toBe(
      "Threshold Crossed: 2 out of the last 3 datapoints [0.0 (30/11/26 23:30:00), 0.0 (30/11/26 23:28:00)] " +
        "were not greater than the threshold (1.5) (minimum 2 datapoints for ALARM -> OK transition).",
    );
  });

  it("says how missing datapoints were treated when none arrived", () => {
    const outcome = evaluateAlarm({
      rule: rule({ treatMissingData: "notBreaching", evaluationPeriods: 1, datapointsToAlarm: 1 }),
      datapoints: range("- - -"),
      current: "ALARM",
      queryDate: T0 + 180_000,
    });
    expect(outcome?.reason).toBe(
      "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
    );
    const insufficient = evaluateAlarm({
      rule: rule({ evaluationPeriods: 2, datapointsToAlarm: 2 }),
      datapoints: range("- - - -"),
      current: "ALARM",
      queryDate: T0 + 240_000,
    });
    expect(insufficient?.reason).toBe("Insufficient Data: 2 datapoints were unknown.");
  });

  it("leaves statistic out of reasonData for metric-math alarms", () => {
    const outcome = evaluateAlarm({
      rule: rule({ statistic: undefined, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 10000 }),
      datapoints: [{ timestamp: T0, value: 45628 }],
      current: "INSUFFICIENT_DATA",
      queryDate: T0 + 60_000,
    });
    expect(JSON.parse(outcome?.reasonData ?? "{}")).not.toHaveProperty("statistic");
    expect(outcome?.reasonData).toContain('"threshold":10000.0');
    expect(outcome?.reason).toContain("[45628.0 (30/11/26 23:26:00)]");
  });
});
