import type { Dimension, MetricDataQuery, StateValue } from "@aws-sdk/client-cloudwatch";
import { eventTime, javaTimestamp } from "./format.js";
import type { AlarmRecord, AlarmState } from "./model.js";

export interface AlarmEventState {
  value: StateValue;
  reason: string;
  /** Absent when the state has none (a new alarm's "Unchecked: Initial alarm creation"). */
  reasonData?: string;
  /** `2019-10-02T17:04:40.989+0000` */
  timestamp: string;
}

export interface AlarmEventMetric {
  id: string;
  expression?: string;
  label?: string;
  metricStat?: {
    metric: { dimensions: Record<string, string>; name: string; namespace: string };
    period: number;
    stat: string;
    unit?: string;
  };
  returnData: boolean;
}

/** The "CloudWatch Alarm State Change" event, as EventBridge delivers it. */
export interface AlarmStateChangeEvent {
  version: "0";
  id: string;
  "detail-type": "CloudWatch Alarm State Change";
  source: "aws.cloudwatch";
  account: string;
  /** `2019-10-02T17:04:40Z` */
  time: string;
  region: string;
  resources: [string];
  detail: {
    alarmName: string;
    configuration: { description?: string; metrics: AlarmEventMetric[] };
    previousState: AlarmEventState;
    state: AlarmEventState;
  };
}

const dimensionMap = (dimensions: Dimension[] | undefined) =>
  Object.fromEntries((dimensions ?? []).map((dimension) => [dimension.Name ?? "", dimension.Value ?? ""]));

/** `detail.configuration.metrics`: a single-metric alarm shows as one MetricStat query with CloudWatch's generated id. */
export function eventMetrics(alarm: AlarmRecord): AlarmEventMetric[] {
  if (alarm.metrics !== undefined) return alarm.metrics.map(eventMetric);
  const stat: NonNullable<AlarmEventMetric["metricStat"]> = {
    metric: {
      dimensions: dimensionMap(alarm.dimensions),
      name: alarm.metricName ?? "",
      namespace: alarm.namespace ?? "",
    },
    period: alarm.period,
    stat: alarm.statistic ?? alarm.extendedStatistic ?? "",
  };
  if (alarm.unit !== undefined) stat.unit = alarm.unit;
  return [{ id: alarm.eventMetricId, metricStat: stat, returnData: true }];
}

function eventMetric(query: MetricDataQuery): AlarmEventMetric {
  const metric: AlarmEventMetric = { id: query.Id ?? "", returnData: query.ReturnData !== false };
  if (query.Expression !== undefined) {
    return {
      expression: query.Expression,
      id: metric.id,
      ...(query.Label === undefined ? {} : { label: query.Label }),
      returnData: metric.returnData,
    };
  }
  const stat = query.MetricStat;
  return {
    id: metric.id,
    ...(query.Label === undefined ? {} : { label: query.Label }),
    metricStat: {
      metric: {
        dimensions: dimensionMap(stat?.Metric?.Dimensions),
        name: stat?.Metric?.MetricName ?? "",
        namespace: stat?.Metric?.Namespace ?? "",
      },
      period: stat?.Period ?? 0,
      stat: stat?.Stat ?? "",
      ...(stat?.Unit === undefined ? {} : { unit: stat.Unit }),
    },
    returnData: metric.returnData,
  };
}

const eventState = (state: AlarmState): AlarmEventState => ({
  reason: state.reason,
  ...(state.reasonData === undefined ? {} : { reasonData: state.reasonData }),
  timestamp: javaTimestamp(state.timestamp),
  value: state.value,
});

/** Builds the state-change event for `alarm` (already in its new state) leaving `previousState`. */
export function buildAlarmStateChangeEvent(options: {
  id: string;
  account: string;
  region: string;
  alarm: AlarmRecord;
  previousState: AlarmState;
}): AlarmStateChangeEvent {
  const { alarm } = options;
  const metrics = eventMetrics(alarm);
  return {
    version: "0",
    id: options.id,
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account: options.account,
    time: eventTime(alarm.state.timestamp),
    region: options.region,
    resources: [alarm.alarmArn],
    detail: {
      alarmName: alarm.alarmName,
      configuration:
        alarm.alarmDescription === undefined ? { metrics } : { description: alarm.alarmDescription, metrics },
      previousState: eventState(options.previousState),
      state: eventState(alarm.state),
    },
  };
}
