import type { BrokerSummary } from "@aws-sdk/client-mq";
import { brokerSummaries } from "../lib/broker-summaries.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";

/** GET /brokers: every broker in the account and region, all pages. */
export const handler = httpRoute(async () => {
  const brokers: BrokerSummary[] = [];
  for await (const summary of brokerSummaries()) brokers.push(summary);
  return json(200, {
    brokers: brokers.map((b) => ({
      brokerId: b.BrokerId,
      brokerArn: b.BrokerArn,
      brokerName: b.BrokerName,
      brokerState: b.BrokerState,
      deploymentMode: b.DeploymentMode,
      engineType: b.EngineType,
      hostInstanceType: b.HostInstanceType,
      created: b.Created?.toISOString(),
    })),
  });
});
