import type {
  DescribeAlarmsForMetricInput,
  DescribeAlarmsInput,
  Dimension,
  MetricAlarm,
  Statistic,
} from "@aws-sdk/client-cloudwatch";
import { invalidParameterCombination, invalidParameterValue, missingParameter } from "./errors.js";
import { decodeOffset, encodeOffset } from "./history.js";
import type { AlarmRecord } from "./model.js";

/** An alarm as DescribeAlarms' `MetricAlarms` shows it. */
export function metricAlarmOutput(alarm: AlarmRecord): MetricAlarm {
  const output: MetricAlarm = {
    AlarmName: alarm.alarmName,
    AlarmArn: alarm.alarmArn,
    AlarmDescription: alarm.alarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    StateReasonData: alarm.state.reasonData,
    StateUpdatedTimestamp: new Date(alarm.state.timestamp),
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
    EvaluationState: alarm.evaluationState,
  };
  if (alarm.metrics !== undefined) {
    output.Metrics = alarm.metrics;
  } else {
    Object.assign(output, {
      MetricName: alarm.metricName,
      Namespace: alarm.namespace,
      Statistic: alarm.statistic as Statistic | undefined,
      ExtendedStatistic: alarm.extendedStatistic,
      Dimensions: alarm.dimensions ?? [],
      Period: alarm.period,
      Unit: alarm.unit,
    });
  }
  Object.assign(output, {
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
  });
  for (const key of Object.keys(output) as (keyof MetricAlarm)[]) {
    if (output[key] === undefined) delete output[key];
  }
  return output;
}

/** Alarms are listed by name in code-point order (a stable order to page through). */
const byName = (a: AlarmRecord, b: AlarmRecord) =>
  a.alarmName < b.alarmName ? -1 : a.alarmName > b.alarmName ? 1 : 0;

const STATE_VALUES = ["OK", "ALARM", "INSUFFICIENT_DATA"];
const ALARM_TYPES = ["CompositeAlarm", "MetricAlarm", "LogAlarm"];

/** DescribeAlarms: names or prefix, state, types, action prefix; sorted by name, MaxRecords 1-100 (50 by default). */
export function describeAlarms(alarms: AlarmRecord[], input: DescribeAlarmsInput) {
  if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined)
    throw invalidParameterCombination("AlarmNames and AlarmNamePrefix cannot be used together.");
  if ((input.AlarmNames?.length ?? 0) > 100)
    throw invalidParameterValue("The collection AlarmNames must not have a size greater than 100.");
  if (input.StateValue !== undefined && !STATE_VALUES.includes(input.StateValue))
    throw invalidParameterValue(`The value ${input.StateValue} for parameter StateValue is not valid.`);
  for (const type of input.AlarmTypes ?? [])
    if (!ALARM_TYPES.includes(type))
      throw invalidParameterValue(`The value ${type} for parameter AlarmTypes is not valid.`);
  const maxRecords = input.MaxRecords ?? 50;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100)
    throw invalidParameterValue(
      `The value ${maxRecords} for parameter MaxRecords is not valid: it must be 1-100.`,
    );
  const compositeRequested = input.AlarmTypes?.includes("CompositeAlarm") ?? false;
  // Without AlarmTypes only metric alarms are returned; composite alarms do not exist locally, so
  // ChildrenOfAlarmName/ParentsOfAlarmName (composite relations) match nothing.
  const metricRequested =
    (input.AlarmTypes === undefined || input.AlarmTypes.includes("MetricAlarm")) &&
    input.ChildrenOfAlarmName === undefined &&
    input.ParentsOfAlarmName === undefined;
  const names = input.AlarmNames === undefined ? undefined : new Set(input.AlarmNames);
  const matching = metricRequested
    ? alarms
        .filter(
          (alarm) =>
            (names === undefined || names.has(alarm.alarmName)) &&
            (input.AlarmNamePrefix === undefined || alarm.alarmName.startsWith(input.AlarmNamePrefix)) &&
            (input.StateValue === undefined || alarm.state.value === input.StateValue) &&
            (input.ActionPrefix === undefined ||
              [...alarm.alarmActions, ...alarm.okActions, ...alarm.insufficientDataActions].some((arn) =>
                arn.startsWith(input.ActionPrefix ?? ""),
              )),
        )
        .sort(byName)
    : [];
  const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
  const page = matching.slice(offset, offset + maxRecords);
  const next = offset + page.length;
  return {
    MetricAlarms: page.map(metricAlarmOutput),
    ...(compositeRequested ? { CompositeAlarms: [] } : {}),
    ...(next < matching.length ? { NextToken: encodeOffset(next) } : {}),
  };
}

const sameDimensions = (a: Dimension[] = [], b: Dimension[] = []) =>
  a.length === b.length &&
  a.every((dimension) => b.some((d) => d.Name === dimension.Name && d.Value === dimension.Value));

/** DescribeAlarmsForMetric: the single-metric alarms on exactly that metric (and the optional statistic, period, unit). */
export function describeAlarmsForMetric(alarms: AlarmRecord[], input: DescribeAlarmsForMetricInput) {
  if (!input.MetricName) throw missingParameter("MetricName");
  if (!input.Namespace) throw missingParameter("Namespace");
  const matching = alarms.filter(
    (alarm) =>
      alarm.metrics === undefined &&
      alarm.namespace === input.Namespace &&
      alarm.metricName === input.MetricName &&
      (input.Dimensions === undefined || sameDimensions(alarm.dimensions, input.Dimensions)) &&
      (input.Statistic === undefined || alarm.statistic === input.Statistic) &&
      (input.ExtendedStatistic === undefined || alarm.extendedStatistic === input.ExtendedStatistic) &&
      (input.Period === undefined || alarm.period === input.Period) &&
      (input.Unit === undefined || alarm.unit === input.Unit),
  );
  return {
    MetricAlarms: matching.sort(byName).map(metricAlarmOutput),
  };
}
