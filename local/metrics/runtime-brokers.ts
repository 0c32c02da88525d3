import type { MonitoringTarget } from "../brokers/runtime.js";
import type { CollectableBroker } from "./collector.js";

/** The part of `ActiveMqRuntime` the collector reads. */
export interface MonitoredRuntime {
  monitoringTargets(): MonitoringTarget[];
}

/**
 * The brokers the collector reads, from the runtime: every started broker with all its instances,
 * as the runtime's internal monitoring user (never a customer's user).
 */
export function collectableBrokers(runtime: MonitoredRuntime): CollectableBroker[] {
  return runtime.monitoringTargets().map((target) => ({
    brokerName: target.brokerName,
    instances: target.instances.map(({ index, host, stompPort }) => ({ index, host, stompPort })),
    credentials: { ...target.monitorUser },
  }));
}
