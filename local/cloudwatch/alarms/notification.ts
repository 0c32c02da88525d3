import type { Dimension } from "@aws-sdk/client-cloudwatch";
import { LOCAL_ACCOUNT } from "../../server/service.js";
import { regionName } from "./arns.js";
import { javaTimestamp } from "./format.js";
import type { AlarmRecord, AlarmState } from "./model.js";

/** SNS subjects are at most 100 characters. */
const SUBJECT_LIMIT = 100;

const notificationDimensions = (dimensions: Dimension[] | undefined) =>
  (dimensions ?? []).map((dimension) => ({ value: dimension.Value, name: dimension.Name }));

function trigger(alarm: AlarmRecord): Record<string, unknown> {
  const common = {
    Period: alarm.period,
    EvaluationPeriods: alarm.evaluationPeriods,
    ...(alarm.datapointsToAlarm === undefined ? {} : { DatapointsToAlarm: alarm.datapointsToAlarm }),
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData ?? "",
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile ?? "",
  };
  if (alarm.metrics !== undefined) {
    return {
      ...common,
      Metrics: alarm.metrics.map((query) => ({
        ...(query.Expression === undefined ? {} : { Expression: query.Expression }),
        Id: query.Id,
        ...(query.Label === undefined ? {} : { Label: query.Label }),
        ...(query.MetricStat === undefined
          ? {}
          : {
              MetricStat: {
                Metric: {
                  Dimensions: notificationDimensions(query.MetricStat.Metric?.Dimensions),
                  MetricName: query.MetricStat.Metric?.MetricName,
                  Namespace: query.MetricStat.Metric?.Namespace,
                },
                Period: query.MetricStat.Period,
                Stat: query.MetricStat.Stat,
                ...(query.MetricStat.Unit === undefined ? {} : { Unit: query.MetricStat.Unit }),
              },
            }),
        ReturnData: query.ReturnData !== false,
      })),
    };
  }
  return {
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    StatisticType: alarm.statistic === undefined ? "ExtendedStatistic" : "Statistic",
    // CloudWatch writes the statistic upper-cased here ("AVERAGE"), and a percentile as given.
    Statistic: alarm.statistic === undefined ? alarm.extendedStatistic : alarm.statistic.toUpperCase(),
    Unit: alarm.unit ?? null,
    Dimensions: notificationDimensions(alarm.dimensions),
    ...common,
  };
}

/** The SNS message an alarm action publishes (the JSON CloudWatch sends to a topic) and its subject. */
export function buildAlarmNotification(
  alarm: AlarmRecord,
  previousState: AlarmState,
  region: string,
): { subject: string; message: string } {
  const message = {
    AlarmName: alarm.alarmName,
    AlarmDescription: alarm.alarmDescription ?? null,
    AWSAccountId: LOCAL_ACCOUNT,
    AlarmConfigurationUpdatedTimestamp: javaTimestamp(alarm.configurationUpdatedAt),
    NewStateValue: alarm.state.value,
    NewStateReason: alarm.state.reason,
    StateChangeTime: javaTimestamp(alarm.state.timestamp),
    Region: regionName(region),
    AlarmArn: alarm.alarmArn,
    OldStateValue: previousState.value,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    Trigger: trigger(alarm),
  };
  const subject = `${alarm.state.value}: "${alarm.alarmName}" in ${regionName(region)}`;
  return { subject: subject.slice(0, SUBJECT_LIMIT), message: JSON.stringify(message) };
}
