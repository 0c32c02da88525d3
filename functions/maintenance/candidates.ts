import { type DescribeBrokerResponse, ListBrokersCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { BrokerNotFoundError } from "../lib/errors.js";
import { describeBroker } from "./describe-broker.js";
import type { BrokerCandidate } from "./selection.js";
import type { WeeklyStartTime } from "./window.js";

async function allBrokerIds(): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("ListBrokers", () =>
      mq.send(new ListBrokersCommand({ MaxResults: 100, NextToken: nextToken })),
    );
    for (const summary of page.BrokerSummaries ?? [])
      if (summary.BrokerId !== undefined) ids.push(summary.BrokerId);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
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
