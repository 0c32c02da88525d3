import type { MetricDataQuery, PutMetricAlarmInput, Statistic } from "@aws-sdk/client-cloudwatch";
import { ALARM_KINDS, type AlarmKind } from "./registration.js";
import type { ScalingSettings } from "./settings.js";

/** Namespace and dimensions under which Amazon MQ publishes queue metrics. */
export const MQ_NAMESPACE = "AWS/AmazonMQ";

export interface AlarmTarget {
  /** `mqops-<stage>-<trigger name>`: the prefix the autoscaling EventBridge rule matches. */
  prefix: string;
  registrationId: string;
  brokerName: string;
  /** `Broker` dimension values, one per broker instance. */
  instances: readonly string[];
  queue: string;
  settings: ScalingSettings;
  periodSeconds: number;
}

const NAME = /-([0-9a-f]{16})-(scale-out|scale-in|from-zero)$/;

/**
 * `<prefix>-<broker>-<queue>-<registration id>-<kind>`: readable in the console, unique by the id, and
 * within CloudWatch's 255 characters however long the queue name (the readable part is cut short).
 */
export function alarmName(
  target: Pick<AlarmTarget, "prefix" | "registrationId" | "brokerName" | "queue">,
  kind: AlarmKind,
) {
  const readable = `${target.brokerName}-${target.queue}`.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 120);
  return `${target.prefix}-${readable}-${target.registrationId}-${kind}`;
}

export function alarmNames(target: Pick<AlarmTarget, "prefix" | "registrationId" | "brokerName" | "queue">) {
  return Object.fromEntries(ALARM_KINDS.map((kind) => [kind, alarmName(target, kind)])) as Record<
    AlarmKind,
    string
  >;
}

/** The registration id and alarm kind an alarm name carries, or undefined for a name mqops did not make. */
export function parseAlarmName(name: string): { registrationId: string; kind: AlarmKind } | undefined {
  const match = NAME.exec(name);
  if (match === null) return undefined;
  return { registrationId: match[1] ?? "", kind: (match[2] ?? "") as AlarmKind };
}

/**
 * Messages one consumer is assumed to clear while a waiting message still meets the wait target: the
 * fallback service rate (set low) over the time left to drain once a minute of metric delay and the
 * consumer start-up are spent, as the policy reckons it. A backlog above this per consumer is behind
 * whatever the rate turns out to be, so the alarm wakes the policy; the policy decides.
 */
export function backlogPerConsumer(settings: ScalingSettings): number {
  const target = settings.targetWaitSeconds;
  const drainSeconds = Math.max(target / 3, target - 60 - settings.consumerStartupSeconds);
  return Math.round(settings.fallbackMessagesPerConsumerMinute * (drainSeconds / 60) * 100) / 100;
}

type Series = "enq" | "dsp" | "size" | "cons";
const METRIC: Record<Series, string> = {
  enq: "EnqueueCount",
  dsp: "DispatchCount",
  size: "QueueSize",
  cons: "ConsumerCount",
};

/** CloudWatch takes at most 10 entries in an alarm's Metrics, expressions included. */
export const MAX_ALARM_METRICS = 10;
/** Broker instances an alarm can sum: four metrics each, plus the one expression. */
export const MAX_INSTANCES = Math.floor((MAX_ALARM_METRICS - 1) / 4);

interface Summed {
  queries: MetricDataQuery[];
  /** The instances' sum, for use inside the alarm's one expression. */
  sum: string;
}

/**
 * One metric per instance and the expression of their sum. Only the active instance of a pair reports,
 * so the other's gaps are filled with 0 before summing. The sums are written into the alarm's single
 * expression rather than as expressions of their own, which keeps an active/standby pair's four
 * metrics within CloudWatch's ten Metrics entries; metric math limited to SUM([...]) and FILL keeps
 * the same expression valid on CloudWatch and on the local cloud.
 */
function summed(target: AlarmTarget, series: Series, stat: Statistic): Summed {
  const queries = target.instances.map(
    (broker, index): MetricDataQuery => ({
      Id: `${series}${index + 1}`,
      ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: MQ_NAMESPACE,
          MetricName: METRIC[series],
          Dimensions: [
            { Name: "Broker", Value: broker },
            { Name: "Queue", Value: target.queue },
          ],
        },
        Period: target.periodSeconds,
        Stat: stat,
      },
    }),
  );
  return { queries, sum: `SUM([${queries.map((query) => `FILL(${query.Id}, 0)`).join(", ")}])` };
}

function alarm(
  target: AlarmTarget,
  kind: AlarmKind,
  what: string,
  metrics: Summed[],
  breach: string,
  periods: number,
): PutMetricAlarmInput {
  return {
    AlarmName: alarmName(target, kind),
    AlarmDescription:
      `mqops autoscaling (${target.registrationId}): ${what} for queue ${target.queue} on broker ${target.brokerName}`.slice(
        0,
        1024,
      ),
    ActionsEnabled: true,
    Metrics: [
      ...metrics.flatMap((series) => series.queries),
      { Id: "breach", Expression: breach, Label: `${kind} ${target.queue}`, ReturnData: true },
    ],
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    Threshold: 1,
    EvaluationPeriods: periods,
    DatapointsToAlarm: periods,
    // No data is no evidence of need: the policy holds on missing data, so the alarm does not wake it.
    TreatMissingData: "notBreaching",
  };
}

/**
 * The three alarms of a registered queue, as PutMetricAlarm inputs. Pure. Each breaches at 1 on a
 * 0/1 expression; only + - * /, comparisons, IF, SUM([...]) and FILL are used.
 * - scale-out: more messages waiting per consumer than it can clear in time, or the queue grew
 *   (EnqueueCount − DispatchCount > 0) while messages waited beyond those in flight. One period.
 * - scale-in: consumers above the floor sat idle (QueueSize below ConsumerCount: with prefetch 1 each
 *   busy consumer holds one queued message) and the queue did not grow, in every period of the
 *   stabilisation window.
 * - from-zero: no consumer during the period and at least `activationQueueSize` messages. One period.
 */
export function alarmSpecs(target: AlarmTarget): PutMetricAlarmInput[] {
  if (target.instances.length > MAX_INSTANCES) {
    throw new Error(
      `An alarm can sum at most ${MAX_INSTANCES} broker instances, not ${target.instances.length}`,
    );
  }
  const { settings, periodSeconds } = target;
  // CloudWatch evaluates at most a day of periods; the settings' stabilisation window is at most a day.
  const capacity = backlogPerConsumer(settings);
  const floor = settings.scaleToZero.enabled ? 0 : settings.minConsumers;
  const stabilisation = Math.max(1, Math.ceil(settings.scaleInStabilisationSeconds / periodSeconds));
  const enq = summed(target, "enq", "Sum");
  const dsp = summed(target, "dsp", "Sum");
  const size = summed(target, "size", "Maximum");
  const busiest = summed(target, "cons", "Average");
  const fewest = summed(target, "cons", "Minimum");
  const most = summed(target, "cons", "Maximum");
  const scaleOut = alarm(
    target,
    "scale-out",
    "consumers falling behind",
    [enq, dsp, size, busiest],
    `IF(${size.sum} > (${busiest.sum} * ${capacity}), 1, IF((${enq.sum} - ${dsp.sum}) > 0, IF(${size.sum} > ${busiest.sum}, 1, 0), 0))`,
    1,
  );
  const scaleIn = alarm(
    target,
    "scale-in",
    `consumers idle for ${settings.scaleInStabilisationSeconds} s`,
    [enq, dsp, size, fewest],
    `IF(${fewest.sum} > ${floor}, IF(${size.sum} < ${fewest.sum}, IF((${enq.sum} - ${dsp.sum}) <= 0, 1, 0), 0), 0)`,
    stabilisation,
  );
  const fromZero = alarm(
    target,
    "from-zero",
    "messages waiting with no consumer",
    [size, most],
    `IF(${most.sum} < 1, IF(${size.sum} >= ${settings.scaleToZero.activationQueueSize}, 1, 0), 0)`,
    1,
  );
  return [scaleOut, scaleIn, fromZero];
}
