import type { MetricWindow } from "../../functions/autoscaling/metrics.js";
import { decideConsumers, type ScalingDecision } from "../../functions/autoscaling/policy.js";
import type { ScalingSettings } from "../../functions/autoscaling/settings.js";
import type { Autoscaler, Observation } from "./simulator.js";

function latestWindow(observation: Observation): MetricWindow | undefined {
  const latest = observation.windows.at(-1);
  return latest && latest.start === observation.now - 60 ? latest : undefined;
}

/** A fixed fleet, sized by the user for the trace's busiest minute at 90% utilisation. */
export function staticForPeak(consumers: number): Autoscaler {
  return { decide: () => consumers };
}

/**
 * KEDA's queue-length scaler through the HPA: desired = ceil(QueueSize / target), no change within the
 * HPA's 10% tolerance, scale-down to the highest recommendation of the last five minutes, scale-up
 * unthrottled, and KEDA's activation and cooldownPeriod (300 s) for the step between zero and one.
 */
export function kedaStyle(target: number, maxConsumers: number): Autoscaler {
  const recommendations: { at: number; value: number }[] = [];
  let lastActive = Number.NEGATIVE_INFINITY;
  return {
    decide(observation) {
      const current = observation.fleet.desired;
      const latest = latestWindow(observation);
      if (latest?.queueSize === undefined) return current;
      const queue = latest.queueSize;
      if (queue > 0) lastActive = observation.now;
      if (current === 0)
        return queue > 0 ? Math.min(maxConsumers, Math.max(1, Math.ceil(queue / target))) : 0;
      if (observation.now - lastActive >= 300) return 0;
      let raw = Math.min(maxConsumers, Math.max(1, Math.ceil(queue / target)));
      if (Math.abs(raw / current - 1) <= 0.1) raw = current;
      recommendations.push({ at: observation.now, value: raw });
      while ((recommendations[0]?.at ?? observation.now) <= observation.now - 300) recommendations.shift();
      if (raw >= current) return raw;
      return Math.min(current, Math.max(...recommendations.map((r) => r.value)));
    },
  };
}

/**
 * AWS step scaling on a CloudWatch alarm over EnqueueCount − DispatchCount: ALARM when the excess is
 * above 50 messages for two consecutive minutes, adding 2, 5 or 10 consumers by the size of the excess
 * (120 s cooldown); in OK, one consumer fewer every 300 s. Missing data leaves the alarm as it is.
 */
export function stepScaling(maxConsumers: number): Autoscaler {
  const excess: number[] = [];
  let alarm = false;
  return {
    decide(observation) {
      const current = observation.fleet.desired;
      const latest = latestWindow(observation);
      if (latest?.enqueueCount !== undefined && latest.dispatchCount !== undefined) {
        excess.push(latest.enqueueCount - latest.dispatchCount);
        if (excess.length > 2) excess.shift();
        if (excess.length === 2) alarm = excess.every((e) => e > 50);
      }
      const since = (at: number | undefined): number => observation.now - (at ?? Number.NEGATIVE_INFINITY);
      const lastAction = Math.max(observation.lastScaleOutAt ?? -1e12, observation.lastScaleInAt ?? -1e12);
      if (alarm) {
        if (since(observation.lastScaleOutAt) < 120) return current;
        const e = excess.at(-1) ?? 0;
        const step = e >= 2000 ? 10 : e >= 500 ? 5 : 2;
        return Math.min(maxConsumers, current + step);
      }
      if (observation.now - lastAction >= 300 && current > 1) return current - 1;
      return Math.max(1, current);
    },
  };
}

/**
 * AWS's "backlog per instance" target tracking: metric QueueSize / running consumers, target the
 * acceptable backlog per consumer (wait target / mean service time, as the AWS guide computes it).
 * Scale-out alarm: three minutes above target; scale-in alarm: fifteen minutes below 90% of it;
 * desired = ceil(current × metric / target); cooldowns 60 s out, 300 s in; at least one consumer.
 */
export function backlogTargetTracking(targetBacklog: number, maxConsumers: number): Autoscaler {
  const metrics: number[] = [];
  return {
    decide(observation) {
      const current = Math.max(1, observation.fleet.desired);
      const latest = latestWindow(observation);
      if (latest?.queueSize === undefined) return current;
      const metric = latest.queueSize / Math.max(1, observation.fleet.current);
      metrics.push(metric);
      if (metrics.length > 15) metrics.shift();
      const proposal = Math.min(maxConsumers, Math.max(1, Math.ceil((current * metric) / targetBacklog)));
      const since = (at: number | undefined): number => observation.now - (at ?? Number.NEGATIVE_INFINITY);
      const high = metrics.length >= 3 && metrics.slice(-3).every((m) => m > targetBacklog);
      if (high && proposal > current && since(observation.lastScaleOutAt) >= 60) return proposal;
      const low = metrics.length >= 15 && metrics.every((m) => m < 0.9 * targetBacklog);
      const lastAction = Math.max(observation.lastScaleOutAt ?? -1e12, observation.lastScaleInAt ?? -1e12);
      if (low && proposal < current && observation.now - lastAction >= 300) return proposal;
      return current;
    },
  };
}

/** The mqops policy, carrying its learned service rate from one decision to the next as the Lambda would. */
export function mqops(settings: ScalingSettings, log?: (decision: ScalingDecision) => void): Autoscaler {
  let serviceRateHint: number | undefined;
  return {
    decide(observation) {
      const decision = decideConsumers({
        now: observation.now,
        windows: observation.windows,
        fleet: observation.fleet,
        lastScaleOutAt: observation.lastScaleOutAt,
        lastScaleInAt: observation.lastScaleInAt,
        serviceRateHint,
        settings,
      });
      if (decision.estimates?.serviceRateSource === "history") {
        serviceRateHint = decision.estimates.servicePerConsumerMinute;
      }
      log?.(decision);
      return decision.desired;
    },
  };
}
