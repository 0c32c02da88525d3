import { DescribeBrokerEngineTypesCommand, DescribeConfigurationCommand } from "@aws-sdk/client-mq";
import { ENGINE_TYPE } from "../lib/amazon-mq.js";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { describeBroker } from "../lib/describe-broker.js";
import { pages } from "../lib/pages.js";
import { planUpgrade, type UpgradePlan, type UpgradePolicy } from "./planner.js";

/** The ActiveMQ versions Amazon MQ offers (DescribeBrokerEngineTypes, every page). */
export async function availableEngineVersions(): Promise<string[]> {
  const versions: string[] = [];
  const all = pages("DescribeBrokerEngineTypes", (NextToken) =>
    mq.send(new DescribeBrokerEngineTypesCommand({ EngineType: ENGINE_TYPE, MaxResults: 100, NextToken })),
  );
  for await (const page of all) {
    for (const type of page.BrokerEngineTypes ?? []) {
      for (const version of type.EngineVersions ?? [])
        if (version.Name !== undefined) versions.push(version.Name);
    }
  }
  return versions;
}

/** The newest revision of a configuration. */
export async function latestRevision(configurationId: string): Promise<number | undefined> {
  const configuration = await callAws("DescribeConfiguration", () =>
    mq.send(new DescribeConfigurationCommand({ ConfigurationId: configurationId })),
  );
  return configuration.LatestRevision?.Revision;
}

export interface PlanRequest {
  policy: UpgradePolicy;
  targetEngineVersion?: string;
}

/** Reads what the planner needs about one broker (DescribeBroker, engine types, configuration) and plans it. */
export async function planBroker(
  brokerId: string,
  request: PlanRequest,
  now = new Date(),
): Promise<UpgradePlan> {
  const broker = await describeBroker(brokerId);
  const current = broker.Configurations?.Current;
  const configuration =
    current?.Id === undefined || current.Revision === undefined
      ? undefined
      : { id: current.Id, revision: current.Revision };
  const [availableVersions, latest] = await Promise.all([
    availableEngineVersions(),
    configuration === undefined ? Promise.resolve(undefined) : latestRevision(configuration.id),
  ]);
  return planUpgrade({
    engineVersion: broker.EngineVersion ?? "",
    autoMinorVersionUpgrade: broker.AutoMinorVersionUpgrade ?? false,
    ...(broker.PendingEngineVersion === undefined
      ? {}
      : { pendingEngineVersion: broker.PendingEngineVersion }),
    ...(configuration === undefined ? {} : { configuration }),
    ...(latest === undefined ? {} : { latestConfigurationRevision: latest }),
    availableVersions,
    policy: request.policy,
    ...(request.targetEngineVersion === undefined
      ? {}
      : { targetEngineVersion: request.targetEngineVersion }),
    now,
  });
}
