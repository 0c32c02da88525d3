export { type Alarms, type AlarmsOptions, createAlarms } from "./alarms.js";
export { evaluateAlarm, evaluationRangeLength } from "./evaluate.js";
export {
  type AlarmEventMetric,
  type AlarmEventState,
  type AlarmStateChangeEvent,
  buildAlarmStateChangeEvent,
} from "./event.js";
export type { AlarmRecord, AlarmRule, AlarmState, CloudWatchOperation, MetricSource } from "./model.js";
export { buildAlarmNotification } from "./notification.js";
