import type { MetricWindow, WindowFault } from "./metrics.js";
import type { ScalingSettings } from "./settings.js";

export interface FleetCounts {
  /** Consumers running now. */
  current: number;
  /** Consumers requested (running plus starting, less stopping). Decisions are made against this. */
  desired: number;
}

export interface ScalingInput {
  /** Epoch seconds of the decision. Only windows that ended by then are used. */
  now: number;
  /**
   * Recent one-minute windows, any order, missing ones absent. Up to the last hour is used: the service
   * rate is learned from it. Shorter history is fine: each rule needs only the minutes it looks at.
   */
  windows: readonly MetricWindow[];
  fleet: FleetCounts;
  /** Epoch seconds of the last scale-out and scale-in, if any. */
  lastScaleOutAt?: number;
  lastScaleInAt?: number;
  /** A service rate (messages per busy consumer-minute) learned by an earlier decision, used when history is thin. */
  serviceRateHint?: number;
  settings: ScalingSettings;
}

export type ScalingAction = "scale-out" | "scale-in" | "hold";
export type DataQuality = "ok" | "missing" | WindowFault;
export type ServiceRateSource = "history" | "hint" | "fallback";

export interface ScalingEstimates {
  /** Messages that arrived in the last minute. */
  arrivalsPerMinute: number;
  /** Mean arrivals per minute over the last five clean windows. */
  sustainedArrivalsPerMinute: number;
  /** Messages a busy consumer handles per minute. Persist it and pass it back as `serviceRateHint`. */
  servicePerConsumerMinute: number;
  serviceRateSource: ServiceRateSource;
  queueSize: number;
  /** Messages waiting for a consumer (queue size less those in flight). */
  waiting: number;
  /** How long a message joining the queue now may wait under the plan: the target less metric delay and start-up. */
  drainAllowanceSeconds: number;
  /** Fewest consumers that keep such a message within the allowance, even if the last minute's arrivals go on. */
  requiredConsumers: number;
  /** Consumers a scaling action goes to: the required ones, or what the five-minute rate needs at the target utilisation. */
  targetConsumers: number;
}

export interface ScalingDecision {
  desired: number;
  action: ScalingAction;
  /** One sentence a person can check against the metrics. */
  reason: string;
  dataQuality: DataQuality;
  estimates?: ScalingEstimates;
}
