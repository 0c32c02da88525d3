import type {
  Dimension,
  MetricDataQuery,
  PutMetricAlarmInput,
  StandardUnit,
} from "@aws-sdk/client-cloudwatch";
import { StandardUnit as STANDARD_UNITS } from "@aws-sdk/client-cloudwatch";
import { invalidParameterCombination, invalidParameterValue, missingParameter } from "./errors.js";
import type { AlarmRecord, StaticComparisonOperator, TreatMissingData } from "./model.js";

/** The part of an alarm PutMetricAlarm sets (the rest is its state and identity). */
export type AlarmConfiguration = Omit<
  AlarmRecord,
  "alarmArn" | "eventMetricId" | "configurationUpdatedAt" | "state" | "stateTransitionedAt" | "tags"
>;

const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
const STATIC_OPERATORS: StaticComparisonOperator[] = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
];
const ANOMALY_OPERATORS = [
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const TREAT_MISSING_DATA: TreatMissingData[] = ["breaching", "notBreaching", "ignore", "missing"];
/** p0.0-p100 and the trimmed/windsorized forms (tm99, wm90, tc, ts, PR(…)) CloudWatch accepts as percentiles. */
const EXTENDED_STATISTIC = /^(p|tm|wm|tc|ts)\d{1,2}(\.\d{1,2})?$|^p100$|^(TM|WM|TC|TS|PR)\(.+\)$/;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const MAX_ACTIONS = 5;
const UNITS = new Set<string>(Object.values(STANDARD_UNITS));

/** Period: "Valid values are 10, 20, 30, and any multiple of 60." */
export const isValidAlarmPeriod = (period: number) =>
  Number.isInteger(period) &&
  (period === 10 || period === 20 || period === 30 || (period > 0 && period % 60 === 0));

function requireString(value: unknown, name: string, max = 255): string {
  if (value === undefined || value === null || value === "") throw missingParameter(name);
  if (typeof value !== "string" || value.length > max)
    throw invalidParameterValue(`The value for parameter ${name} is not valid.`);
  return value;
}

function requireInteger(value: unknown, name: string, min: number): number {
  if (value === undefined || value === null) throw missingParameter(name);
  if (typeof value !== "number" || !Number.isInteger(value) || value < min)
    throw invalidParameterValue(`The value ${String(value)} for parameter ${name} is not valid.`);
  return value;
}

function actions(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((arn) => typeof arn !== "string"))
    throw invalidParameterValue(`The value for parameter ${name} is not valid.`);
  if (value.length > MAX_ACTIONS)
    throw invalidParameterValue(`The collection ${name} must not have a size greater than ${MAX_ACTIONS}.`);
  for (const arn of value as string[]) {
    if (!/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+/.test(arn))
      throw invalidParameterValue(`Invalid arn syntax: ${arn}`);
  }
  return [...new Set(value as string[])];
}

export function validateDimensions(value: unknown): Dimension[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParameterValue("The value for parameter Dimensions is not valid.");
  if (value.length > 30)
    throw invalidParameterValue("The collection Dimensions must not have a size greater than 30.");
  const names = new Set<string>();
  return value.map((dimension: Dimension, index) => {
    const name = requireString(dimension?.Name, `Dimensions.member.${index + 1}.Name`);
    const dimensionValue = requireString(dimension?.Value, `Dimensions.member.${index + 1}.Value`, 1024);
    if (names.has(name))
      throw invalidParameterValue(`No Metric may specify the same dimension twice (${name}).`);
    names.add(name);
    return { Name: name, Value: dimensionValue };
  });
}

function validatePeriod(value: unknown, name: string): number {
  const period = requireInteger(value, name, 1);
  if (!isValidAlarmPeriod(period))
    throw invalidParameterValue(`The parameter ${name} must be 10, 20, 30 or a multiple of 60.`);
  return period;
}

function validateUnit(value: unknown): StandardUnit | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !UNITS.has(value))
    throw invalidParameterValue(`The value ${String(value)} for parameter Unit is not valid.`);
  return value as StandardUnit;
}

/** A metric-math alarm's `Metrics`: unique ids, exactly one ReturnData, each query a MetricStat or an Expression. */
function validateMetrics(value: unknown): { metrics: MetricDataQuery[]; period: number } {
  if (!Array.isArray(value) || value.length === 0) throw missingParameter("Metrics");
  if (value.length > 10)
    throw invalidParameterValue("The collection Metrics must not have a size greater than 10.");
  const ids = new Set<string>();
  let period: number | undefined;
  const metrics = (value as MetricDataQuery[]).map((query, index) => {
    const at = `Metrics.member.${index + 1}`;
    const id = requireString(query?.Id, `${at}.Id`);
    if (!QUERY_ID.test(id))
      throw invalidParameterValue(
        `The value ${id} for parameter ${at}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    if (ids.has(id)) throw invalidParameterValue(`The value ${id} for parameter Metrics.Id is not unique.`);
    ids.add(id);
    const hasStat = query.MetricStat !== undefined && query.MetricStat !== null;
    const hasExpression = query.Expression !== undefined && query.Expression !== null;
    if (hasStat === hasExpression)
      throw invalidParameterCombination(
        `Exactly one element of MetricStat or Expression must be set in ${at}.`,
      );
    const normalised: MetricDataQuery = { Id: id };
    if (query.MetricStat) {
      const stat = query.MetricStat;
      const metric = stat.Metric;
      if (!metric) throw missingParameter(`${at}.MetricStat.Metric`);
      const statPeriod = validatePeriod(stat.Period, `${at}.MetricStat.Period`);
      const statName = requireString(stat.Stat, `${at}.MetricStat.Stat`);
      if (!STATISTICS.includes(statName) && !EXTENDED_STATISTIC.test(statName))
        throw invalidParameterValue(
          `The value ${statName} for parameter ${at}.MetricStat.Stat is not valid.`,
        );
      period ??= statPeriod;
      normalised.MetricStat = {
        Metric: {
          Namespace: requireString(metric.Namespace, `${at}.MetricStat.Metric.Namespace`),
          MetricName: requireString(metric.MetricName, `${at}.MetricStat.Metric.MetricName`),
          Dimensions: validateDimensions(metric.Dimensions),
        },
        Period: statPeriod,
        Stat: statName,
      };
      const unit = validateUnit(stat.Unit);
      if (unit !== undefined) normalised.MetricStat.Unit = unit;
    } else {
      normalised.Expression = requireString(query.Expression, `${at}.Expression`, 2048);
      if (query.Period !== undefined && query.Period !== null) {
        normalised.Period = validatePeriod(query.Period, `${at}.Period`);
        period ??= normalised.Period;
      }
    }
    if (query.Label !== undefined && query.Label !== null) normalised.Label = String(query.Label);
    // ReturnData defaults to true in a MetricDataQuery.
    normalised.ReturnData = query.ReturnData !== false;
    if (query.AccountId !== undefined && query.AccountId !== null)
      normalised.AccountId = String(query.AccountId);
    return normalised;
  });
  if (metrics.filter((query) => query.ReturnData).length !== 1)
    throw invalidParameterValue("Exactly one element of the metrics list should return data.");
  if (period === undefined)
    throw missingParameter(
      "Metrics.member.N.Period (a Period on an expression, when no MetricStat sets one)",
    );
  return { metrics, period };
}

/** Checks a PutMetricAlarm request as CloudWatch does and returns the alarm's configuration. */
export function validatePutMetricAlarm(input: PutMetricAlarmInput): AlarmConfiguration {
  const alarmName = requireString(input.AlarmName, "AlarmName");
  const evaluationPeriods = requireInteger(input.EvaluationPeriods, "EvaluationPeriods", 1);
  const operator = requireString(input.ComparisonOperator, "ComparisonOperator");
  if (ANOMALY_OPERATORS.includes(operator))
    throw invalidParameterValue(
      `ComparisonOperator ${operator} is for anomaly detection alarms, which the local cloud does not evaluate; use one of ${STATIC_OPERATORS.join(", ")}.`,
    );
  if (!STATIC_OPERATORS.includes(operator as StaticComparisonOperator))
    throw invalidParameterValue(`The value ${operator} for parameter ComparisonOperator is not valid.`);
  if (input.ThresholdMetricId !== undefined && input.ThresholdMetricId !== null)
    throw invalidParameterCombination("ThresholdMetricId can be used only with anomaly detection alarms.");
  if (typeof input.Threshold !== "number" || !Number.isFinite(input.Threshold))
    throw input.Threshold === undefined || input.Threshold === null
      ? missingParameter("Threshold")
      : invalidParameterValue(`The value ${String(input.Threshold)} for parameter Threshold is not valid.`);

  const datapointsToAlarm =
    input.DatapointsToAlarm === undefined || input.DatapointsToAlarm === null
      ? undefined
      : requireInteger(input.DatapointsToAlarm, "DatapointsToAlarm", 1);
  if (datapointsToAlarm !== undefined && datapointsToAlarm > evaluationPeriods)
    throw invalidParameterValue("DatapointsToAlarm must be less than or equal to EvaluationPeriods.");

  let treatMissingData: TreatMissingData | undefined;
  if (input.TreatMissingData !== undefined && input.TreatMissingData !== null) {
    if (!TREAT_MISSING_DATA.includes(input.TreatMissingData as TreatMissingData))
      throw invalidParameterValue(
        `The value ${input.TreatMissingData} for parameter TreatMissingData is not valid. Valid values: ${TREAT_MISSING_DATA.join(", ")}.`,
      );
    treatMissingData = input.TreatMissingData as TreatMissingData;
  }
  if (
    input.AlarmDescription !== undefined &&
    input.AlarmDescription !== null &&
    input.AlarmDescription.length > 1024
  )
    throw invalidParameterValue("The value for parameter AlarmDescription must be 1024 characters or fewer.");

  const common = {
    alarmName,
    alarmDescription: input.AlarmDescription ?? undefined,
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions: actions(input.OKActions, "OKActions"),
    alarmActions: actions(input.AlarmActions, "AlarmActions"),
    insufficientDataActions: actions(input.InsufficientDataActions, "InsufficientDataActions"),
    evaluationPeriods,
    datapointsToAlarm,
    threshold: input.Threshold,
    comparisonOperator: operator as StaticComparisonOperator,
    treatMissingData,
    evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile ?? undefined,
  };

  const singleMetricFields = [
    input.MetricName,
    input.Namespace,
    input.Statistic,
    input.ExtendedStatistic,
    input.Dimensions,
    input.Period,
    input.Unit,
  ].some((field) => field !== undefined && field !== null);
  if (input.Metrics !== undefined && input.Metrics !== null) {
    if (singleMetricFields)
      throw invalidParameterCombination(
        "The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit cannot be used with Metrics.",
      );
    const { metrics, period } = validateMetrics(input.Metrics);
    checkEvaluationRange(period, evaluationPeriods);
    return { ...common, metrics, period };
  }

  const namespace = requireString(input.Namespace, "Namespace");
  const metricName = requireString(input.MetricName, "MetricName");
  const hasStatistic = input.Statistic !== undefined && input.Statistic !== null;
  const hasExtended = input.ExtendedStatistic !== undefined && input.ExtendedStatistic !== null;
  if (hasStatistic === hasExtended)
    throw hasStatistic
      ? invalidParameterCombination("Statistic and ExtendedStatistic cannot both be set.")
      : missingParameter("Statistic or ExtendedStatistic");
  if (hasStatistic && !STATISTICS.includes(String(input.Statistic)))
    throw invalidParameterValue(`The value ${String(input.Statistic)} for parameter Statistic is not valid.`);
  if (hasExtended && !EXTENDED_STATISTIC.test(String(input.ExtendedStatistic)))
    throw invalidParameterValue(
      `The value ${String(input.ExtendedStatistic)} for parameter ExtendedStatistic is not valid.`,
    );
  const period = validatePeriod(input.Period, "Period");
  checkEvaluationRange(period, evaluationPeriods);
  return {
    ...common,
    namespace,
    metricName,
    statistic: hasStatistic ? String(input.Statistic) : undefined,
    extendedStatistic: hasExtended ? String(input.ExtendedStatistic) : undefined,
    dimensions: validateDimensions(input.Dimensions),
    unit: validateUnit(input.Unit),
    period,
  };
}

/** "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds … one day for periods under an hour." */
function checkEvaluationRange(period: number, evaluationPeriods: number) {
  const limit = period < 3600 ? 86_400 : 604_800;
  if (period * evaluationPeriods > limit)
    throw invalidParameterValue(
      `The evaluation period (Period × EvaluationPeriods = ${period * evaluationPeriods} seconds) must not exceed ${limit} seconds.`,
    );
}
