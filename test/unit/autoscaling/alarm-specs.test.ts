import { describe, expect, it } from "vitest";
import {
  type AlarmTarget,
  alarmName,
  alarmSpecs,
  backlogPerConsumer,
  MAX_ALARM_METRICS,
  parseAlarmName,
} from "../../../functions/autoscaling/alarm-specs.js";
import { registrationId } from "../../../functions/autoscaling/registration.js";
import { scalingSettings } from "../../../functions/autoscaling/settings.js";

const PREFIX = "mqops-dev-autoscaling";
const target = (overrides: Partial<AlarmTarget> = {}): AlarmTarget => ({
  prefix: PREFIX,
  registrationId: registrationId("b-1234", "orders"),
  brokerName: "orders-broker",
  instances: ["orders-broker-1", "orders-broker-2"],
  queue: "orders",
  settings: scalingSettings(),
  periodSeconds: 60,
  ...overrides,
});

/** Only what the local cloud's metric math supports: + - * /, comparisons, IF, SUM([...]), FILL. */
const ALLOWED_FUNCTIONS = new Set(["IF", "SUM", "FILL"]);

describe("alarmSpecs", () => {
  it("names every alarm under the trigger's prefix, so the one rule catches them all", () => {
    const specs = alarmSpecs(target());
    expect(specs.map((spec) => spec.AlarmName)).toEqual([
      `${PREFIX}-orders-broker-orders-${target().registrationId}-scale-out`,
      `${PREFIX}-orders-broker-orders-${target().registrationId}-scale-in`,
      `${PREFIX}-orders-broker-orders-${target().registrationId}-from-zero`,
    ]);
  });

  it("sums EnqueueCount − DispatchCount and the backlog over both instances, filling the silent one with 0", () => {
    const [scaleOut] = alarmSpecs(target());
    const byId = new Map(scaleOut?.Metrics?.map((query) => [query.Id, query]));
    expect(byId.get("enq2")?.MetricStat).toEqual({
      Metric: {
        Namespace: "AWS/AmazonMQ",
        MetricName: "EnqueueCount",
        Dimensions: [
          { Name: "Broker", Value: "orders-broker-2" },
          { Name: "Queue", Value: "orders" },
        ],
      },
      Period: 60,
      Stat: "Sum",
    });
    const queued = "SUM([FILL(size1, 0), FILL(size2, 0)])";
    const consumers = "SUM([FILL(cons1, 0), FILL(cons2, 0)])";
    const growth = "(SUM([FILL(enq1, 0), FILL(enq2, 0)]) - SUM([FILL(dsp1, 0), FILL(dsp2, 0)]))";
    expect(byId.get("breach")).toMatchObject({
      ReturnData: true,
      Expression: `IF(${queued} > (${consumers} * 90), 1, IF(${growth} > 0, IF(${queued} > ${consumers}, 1, 0), 0))`,
    });
    expect(scaleOut?.Metrics?.filter((query) => query.ReturnData === true)).toHaveLength(1);
    expect(scaleOut).toMatchObject({
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: "notBreaching",
    });
  });

  it("keeps every alarm within CloudWatch's ten Metrics entries for a pair, and refuses more instances", () => {
    for (const spec of alarmSpecs(target()))
      expect(spec.Metrics?.length).toBeLessThanOrEqual(MAX_ALARM_METRICS);
    expect(() => alarmSpecs(target({ instances: ["b-1", "b-2", "b-3"] }))).toThrow(
      "at most 2 broker instances",
    );
  });

  it("asks the scale-in alarm to breach in every period of the stabilisation window, above the floor", () => {
    const [, scaleIn] = alarmSpecs(
      target({ settings: scalingSettings({ minConsumers: 2 }), periodSeconds: 10 }),
    );
    expect(scaleIn).toMatchObject({ EvaluationPeriods: 30, DatapointsToAlarm: 30 });
    const breach = scaleIn?.Metrics?.find((query) => query.Id === "breach")?.Expression;
    const idle = "SUM([FILL(cons1, 0), FILL(cons2, 0)])";
    expect(breach?.startsWith(`IF(${idle} > 2, IF(`)).toBe(true);
    expect(breach).toContain("<= 0, 1, 0), 0), 0)");
    const stats = scaleIn?.Metrics?.filter((query) => query.Id?.startsWith("cons")).map(
      (q) => q.MetricStat?.Stat,
    );
    expect(stats).toEqual(["Minimum", "Minimum"]);
    for (const query of scaleIn?.Metrics ?? []) {
      if (query.MetricStat !== undefined) expect(query.MetricStat.Period).toBe(10);
    }
  });

  it("lets the scale-in alarm go down to zero consumers when scale-to-zero is on", () => {
    const [, scaleIn] = alarmSpecs(target({ settings: scalingSettings({ scaleToZero: { enabled: true } }) }));
    expect(scaleIn?.Metrics?.find((query) => query.Id === "breach")?.Expression).toMatch(
      /^IF\(SUM\(\[FILL\(cons1, 0\), FILL\(cons2, 0\)\]\) > 0, /,
    );
  });

  it("wakes from zero on the activation queue size while no consumer is connected", () => {
    const [, , fromZero] = alarmSpecs(
      target({ settings: scalingSettings({ scaleToZero: { enabled: true, activationQueueSize: 5 } }) }),
    );
    expect(fromZero?.Metrics?.find((query) => query.Id === "breach")?.Expression).toBe(
      "IF(SUM([FILL(cons1, 0), FILL(cons2, 0)]) < 1, IF(SUM([FILL(size1, 0), FILL(size2, 0)]) >= 5, 1, 0), 0)",
    );
    const stats = fromZero?.Metrics?.flatMap((query) =>
      query.MetricStat ? [query.MetricStat.Metric?.MetricName] : [],
    );
    expect(new Set(stats)).toEqual(new Set(["QueueSize", "ConsumerCount"]));
  });

  it("uses only + - * /, comparisons, IF, SUM([...]) and FILL in its expressions", () => {
    for (const spec of alarmSpecs(target())) {
      for (const query of spec.Metrics ?? []) {
        const expression = query.Expression ?? "";
        for (const call of expression.matchAll(/([A-Z_]+)\s*\(/g))
          expect(ALLOWED_FUNCTIONS).toContain(call[1]);
        expect(expression).not.toMatch(/\b(AND|OR|NOT|METRICS|MAX|MIN)\b/);
      }
    }
  });

  it("sizes the backlog per consumer from the fallback rate and the time left to drain", () => {
    expect(backlogPerConsumer(scalingSettings())).toBe(90);
    expect(backlogPerConsumer(scalingSettings({ targetWaitSeconds: 60 }))).toBe(10);
  });
});

describe("alarm names", () => {
  it("stay within 255 characters for a queue name of 1024", () => {
    const long = "q".repeat(1024);
    const name = alarmName(
      { prefix: PREFIX, registrationId: registrationId("b-1", long), brokerName: "b", queue: long },
      "scale-in",
    );
    expect(name.length).toBeLessThanOrEqual(255);
    expect(parseAlarmName(name)).toEqual({ registrationId: registrationId("b-1", long), kind: "scale-in" });
  });

  it("carry the registration id and kind back out, and nothing for other alarms", () => {
    const name = alarmName(target(), "from-zero");
    expect(parseAlarmName(name)).toEqual({ registrationId: target().registrationId, kind: "from-zero" });
    expect(parseAlarmName(`${PREFIX}-something-else`)).toBeUndefined();
  });

  it("replace characters CloudWatch consoles handle badly in the readable part", () => {
    expect(alarmName({ ...target(), queue: "a/b c:d" }, "scale-out")).toContain("-orders-broker-a_b_c_d-");
  });
});
