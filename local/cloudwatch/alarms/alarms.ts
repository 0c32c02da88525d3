import { randomUUID } from "node:crypto";
import type {
  DeleteAlarmsInput,
  DescribeAlarmHistoryInput,
  DescribeAlarmsForMetricInput,
  DescribeAlarmsInput,
  DisableAlarmActionsInput,
  EnableAlarmActionsInput,
  ListTagsForResourceInput,
  PutMetricAlarmInput,
  SetAlarmStateInput,
  TagResourceInput,
  UntagResourceInput,
} from "@aws-sdk/client-cloudwatch";
import { LOCAL_ACCOUNT } from "../../server/service.js";
import { metricKey } from "../metrics/metric-key.js";
import { alarmArn, alarmNameOf } from "./arns.js";
import { alarmMetrics, alarmRule, readEvaluationRange } from "./datapoints.js";
import { describeAlarms, describeAlarmsForMetric } from "./describe.js";
import {
  alarmNotFound,
  invalidFormat,
  invalidParameterValue,
  missingParameter,
  resourceNotFound,
} from "./errors.js";
import { evaluateAlarm } from "./evaluate.js";
import { type AlarmStateChangeEvent, buildAlarmStateChangeEvent } from "./event.js";
import {
  type ActionOutcome,
  actionRecord,
  configurationRecord,
  type HistoryRecord,
  queryHistory,
  stateUpdateRecord,
  trimHistory,
} from "./history.js";
import type { AlarmRecord, AlarmState, CloudWatchOperation, MetricSource, PeriodDatapoint } from "./model.js";
import { buildAlarmNotification } from "./notification.js";
import { AlarmsStore } from "./store.js";
import { validateTags } from "./tags.js";
import { validatePutMetricAlarm } from "./validation.js";

export interface AlarmsOptions {
  dataDir: string;
  region: string;
  /**
   * The metric store, or a function that returns it: the CloudWatch service creates its store and takes
   * the alarm operations at once, so the store may not exist yet when the alarms are created. The
   * function is called once, on the next turn of the event loop or at the first evaluation.
   */
  metrics: MetricSource | (() => MetricSource);
  /** Epoch milliseconds; Date.now by default (tests pass their own clock). */
  now?: () => number;
  /** Puts the "CloudWatch Alarm State Change" event on the local event bus. */
  emitEvent: (event: AlarmStateChangeEvent) => void | Promise<void>;
  /** Publishes an alarm notification to an SNS topic (an alarm action). */
  publishToTopic: (topicArn: string, subject: string, message: string) => void | Promise<void>;
  /** Hears of an evaluation that failed unexpectedly (e.g. the data dir cannot be written); others go on. */
  onError?: (error: unknown) => void;
}

export interface Alarms {
  /** PutMetricAlarm, DescribeAlarms, … by name, for the CloudWatch service's `extraOperations`. */
  operations: Record<string, CloudWatchOperation>;
  /** Evaluates every alarm now (what the timers do each period); resolves once transitions are handled. */
  evaluateAll(): Promise<void>;
  /** Stops timers and listeners, waits for evaluations in flight and writes everything to the data dir. */
  close(): Promise<void>;
}

const INITIAL_REASON = "Unchecked: Initial alarm creation";
/** CloudWatch evaluates alarms of 10, 20 and 30-second periods that often, and others every minute. */
const timerIntervalOf = (period: number) => Math.min(period, 60);
const SNS_ACTION = /^arn:[^:]+:sns:/;

/**
 * CloudWatch metric alarms: the API operations, evaluation when data arrives and on a timer per
 * period, state-change events, SNS actions and history, kept in the data directory.
 */
export function createAlarms(options: AlarmsOptions): Alarms {
  const now = options.now ?? Date.now;
  const store = new AlarmsStore(options.dataDir, (error) => options.onError?.(error));
  const loaded = store.load();
  const alarms = new Map(loaded.alarms.map((alarm) => [alarm.alarmName, alarm]));
  let history: HistoryRecord[] = loaded.history;
  let closed = false;

  /* ---------- evaluation scheduling ---------- */

  const byMetric = new Map<string, Set<string>>();
  const timers = new Map<number, NodeJS.Timeout>();
  /** Per alarm: the evaluation running, and whether another was asked for meanwhile. */
  const running = new Map<string, { done: Promise<void>; again: boolean }>();

  function index() {
    byMetric.clear();
    for (const alarm of alarms.values()) {
      for (const metric of alarmMetrics(alarm)) {
        const key = metricKey(metric.namespace, metric.metricName, metric.dimensions);
        const names = byMetric.get(key) ?? new Set<string>();
        names.add(alarm.alarmName);
        byMetric.set(key, names);
      }
    }
    const intervals = new Set([...alarms.values()].map((alarm) => timerIntervalOf(alarm.period)));
    for (const [interval, timer] of timers) {
      if (!intervals.has(interval)) {
        clearTimeout(timer);
        timers.delete(interval);
      }
    }
    for (const interval of intervals) if (!timers.has(interval)) arm(interval);
  }

  /**
   * Fires a little after each multiple of `interval`: the data of the period that just ended is
   * published at its end (the collector stamps it with the period's start) and wakes its alarms
   * itself; the timer is for noticing data that did not come, so it leaves the publisher a fifth of
   * the interval before it looks.
   */
  function arm(interval: number) {
    if (closed) return;
    const intervalMs = interval * 1000;
    const graceMs = intervalMs / 5;
    const sinceBoundary = (((now() - graceMs) % intervalMs) + intervalMs) % intervalMs;
    const timer = setTimeout(() => {
      timers.delete(interval);
      for (const alarm of alarms.values())
        if (timerIntervalOf(alarm.period) === interval) void schedule(alarm.alarmName);
      if ([...alarms.values()].some((alarm) => timerIntervalOf(alarm.period) === interval)) arm(interval);
    }, intervalMs - sinceBoundary);
    timer.unref();
    timers.set(interval, timer);
  }

  /** Evaluates an alarm; calls that come while it runs are folded into one more run after it. */
  function schedule(name: string): Promise<void> {
    const current = running.get(name);
    if (current !== undefined) {
      current.again = true;
      return current.done;
    }
    const entry = { done: Promise.resolve(), again: false };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          try {
            await evaluate(name);
          } catch (error) {
            // Timers and data listeners do not wait for evaluations: a failure must not become an
            // unhandled rejection that stops the local cloud.
            options.onError?.(error);
          }
        } while (entry.again && !closed);
      } finally {
        running.delete(name);
      }
    })();
    running.set(name, entry);
    return entry.done;
  }

  async function evaluate(name: string) {
    const alarm = alarms.get(name);
    if (alarm === undefined) return;
    const at = now();
    let datapoints: PeriodDatapoint[];
    try {
      datapoints = readEvaluationRange(metricSource(), alarm, at);
    } catch (error) {
      // As CloudWatch's EVALUATION_ERROR: the state stays, StateReason says what is wrong.
      if (alarm.evaluationState === undefined) {
        alarm.evaluationState = "EVALUATION_ERROR";
        alarm.state = { value: alarm.state.value, reason: (error as Error).message, timestamp: at };
        saveAlarms();
      }
      return;
    }
    if (alarm.evaluationState !== undefined) {
      alarm.evaluationState = undefined;
      saveAlarms();
    }
    const outcome = evaluateAlarm({
      rule: alarmRule(alarm),
      datapoints,
      current: alarm.state.value,
      queryDate: at,
    });
    if (outcome === undefined || outcome.value === alarm.state.value) return;
    await changeState(alarm, {
      value: outcome.value,
      reason: outcome.reason,
      reasonData: outcome.reasonData,
      timestamp: at,
    });
  }

  let source: MetricSource | undefined;
  let unsubscribe = () => {};
  function metricSource(): MetricSource {
    if (source === undefined) {
      source = typeof options.metrics === "function" ? options.metrics() : options.metrics;
      unsubscribe = source.onData((namespace, metricName, dimensions) => {
        for (const name of byMetric.get(metricKey(namespace, metricName, dimensions)) ?? [])
          void schedule(name);
      });
    }
    return source;
  }
  if (typeof options.metrics === "function") {
    setImmediate(() => {
      try {
        if (!closed) metricSource();
      } catch {
        // Not there yet: the first evaluation or operation that needs it asks again.
      }
    });
  } else {
    metricSource();
  }

  /* ---------- transitions ---------- */

  function record(...records: HistoryRecord[]) {
    history = trimHistory([...history, ...records], now());
    store.saveHistory(history);
  }

  const saveAlarms = () => store.saveAlarms(alarms.values());

  async function changeState(alarm: AlarmRecord, next: AlarmState) {
    const previous = alarm.state;
    alarm.state = next;
    if (next.value === previous.value) {
      saveAlarms();
      return;
    }
    alarm.stateTransitionedAt = next.timestamp;
    saveAlarms();
    record(stateUpdateRecord(alarm, previous));
    try {
      await options.emitEvent(
        buildAlarmStateChangeEvent({
          id: randomUUID(),
          account: LOCAL_ACCOUNT,
          region: options.region,
          alarm,
          previousState: previous,
        }),
      );
    } catch {
      // The event bus reports its own delivery failures; an alarm's state change stands regardless.
    }
    if (alarm.actionsEnabled) await runActions(alarm, previous);
  }

  async function runActions(alarm: AlarmRecord, previous: AlarmState) {
    const arns =
      alarm.state.value === "ALARM"
        ? alarm.alarmActions
        : alarm.state.value === "OK"
          ? alarm.okActions
          : alarm.insufficientDataActions;
    const outcomes: ActionOutcome[] = [];
    for (const arn of arns) {
      if (!SNS_ACTION.test(arn)) {
        outcomes.push({ ok: false, actionArn: arn, error: "The local cloud runs SNS alarm actions only" });
        continue;
      }
      const { subject, message } = buildAlarmNotification(alarm, previous, options.region);
      try {
        await options.publishToTopic(arn, subject, message);
        outcomes.push({ ok: true, topicArn: arn, message });
      } catch (error) {
        outcomes.push({ ok: false, actionArn: arn, error: (error as Error).message });
      }
    }
    if (outcomes.length > 0) record(...outcomes.map((outcome) => actionRecord(alarm, outcome, now())));
  }

  /* ---------- operations ---------- */

  function existing(name: unknown): AlarmRecord {
    if (typeof name !== "string" || name === "") throw missingParameter("AlarmName");
    const alarm = alarms.get(name);
    if (alarm === undefined) throw alarmNotFound(name);
    return alarm;
  }

  function byArn(arn: unknown): AlarmRecord {
    if (typeof arn !== "string" || arn === "") throw missingParameter("ResourceARN");
    const name = alarmNameOf(options.region, arn);
    const alarm = name === undefined ? undefined : alarms.get(name);
    if (alarm === undefined) throw resourceNotFound(arn);
    return alarm;
  }

  const operations: Record<string, CloudWatchOperation> = {
    PutMetricAlarm(input) {
      const request = input as unknown as PutMetricAlarmInput;
      const configuration = validatePutMetricAlarm(request);
      const at = now();
      if (configuration.metrics !== undefined) {
        // CloudWatch refuses an expression it cannot evaluate when the alarm is put: try the queries
        // on one period, which throws the store's ValidationError for a bad expression or reference.
        const periodMs = configuration.period * 1000;
        const start = Math.floor(at / periodMs) * periodMs;
        metricSource().getMetricData(configuration.metrics, new Date(start - periodMs), new Date(start));
      }
      const original = alarms.get(configuration.alarmName);
      // "When you update an existing alarm, its state is left unchanged" and its tags are kept.
      const alarm: AlarmRecord = {
        ...configuration,
        alarmArn: alarmArn(options.region, configuration.alarmName),
        eventMetricId: original?.eventMetricId ?? randomUUID(),
        configurationUpdatedAt: at,
        state: original?.state ?? { value: "INSUFFICIENT_DATA", reason: INITIAL_REASON, timestamp: at },
        stateTransitionedAt: original?.stateTransitionedAt ?? at,
        tags: original?.tags ?? validateTags(request.Tags),
      };
      alarms.set(alarm.alarmName, alarm);
      saveAlarms();
      record(configurationRecord(original === undefined ? "Create" : "Update", alarm, at, original));
      index();
      // CloudWatch answers first and evaluates the new configuration right after.
      setImmediate(() => {
        if (!closed) void schedule(alarm.alarmName);
      });
      return {};
    },

    DescribeAlarms(input) {
      return describeAlarms([...alarms.values()], input as DescribeAlarmsInput);
    },

    DescribeAlarmsForMetric(input) {
      return describeAlarmsForMetric([...alarms.values()], input as unknown as DescribeAlarmsForMetricInput);
    },

    DeleteAlarms(input) {
      const names = (input as unknown as DeleteAlarmsInput).AlarmNames;
      if (!Array.isArray(names) || names.length === 0) throw missingParameter("AlarmNames");
      if (names.length > 100)
        throw invalidParameterValue("The collection AlarmNames must not have a size greater than 100.");
      // "If you specify an incorrect alarm name … no alarms are deleted."
      const doomed = names.map(existing);
      const at = now();
      for (const alarm of doomed) alarms.delete(alarm.alarmName);
      saveAlarms();
      record(...doomed.map((alarm) => configurationRecord("Delete", alarm, at)));
      index();
      return {};
    },

    async SetAlarmState(input) {
      const request = input as unknown as SetAlarmStateInput;
      const alarm = existing(request.AlarmName);
      if (request.StateValue === undefined) throw missingParameter("StateValue");
      if (!["OK", "ALARM", "INSUFFICIENT_DATA"].includes(request.StateValue))
        throw invalidParameterValue(`The value ${request.StateValue} for parameter StateValue is not valid.`);
      if (request.StateReason === undefined) throw missingParameter("StateReason");
      if (request.StateReason.length > 1023)
        throw invalidParameterValue("The value for parameter StateReason must be 1023 characters or fewer.");
      if (request.StateReasonData !== undefined) {
        if (request.StateReasonData.length > 4000)
          throw invalidParameterValue(
            "The value for parameter StateReasonData must be 4000 characters or fewer.",
          );
        try {
          JSON.parse(request.StateReasonData);
        } catch {
          throw invalidFormat("The value for parameter StateReasonData is not valid JSON.");
        }
      }
      // The state set holds until the next evaluation, as on AWS.
      await changeState(alarm, {
        value: request.StateValue,
        reason: request.StateReason,
        ...(request.StateReasonData === undefined ? {} : { reasonData: request.StateReasonData }),
        timestamp: now(),
      });
      return {};
    },

    DescribeAlarmHistory(input) {
      return queryHistory(history, input as DescribeAlarmHistoryInput);
    },

    EnableAlarmActions(input) {
      setActionsEnabled((input as unknown as EnableAlarmActionsInput).AlarmNames, true);
      return {};
    },

    DisableAlarmActions(input) {
      setActionsEnabled((input as unknown as DisableAlarmActionsInput).AlarmNames, false);
      return {};
    },

    TagResource(input) {
      const request = input as unknown as TagResourceInput;
      const alarm = byArn(request.ResourceARN);
      const tags = validateTags(request.Tags, true);
      const merged = new Map(alarm.tags.map((tag) => [tag.Key, tag.Value]));
      for (const tag of tags) merged.set(tag.Key, tag.Value);
      if (merged.size > 50) throw invalidParameterValue("A resource can have at most 50 tags.");
      alarm.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      saveAlarms();
      return {};
    },

    UntagResource(input) {
      const request = input as unknown as UntagResourceInput;
      const alarm = byArn(request.ResourceARN);
      if (!Array.isArray(request.TagKeys)) throw missingParameter("TagKeys");
      const keys = new Set(request.TagKeys);
      alarm.tags = alarm.tags.filter((tag) => !keys.has(tag.Key));
      saveAlarms();
      return {};
    },

    ListTagsForResource(input) {
      const alarm = byArn((input as unknown as ListTagsForResourceInput).ResourceARN);
      return { Tags: alarm.tags.map((tag) => ({ ...tag })) };
    },
  };

  function setActionsEnabled(names: string[] | undefined, enabled: boolean) {
    if (!Array.isArray(names) || names.length === 0) throw missingParameter("AlarmNames");
    if (names.length > 100)
      throw invalidParameterValue("The collection AlarmNames must not have a size greater than 100.");
    for (const name of names) {
      const alarm = alarms.get(name);
      if (alarm !== undefined) alarm.actionsEnabled = enabled;
    }
    saveAlarms();
  }

  index();

  return {
    operations,
    async evaluateAll() {
      await Promise.all([...alarms.keys()].map(schedule));
    },
    async close() {
      closed = true;
      unsubscribe();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all([...running.values()].map((entry) => entry.done));
      saveAlarms();
      store.flush();
    },
  };
}
