/**
 * A second-by-second model of the deployed loop on the demo's load, pure: the same windows code as the
 * read step (`toWindows` over the metrics' own periods, ending at the latest period), the same policy,
 * a decision each period, consumers that take `serviceSeconds` a message with prefetch 1 and start
 * `startupSeconds` after a scale-out. It differs from the real run in what it leaves out: the alarm that
 * starts the loop (it decides every period from the start), the broker and ECS's own delays.
 */
import type { MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { DemoRun } from "../../cli/demo/summary.js";
import { toWindows } from "../../functions/autoscaling/metric-windows.js";
import { decideConsumers } from "../../functions/autoscaling/policy.js";
import type { ScalingSettings } from "../../functions/autoscaling/settings.js";
import { cumulativeSent, type RunFigures } from "./compare.js";

export interface TwinOptions {
  settings: ScalingSettings;
  periodSeconds: number;
  serviceSeconds: number;
  startupSeconds: number;
  /** Seconds from a period's end to the decision on it: publication, alarm and workflow. */
  decisionDelaySeconds: number;
  /** Seconds from the load's start to the first period boundary (the real run's phase). */
  firstBoundarySeconds: number;
  horizonSeconds: number;
  /** Each scale action: seconds into the run, the counts and the policy's reason. */
  log?: (atSeconds: number, from: number, to: number, reason: string) => void;
}

/** The demo samples the fleet this long after a period boundary (once the collector has published). */
const SAMPLE_LAG_SECONDS = 2;

interface Cohort {
  arrivedAt: number;
  remaining: number;
}

/** The wait below which a share q of the messages fall, messages weighted. */
function weightedQuantile(waits: Array<{ wait: number; weight: number }>, q: number): number {
  const sorted = [...waits].sort((a, b) => a.wait - b.wait);
  const total = sorted.reduce((sum, entry) => sum + entry.weight, 0);
  let seen = 0;
  for (const entry of sorted) {
    seen += entry.weight;
    if (seen >= q * total - 1e-9) return entry.wait;
  }
  return sorted.at(-1)?.wait ?? 0;
}

export function runTwin(load: DemoRun["load"], options: TwinOptions): RunFigures {
  const { settings, periodSeconds: period } = options;
  const series: Record<"enq" | "dsp" | "size" | "cons", { at: Date[]; values: number[] }> = {
    enq: { at: [], values: [] },
    dsp: { at: [], values: [] },
    size: { at: [], values: [] },
    cons: { at: [], values: [] },
  };
  const queue: Cohort[] = [];
  const waits: Array<{ wait: number; weight: number }> = [];
  const starting: number[] = []; // ready times of consumers still starting
  let ready = 0;
  let desired = 0;
  let enqueued = 0;
  let dispatched = 0;
  let inFlight = 0;
  let consumerSeconds = 0;
  let actions = 0;
  let lastScaleOutAt: number | undefined;
  let lastScaleInAt: number | undefined;
  let serviceRateHint: number | undefined;
  // Whole seconds: the model steps a second at a time.
  let nextBoundary = Math.max(1, Math.round(options.firstBoundarySeconds));
  let pendingDecision: number | undefined;
  // Epoch seconds of the run's start: any whole minute, so windows and reasons read as clock times.
  const epoch = 1_800_000_000;

  for (let t = 0; t < options.horizonSeconds; t++) {
    while (starting.length > 0 && (starting[0] ?? 0) <= t) {
      starting.shift();
      ready += 1;
    }
    const arrivals = cumulativeSent(load, t + 1) - cumulativeSent(load, t);
    if (arrivals > 0) queue.push({ arrivedAt: t, remaining: arrivals });
    enqueued += arrivals;
    // Each ready consumer finishes 1/serviceSeconds of a message a second and takes the next at once.
    let capacity = ready / options.serviceSeconds;
    let taken = 0;
    while (capacity > 1e-12 && queue.length > 0) {
      const head = queue[0] as Cohort;
      const take = Math.min(capacity, head.remaining);
      waits.push({ wait: t - head.arrivedAt, weight: take });
      head.remaining -= take;
      capacity -= take;
      taken += take;
      if (head.remaining <= 1e-12) queue.shift();
    }
    dispatched += taken;
    inFlight = Math.min(ready, taken * options.serviceSeconds);
    // Measured as the demo measures the real run: the fleet sampled just after each period boundary,
    // each sample standing for its period.
    const sinceBoundary = t + 1 - options.firstBoundarySeconds - SAMPLE_LAG_SECONDS;
    if (sinceBoundary >= 0 && sinceBoundary % period === 0) consumerSeconds += desired * period;

    if (t + 1 === nextBoundary) {
      const start = new Date((epoch + nextBoundary - period) * 1000);
      const waiting = queue.reduce((sum, cohort) => sum + cohort.remaining, 0);
      series.enq.at.push(start);
      series.enq.values.push(enqueued);
      series.dsp.at.push(start);
      series.dsp.values.push(dispatched);
      series.size.at.push(start);
      series.size.values.push(Math.round(waiting + inFlight));
      series.cons.at.push(start);
      series.cons.values.push(ready);
      enqueued = 0;
      dispatched = 0;
      pendingDecision = nextBoundary + options.decisionDelaySeconds;
      nextBoundary += period;
    }
    if (pendingDecision !== undefined && t + 1 >= pendingDecision) {
      const end = pendingDecision - options.decisionDelaySeconds;
      pendingDecision = undefined;
      const results: MetricDataResult[] = (["enq", "dsp", "size", "cons"] as const).map((id) => ({
        Id: `${id}1`,
        Timestamps: series[id].at,
        Values: series[id].values,
      }));
      const now = epoch + t + 1;
      const decision = decideConsumers({
        now,
        windows: toWindows(results, epoch + end),
        fleet: { current: ready + starting.length, desired },
        lastScaleOutAt,
        lastScaleInAt,
        serviceRateHint,
        settings,
      });
      if (decision.estimates !== undefined) serviceRateHint = decision.estimates.servicePerConsumerMinute;
      if (decision.desired !== desired) {
        actions += 1;
        options.log?.(t + 1, desired, decision.desired, decision.reason);
        if (decision.desired > desired) {
          lastScaleOutAt = now;
          for (let i = desired; i < decision.desired; i++) starting.push(t + 1 + options.startupSeconds);
        } else {
          lastScaleInAt = now;
          let remove = desired - decision.desired;
          while (remove > 0 && starting.length > 0) {
            starting.pop();
            remove -= 1;
          }
          ready = Math.max(0, ready - remove);
        }
        desired = decision.desired;
      }
    }
  }
  return {
    consumerMinutes: consumerSeconds / 60,
    p95WaitSeconds: weightedQuantile(waits, 0.95),
    scaleActions: actions,
  };
}
