import { type BrokerSummary, ListBrokersCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";

/** GET /brokers: every broker in the account and region, all pages. */
export const handler = httpRoute(async () => {
  const brokers: BrokerSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("ListBrokers", () =>
      mq.send(new ListBrokersCommand({ MaxResults: 100, NextToken: nextToken })),
    );
    brokers.push(...(page.BrokerSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
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
