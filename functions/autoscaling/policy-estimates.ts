import { meanArrivals } from "./arrivals.js";
import { drainAllowanceSeconds, fleetNeed } from "./fleet-need.js";
import { type CompleteWindow, waitingMessages } from "./metrics.js";
import type { History } from "./policy-history.js";
import type { ScalingEstimates, ScalingInput, ServiceRateSource } from "./policy-types.js";
import { saturatedServiceRate, steadyServiceRate } from "./service-rate.js";

/** Minutes over which the sustained arrival rate is averaged: a shorter spike is left to the backlog term. */
export const SUSTAINED_MINUTES = 5;
/** The recent stretch whose service rate wins when it has enough evidence: consumers may have slowed down. */
const RECENT_SERVICE_RATE_SECONDS = 900;

/** The decision's estimates: arrivals, service rate, backlog, and the fleet they need. */
export function estimate(input: ScalingInput, latest: CompleteWindow, history: History): ScalingEstimates {
  const { settings } = input;
  const { servicePerConsumerMinute, serviceRateSource } = serviceRate(input, latest, history);
  const arrivalsPerMinute = latest.enqueueCount;
  const sustainedArrivalsPerMinute =
    meanArrivals(latest.start, SUSTAINED_MINUTES, history.clean) ?? arrivalsPerMinute;
  const waiting = waitingMessages(latest);
  const { required, target } = fleetNeed(
    arrivalsPerMinute,
    sustainedArrivalsPerMinute,
    waiting,
    servicePerConsumerMinute,
    settings,
  );
  return {
    arrivalsPerMinute,
    sustainedArrivalsPerMinute,
    servicePerConsumerMinute,
    serviceRateSource,
    queueSize: latest.queueSize,
    waiting,
    drainAllowanceSeconds: drainAllowanceSeconds(settings),
    requiredConsumers: required,
    targetConsumers: target,
  };
}

/**
 * Messages a busy consumer handles per minute. Consumers can slow down (a slower dependency, bigger
 * messages): the last quarter hour shows it before the hour does. The lower of the two is taken, since a
 * rate read too high sizes a fleet that falls behind (and a scale-in followed by a scale-out is a flap),
 * one read too low only costs. Only saturated or steady minutes count: a minute in which the fleet grew
 * (consumers that started late in it) or the backlog emptied (consumers busy for its first seconds only)
 * makes the mean of its two busy counts far too high, and the rate read from it far too low; one such
 * minute, once persisted as the hint, kept a 20-consumer fleet on 1 message a minute. Without that
 * evidence: the hint (the last rate learned), then the configured fallback.
 */
function serviceRate(
  input: ScalingInput,
  latest: CompleteWindow,
  history: History,
): { servicePerConsumerMinute: number; serviceRateSource: ServiceRateSource } {
  const { windows, faults } = history;
  const faulty = new Set(faults.keys());
  const recentFrom = latest.start - RECENT_SERVICE_RATE_SECONDS;
  const inRecent = windows.filter((w) => w.start > recentFrom);
  const recent = saturatedServiceRate(inRecent, faulty) ?? steadyServiceRate(inRecent, faulty);
  const hour = saturatedServiceRate(windows, faulty) ?? steadyServiceRate(windows, faulty);
  const learned =
    recent && hour ? (recent.perConsumerMinute <= hour.perConsumerMinute ? recent : hour) : (recent ?? hour);
  if (learned) return { servicePerConsumerMinute: learned.perConsumerMinute, serviceRateSource: "history" };
  if (input.serviceRateHint !== undefined && input.serviceRateHint > 0) {
    return { servicePerConsumerMinute: input.serviceRateHint, serviceRateSource: "hint" };
  }
  return {
    servicePerConsumerMinute: input.settings.fallbackMessagesPerConsumerMinute,
    serviceRateSource: "fallback",
  };
}
