import type {
  AlarmHistoryItem,
  DescribeAlarmHistoryInput,
  HistoryItemType,
} from "@aws-sdk/client-cloudwatch";
import { invalidNextToken, invalidParameterValue } from "./errors.js";
import { JavaDouble, type JavaJson, javaJson, javaTimestamp } from "./format.js";
import type { AlarmRecord, AlarmState } from "./model.js";

export interface HistoryRecord {
  alarmName: string;
  alarmType: "MetricAlarm";
  /** Epoch milliseconds. */
  timestamp: number;
  type: Extract<HistoryItemType, "ConfigurationUpdate" | "StateUpdate" | "Action">;
  summary: string;
  /** A JSON text, as AWS writes it. */
  data: string;
}

/** CloudWatch keeps alarm history for two weeks; the local cloud also caps how many items it keeps. */
export const HISTORY_RETENTION_MS = 14 * 24 * 3600 * 1000;
export const HISTORY_LIMIT = 10_000;

function stateJson(state: AlarmState): string {
  // reasonData is already JSON (written by evaluate.ts with Java doubles, or checked by SetAlarmState).
  const reasonData = state.reasonData === undefined ? "" : `,"stateReasonData":${state.reasonData.trim()}`;
  return `{"stateValue":${JSON.stringify(state.value)},"stateReason":${JSON.stringify(state.reason)}${reasonData}}`;
}

export function stateUpdateRecord(alarm: AlarmRecord, previous: AlarmState): HistoryRecord {
  return {
    alarmName: alarm.alarmName,
    alarmType: "MetricAlarm",
    timestamp: alarm.state.timestamp,
    type: "StateUpdate",
    summary: `Alarm updated from ${previous.value} to ${alarm.state.value}`,
    data: `{"version":"1.0","oldState":${stateJson(previous)},"newState":${stateJson(alarm.state)}}`,
  };
}

/** The alarm as ConfigurationUpdate items describe it (camelCase; `okactions` is spelled so by AWS). */
function alarmJson(alarm: AlarmRecord): Record<string, JavaJson> {
  const body: Record<string, JavaJson> = { alarmName: alarm.alarmName };
  if (alarm.alarmDescription !== undefined) body.alarmDescription = alarm.alarmDescription;
  body.alarmArn = alarm.alarmArn;
  body.alarmConfigurationUpdatedTimestamp = javaTimestamp(alarm.configurationUpdatedAt);
  if (alarm.metrics !== undefined) {
    body.metrics = JSON.parse(JSON.stringify(alarm.metrics)) as JavaJson;
  } else {
    body.namespace = alarm.namespace ?? "";
    body.metricName = alarm.metricName ?? "";
    if (alarm.statistic !== undefined) body.statistic = alarm.statistic;
    if (alarm.extendedStatistic !== undefined) body.extendedStatistic = alarm.extendedStatistic;
    body.period = alarm.period;
    body.dimensions = (alarm.dimensions ?? []).map((dimension) => ({
      value: dimension.Value ?? "",
      name: dimension.Name ?? "",
    }));
    if (alarm.unit !== undefined) body.unit = alarm.unit;
  }
  body.threshold = new JavaDouble(alarm.threshold);
  body.comparisonOperator = alarm.comparisonOperator;
  body.evaluationPeriods = alarm.evaluationPeriods;
  if (alarm.datapointsToAlarm !== undefined) body.datapointsToAlarm = alarm.datapointsToAlarm;
  if (alarm.treatMissingData !== undefined) body.treatMissingData = alarm.treatMissingData;
  body.stateValue = alarm.state.value;
  body.stateUpdatedTimestamp = javaTimestamp(alarm.state.timestamp);
  body.actionsEnabled = alarm.actionsEnabled;
  body.alarmActions = alarm.alarmActions;
  body.insufficientDataActions = alarm.insufficientDataActions;
  body.okactions = alarm.okActions;
  return body;
}

export function configurationRecord(
  kind: "Create" | "Update" | "Delete",
  alarm: AlarmRecord,
  timestamp: number,
  original?: AlarmRecord,
): HistoryRecord {
  const data: Record<string, JavaJson> = { version: "1.0", type: kind };
  if (kind === "Create") data.createdAlarm = alarmJson(alarm);
  if (kind === "Update") {
    if (original !== undefined) data.originalAlarm = alarmJson(original);
    data.updatedAlarm = alarmJson(alarm);
  }
  if (kind === "Delete") data.deletedAlarm = alarmJson(alarm);
  const verbs = { Create: "created", Update: "updated", Delete: "deleted" } as const;
  return {
    alarmName: alarm.alarmName,
    alarmType: "MetricAlarm",
    timestamp,
    type: "ConfigurationUpdate",
    summary: `Alarm "${alarm.alarmName}" ${verbs[kind]}`,
    data: javaJson(data),
  };
}

export type ActionOutcome =
  | { ok: true; topicArn: string; message: string }
  | { ok: false; actionArn: string; error: string };

export function actionRecord(alarm: AlarmRecord, outcome: ActionOutcome, timestamp: number): HistoryRecord {
  const base = {
    alarmName: alarm.alarmName,
    alarmType: "MetricAlarm" as const,
    timestamp,
    type: "Action" as const,
  };
  if (outcome.ok) {
    return {
      ...base,
      summary: `Successfully executed action ${outcome.topicArn}`,
      data: JSON.stringify({
        actionState: "Succeeded",
        stateUpdateTimestamp: alarm.state.timestamp,
        notificationResource: outcome.topicArn,
        publishedMessage: outcome.message,
      }),
    };
  }
  return {
    ...base,
    summary: `Failed to execute action ${outcome.actionArn}. Received error: "${outcome.error}"`,
    data: JSON.stringify({
      actionState: "Failed",
      stateUpdateTimestamp: alarm.state.timestamp,
      notificationResource: outcome.actionArn,
      error: outcome.error,
    }),
  };
}

/** Drops what CloudWatch would no longer show: older than two weeks, or beyond the local cap. */
export function trimHistory(records: HistoryRecord[], now: number): HistoryRecord[] {
  const kept = records.filter((record) => record.timestamp >= now - HISTORY_RETENTION_MS);
  return kept.length > HISTORY_LIMIT ? kept.slice(kept.length - HISTORY_LIMIT) : kept;
}

const HISTORY_TYPES = [
  "ConfigurationUpdate",
  "StateUpdate",
  "Action",
  "AlarmContributorStateUpdate",
  "AlarmContributorAction",
];

/** DescribeAlarmHistory over the records (kept oldest first): filters, ScanBy, MaxRecords 1-100, NextToken. */
export function queryHistory(
  records: HistoryRecord[],
  input: DescribeAlarmHistoryInput,
): { AlarmHistoryItems: AlarmHistoryItem[]; NextToken?: string } {
  const maxRecords = input.MaxRecords ?? 100;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100)
    throw invalidParameterValue(
      `The value ${maxRecords} for parameter MaxRecords is not valid: it must be 1-100.`,
    );
  if (input.HistoryItemType !== undefined && !HISTORY_TYPES.includes(input.HistoryItemType))
    throw invalidParameterValue(
      `The value ${input.HistoryItemType} for parameter HistoryItemType is not valid.`,
    );
  const scanBy = input.ScanBy ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending")
    throw invalidParameterValue(`The value ${String(scanBy)} for parameter ScanBy is not valid.`);
  // Without AlarmTypes only metric alarms' history is returned, and there are only metric alarms here.
  const types = input.AlarmTypes ?? ["MetricAlarm"];
  const start = input.StartDate?.getTime() ?? Number.NEGATIVE_INFINITY;
  const end = input.EndDate?.getTime() ?? Number.POSITIVE_INFINITY;
  const matching = records.filter(
    (record) =>
      (input.AlarmName === undefined || record.alarmName === input.AlarmName) &&
      types.includes(record.alarmType) &&
      (input.HistoryItemType === undefined || record.type === input.HistoryItemType) &&
      record.timestamp >= start &&
      record.timestamp <= end,
  );
  const ordered = scanBy === "TimestampAscending" ? matching : [...matching].reverse();
  const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
  if (offset > ordered.length) throw invalidNextToken();
  const page = ordered.slice(offset, offset + maxRecords);
  const next = offset + page.length;
  return {
    AlarmHistoryItems: page.map((record) => ({
      AlarmName: record.alarmName,
      AlarmType: record.alarmType,
      Timestamp: new Date(record.timestamp),
      HistoryItemType: record.type,
      HistorySummary: record.summary,
      HistoryData: record.data,
    })),
    ...(next < ordered.length ? { NextToken: encodeOffset(next) } : {}),
  };
}

export const encodeOffset = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");

export function decodeOffset(token: string): number {
  const match = /^o:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (match?.[1] === undefined) throw invalidNextToken();
  return Number(match[1]);
}
