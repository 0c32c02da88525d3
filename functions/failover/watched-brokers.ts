import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { numberedInstances } from "../lib/broker-endpoints.js";
import { brokerSummaries } from "../lib/broker-summaries.js";
import { describeBroker } from "../lib/describe-broker.js";
import { BrokerNotFoundError } from "../lib/errors.js";
import { TAG_MANAGED } from "../lib/state-table.js";
import type { WatchedBroker } from "./request.js";

/** States in which a broker has no instances to probe yet, or no more. */
const NOT_WATCHED_STATES = new Set(["CREATION_IN_PROGRESS", "CREATION_FAILED", "DELETION_IN_PROGRESS"]);

/** Whether failover detection watches a broker: managed by mqops, active/standby, and built. Pure. */
export function isWatched(broker: DescribeBrokerResponse): boolean {
  return (
    broker.Tags?.[TAG_MANAGED] === "true" &&
    broker.DeploymentMode === "ACTIVE_STANDBY_MULTI_AZ" &&
    !NOT_WATCHED_STATES.has(broker.BrokerState ?? "")
  );
}

/** The broker as a run probes it: id, name and each instance's endpoints, numbered from 1. Pure. */
export function watchedBroker(broker: DescribeBrokerResponse): WatchedBroker {
  const brokerId = broker.BrokerId ?? "";
  return {
    brokerId,
    brokerName: broker.BrokerName ?? brokerId,
    instances: numberedInstances(broker),
  };
}

async function allBrokerIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const summary of brokerSummaries()) {
    // The summary has no tags: only the deployment mode filters here, the tag after DescribeBroker.
    if (summary.BrokerId !== undefined && summary.DeploymentMode === "ACTIVE_STANDBY_MULTI_AZ") {
      ids.push(summary.BrokerId);
    }
  }
  return ids;
}

/**
 * The brokers to watch: the named ones, or every active/standby broker in the account and region,
 * kept when managed and built. A named broker that is gone is skipped (it was deleted meanwhile).
 */
export async function listWatchedBrokers(brokerIds: string[] | undefined): Promise<WatchedBroker[]> {
  const ids = brokerIds ?? (await allBrokerIds());
  const watched: WatchedBroker[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const broker = await describeBroker(id);
      if (isWatched(broker)) watched.push(watchedBroker(broker));
    } catch (error) {
      if (!(error instanceof BrokerNotFoundError)) throw error;
    }
  }
  return watched;
}
