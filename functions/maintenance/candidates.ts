import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { brokerSummaries } from "../lib/broker-summaries.js";
import { describeBroker } from "../lib/describe-broker.js";
import { BrokerNotFoundError } from "../lib/errors.js";
import type { BrokerCandidate } from "./selection.js";
import type { WeeklyStartTime } from "./window.js";

async function allBrokerIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of brokerSummaries())
    if (summary.BrokerId !== undefined) ids.push(summary.BrokerId);
  return ids;
}

function candidate(broker: DescribeBrokerResponse, requested: boolean): BrokerCandidate {
  const window = broker.MaintenanceWindowStartTime;
  const maintenanceWindowStartTime: WeeklyStartTime | undefined =
    window?.DayOfWeek === undefined || window.TimeOfDay === undefined
      ? undefined
      : { dayOfWeek: window.DayOfWeek, timeOfDay: window.TimeOfDay, timeZone: window.TimeZone };
  return {
    brokerId: broker.BrokerId ?? "",
    brokerName: broker.BrokerName ?? broker.BrokerId ?? "",
    brokerArn: broker.BrokerArn ?? "",
    tags: broker.Tags ?? {},
    requested,
    ...(maintenanceWindowStartTime === undefined ? {} : { maintenanceWindowStartTime }),
  };
}

/**
 * The brokers a run considers, with their tags and windows (DescribeBroker each): the ones named in
 * `brokerIds`, or every broker in the account and region. A named broker that does not exist is
 * returned in `missing`.
 */
export async function gatherCandidates(
  brokerIds: string[] | undefined,
): Promise<{ candidates: BrokerCandidate[]; missing: string[] }> {
  const ids = brokerIds ?? (await allBrokerIds());
  const candidates: BrokerCandidate[] = [];
  const missing: string[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      candidates.push(candidate(await describeBroker(id), brokerIds !== undefined));
    } catch (error) {
      if (error instanceof BrokerNotFoundError) missing.push(id);
      else throw error;
    }
  }
  return { candidates, missing };
}
