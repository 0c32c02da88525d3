import type {
  Dimension,
  MetricDataQuery,
  MetricDataResult,
  StandardUnit,
  StateValue,
} from "@aws-sdk/client-cloudwatch";

/** The four static-threshold operators; the anomaly-band ones are refused (see validation.ts). */
export type StaticComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";

export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";

/** What CloudWatch needs to evaluate an alarm, taken from PutMetricAlarm. */
export interface AlarmRule {
  comparisonOperator: StaticComparisonOperator;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
  /** Seconds: the alarm's period (a metric-math alarm's is that of its queries). */
  period: number;
  /** Single-metric alarms only: reasonData names it. */
  statistic?: string;
}

/** One period of the evaluation range, oldest first; `value` absent = no datapoint for that period. */
export interface PeriodDatapoint {
  /** Epoch milliseconds of the period's start. */
  timestamp: number;
  value?: number;
  sampleCount?: number;
}

/** An alarm as PutMetricAlarm stored it, plus its state: what `alarms.json` holds. */
export interface AlarmRecord {
  alarmName: string;
  alarmArn: string;
  alarmDescription?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  /** Single-metric alarms. */
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions?: Dimension[];
  unit?: StandardUnit;
  /** Metric-math alarms. */
  metrics?: MetricDataQuery[];
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: StaticComparisonOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: string;
  /** The `id` CloudWatch gives a single-metric alarm's metric in state-change events. */
  eventMetricId: string;
  /** Epoch milliseconds. */
  configurationUpdatedAt: number;
  state: AlarmState;
  /** Epoch milliseconds of the last change of `state.value`. */
  stateTransitionedAt: number;
  tags: { Key: string; Value: string }[];
  /** Set while the alarm's queries cannot be evaluated (DescribeAlarms' EvaluationState). */
  evaluationState?: "EVALUATION_ERROR";
}

export interface AlarmState {
  value: StateValue;
  reason: string;
  reasonData?: string;
  /** Epoch milliseconds. */
  timestamp: number;
}

/**
 * Where alarms read their data: the local metric store (local/cloudwatch/metrics/store.ts) has this shape.
 * Declared here so alarms depend on the two calls they use, not on the store's internals.
 */
export interface MetricSource {
  getMetricData(queries: MetricDataQuery[], start: Date, end: Date): MetricDataResult[];
  /** Calls `listener` whenever data arrives for a metric; returns the unsubscribe function. */
  onData(listener: (namespace: string, metricName: string, dimensions: Dimension[]) => void): () => void;
}

export type { CloudWatchOperation } from "../wire/operation.js";
