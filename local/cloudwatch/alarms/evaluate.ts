import type { StateValue } from "@aws-sdk/client-cloudwatch";
import { JavaDouble, type JavaJson, javaDouble, javaJson, javaTimestamp, reasonDate } from "./format.js";
import type { AlarmRule, PeriodDatapoint, StaticComparisonOperator } from "./model.js";

/**
 * How many periods an evaluation looks at: CloudWatch "retrieves a higher number of data points than
 * the number specified as Evaluation Periods", so that an alarm whose data is late or intermittent is
 * judged on the most recent datapoints it has. The docs' worked example uses five periods for three
 * evaluation periods; we keep that margin of two for every alarm.
 */
export function evaluationRangeLength(evaluationPeriods: number): number {
  return evaluationPeriods + 2;
}

export interface EvaluationInput {
  rule: AlarmRule;
  /** The evaluation range: one entry per period, oldest first, the newest period last. */
  datapoints: PeriodDatapoint[];
  current: StateValue;
  /** Epoch milliseconds of the evaluation: reasonData's `queryDate`. */
  queryDate: number;
}

export interface EvaluationOutcome {
  readonly value: StateValue;
  readonly reason: string;
  readonly reasonData: string;
}

/**
 * Most evaluations confirm the current state and their texts are never read: they are written on
 * first use (a timer evaluates every alarm every period).
 */
function outcome(
  value: StateValue,
  describe: () => { reason: string; reasonData: string },
): EvaluationOutcome {
  let text: { reason: string; reasonData: string } | undefined;
  return {
    value,
    get reason() {
      text ??= describe();
      return text.reason;
    },
    get reasonData() {
      text ??= describe();
      return text.reasonData;
    },
  };
}

const OPERATOR_WORDS: Record<StaticComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

export function breaches(operator: StaticComparisonOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}

type Present = PeriodDatapoint & { value: number };
const isPresent = (point: PeriodDatapoint): point is Present => point.value !== undefined;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
const verb = (count: number) => (count === 1 ? "was" : "were");

/**
 * Decides an alarm's state from its evaluation range, as "Evaluating an alarm" and "Configuring how
 * CloudWatch alarms treat missing data" describe it:
 * - at least N (EvaluationPeriods) real datapoints in the range: the N most recent are evaluated, no filling;
 * - none: `missing` → INSUFFICIENT_DATA, `ignore` → the state is kept, `breaching` → ALARM, `notBreaching` → OK;
 * - some: the missing ones are filled as TreatMissingData says; `ignore` and `missing` fill nothing and
 *   decide only when the real ones settle it (M breaching → ALARM; ALARM out of reach → OK); otherwise
 *   `ignore` keeps the state and `missing` goes to ALARM only by the documented rule against premature
 *   transitions (the oldest breaching datapoint of the last N periods is at least M periods old and all
 *   later ones are breaching or missing).
 * Returns undefined when the state is kept.
 */
export function evaluateAlarm(input: EvaluationInput): EvaluationOutcome | undefined {
  const { rule, datapoints } = input;
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const breaching = (point: Present) => breaches(rule.comparisonOperator, point.value, rule.threshold);
  const present = datapoints.filter(isPresent);
  const recent = datapoints.slice(-n);

  if (present.length >= n) {
    const evaluated = present.slice(-n);
    const count = evaluated.filter(breaching).length;
    return decided(input, count >= m ? "ALARM" : "OK", evaluated, evaluated, count);
  }
  if (present.length === 0) return allMissing(input, recent);

  const fill = n - present.length;
  const missingPeriods = datapoints.filter((point) => !isPresent(point)).slice(-fill);
  const evaluatedPeriods = [...present, ...missingPeriods].sort((a, b) => a.timestamp - b.timestamp);
  const realBreaching = present.filter(breaching).length;
  switch (rule.treatMissingData) {
    case "breaching": {
      const count = realBreaching + fill;
      return decided(input, count >= m ? "ALARM" : "OK", present, evaluatedPeriods, count);
    }
    case "notBreaching":
      return decided(input, realBreaching >= m ? "ALARM" : "OK", present, evaluatedPeriods, realBreaching);
    case "ignore":
    case "missing": {
      if (realBreaching >= m) return decided(input, "ALARM", present, evaluatedPeriods, realBreaching);
      if (realBreaching + fill < m) return decided(input, "OK", present, evaluatedPeriods, realBreaching);
      if (rule.treatMissingData === "ignore") return undefined;
      return prematureAlarm(recent, m, breaching)
        ? decided(input, "ALARM", present, evaluatedPeriods, realBreaching)
        : undefined;
    }
  }
}

function prematureAlarm(recent: PeriodDatapoint[], m: number, breaching: (point: Present) => boolean) {
  const oldest = recent.findIndex((point) => isPresent(point) && breaching(point));
  if (oldest < 0 || recent.length - oldest < m) return false;
  return recent.slice(oldest).every((point) => !isPresent(point) || breaching(point));
}

function allMissing(input: EvaluationInput, recent: PeriodDatapoint[]): EvaluationOutcome | undefined {
  const n = input.rule.evaluationPeriods;
  const data = () => reasonData(input, [], recent);
  switch (input.rule.treatMissingData) {
    case "ignore":
      return undefined;
    case "missing":
      return outcome("INSUFFICIENT_DATA", () => ({
        reason: `Insufficient Data: ${plural(n, "datapoint")} ${verb(n)} unknown.`,
        reasonData: data(),
      }));
    case "breaching":
    case "notBreaching": {
      const treatedAs = input.rule.treatMissingData === "breaching" ? "Breaching" : "NonBreaching";
      return outcome(treatedAs === "Breaching" ? "ALARM" : "OK", () => ({
        reason:
          `Threshold Crossed: no datapoints were received for ${plural(n, "period")} and ` +
          `${plural(n, "missing datapoint")} ${verb(n)} treated as [${treatedAs}].`,
        reasonData: data(),
      }));
    }
  }
}

function decided(
  input: EvaluationInput,
  value: "ALARM" | "OK",
  real: Present[],
  evaluated: PeriodDatapoint[],
  breachingCount: number,
): EvaluationOutcome {
  return outcome(value, () => describeDecision(input, value, real, evaluated, breachingCount));
}

/** The StateReason AWS writes, e.g. "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (30/11/26 23:30:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition)." */
function describeDecision(
  input: EvaluationInput,
  value: "ALARM" | "OK",
  real: Present[],
  evaluated: PeriodDatapoint[],
  breachingCount: number,
): { reason: string; reasonData: string } {
  const { rule } = input;
  const n = rule.evaluationPeriods;
  const toAlarm = value === "ALARM";
  const counted = toAlarm ? breachingCount : n - breachingCount;
  const listed = real
    .filter((point) => breaches(rule.comparisonOperator, point.value, rule.threshold) === toAlarm)
    .reverse()
    .map((point) => `${javaDouble(point.value)} (${reasonDate(point.timestamp)})`);
  const minimum = toAlarm ? rule.datapointsToAlarm : n - rule.datapointsToAlarm + 1;
  const reason =
    `Threshold Crossed: ${counted} out of the last ${n} datapoints [${listed.join(", ")}] ${verb(counted)} ` +
    `${toAlarm ? "" : "not "}${OPERATOR_WORDS[rule.comparisonOperator]} the threshold ` +
    `(${javaDouble(rule.threshold)}) (minimum ${plural(minimum, "datapoint")} for ` +
    `${toAlarm ? "OK -> ALARM" : "ALARM -> OK"} transition).`;
  return { reason, reasonData: reasonData(input, real, evaluated) };
}

/** StateReasonData as AWS writes it: version, queryDate, startDate, statistic, period, recentDatapoints, threshold, evaluatedDatapoints. */
function reasonData(input: EvaluationInput, real: Present[], evaluated: PeriodDatapoint[]): string {
  const { rule } = input;
  const start = evaluated[0]?.timestamp ?? input.queryDate;
  const data: Record<string, JavaJson> = {
    version: "1.0",
    queryDate: javaTimestamp(input.queryDate),
    startDate: javaTimestamp(start),
  };
  if (rule.statistic !== undefined) data.statistic = rule.statistic;
  data.period = rule.period;
  data.recentDatapoints = real.map((point) => new JavaDouble(point.value));
  data.threshold = new JavaDouble(rule.threshold);
  data.evaluatedDatapoints = [...evaluated].reverse().map((point) => {
    const entry: Record<string, JavaJson> = { timestamp: javaTimestamp(point.timestamp) };
    if (point.sampleCount !== undefined) entry.sampleCount = new JavaDouble(point.sampleCount);
    if (point.value !== undefined) entry.value = new JavaDouble(point.value);
    return entry;
  });
  return javaJson(data);
}
