import { TAG_MANAGED } from "../lib/state-table.js";
import { TAG_MAINTENANCE } from "./request.js";
import { type WeeklyStartTime, windowOpensWithin } from "./window.js";

/** A broker as the selection sees it (from DescribeBroker). */
export interface BrokerCandidate {
  brokerId: string;
  brokerName: string;
  brokerArn: string;
  tags: Record<string, string>;
  maintenanceWindowStartTime?: WeeklyStartTime;
  /** Named in the request's brokerIds (so a broker left out is reported, not silently ignored). */
  requested: boolean;
}

export interface BrokerSelection {
  /** In the order they are maintained: the first one is the canary. */
  brokers: { brokerId: string; brokerName: string; brokerArn: string }[];
  skipped: { brokerId: string; brokerName: string; brokerArn: string; reason: string }[];
}

/**
 * Which brokers a run maintains. Only brokers tagged `mqops:managed=true`; one tagged
 * `mqops:maintenance=skip` is reported as skipped; the schedule (`window`) takes only brokers whose
 * weekly window opens within the hour. Ordered by name so the canary is predictable. Pure.
 */
export function selectBrokers(
  candidates: BrokerCandidate[],
  selection: "all" | "window",
  now: Date,
): BrokerSelection {
  const result: BrokerSelection = { brokers: [], skipped: [] };
  const sorted = [...candidates].sort((a, b) => a.brokerName.localeCompare(b.brokerName));
  for (const candidate of sorted) {
    const ref = {
      brokerId: candidate.brokerId,
      brokerName: candidate.brokerName,
      brokerArn: candidate.brokerArn,
    };
    if (candidate.tags[TAG_MANAGED] !== "true") {
      if (candidate.requested) result.skipped.push({ ...ref, reason: `not tagged ${TAG_MANAGED}=true` });
      continue;
    }
    if (selection === "window") {
      const window = candidate.maintenanceWindowStartTime;
      if (window === undefined || !windowOpensWithin(window, now)) continue;
    }
    if (candidate.tags[TAG_MAINTENANCE]?.toLowerCase() === "skip") {
      result.skipped.push({ ...ref, reason: `tagged ${TAG_MAINTENANCE}=skip` });
      continue;
    }
    result.brokers.push(ref);
  }
  return result;
}
