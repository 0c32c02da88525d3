import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { failoverStateKey } from "../failover/keys.js";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { json, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { checkBrokerId, rethrowBrokerError } from "../lib/mq-errors.js";
import { brokerView } from "./broker-view.js";
import { failoverView } from "./failover-view.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/**
 * GET /brokers/{id}: state, endpoints, engine version and pending changes of one broker, and what
 * failover detection last recorded (active instance, last failover).
 */
export const handler = httpRoute(async (event) => {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  try {
    const broker = await callAws("DescribeBroker", () =>
      mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
    );
    const recorded = await callAws("GetItem", () =>
      ddb.send(
        new GetCommand({ TableName: STATE_TABLE_NAME, Key: failoverStateKey(broker.BrokerId ?? brokerId) }),
      ),
    );
    return json(200, { ...brokerView(broker), failover: failoverView(recorded.Item) });
  } catch (error) {
    return rethrowBrokerError(brokerId, error);
  }
});
