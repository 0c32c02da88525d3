import { type BrokerSummary, ListBrokersCommand } from "@aws-sdk/client-mq";
import { mq } from "./clients.js";
import { pages } from "./pages.js";

/** Every broker in the account and region (ListBrokers, 100 a page). */
export async function* brokerSummaries(): AsyncGenerator<BrokerSummary> {
  const all = pages("ListBrokers", (NextToken) =>
    mq.send(new ListBrokersCommand({ MaxResults: 100, NextToken })),
  );
  for await (const page of all) yield* page.BrokerSummaries ?? [];
}
