import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { json, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { checkBrokerId, rethrowBrokerError } from "../lib/mq-errors.js";
import { brokerView } from "./broker-view.js";

/** GET /brokers/{id}: state, endpoints, engine version and pending changes of one broker. */
export const handler = httpRoute(async (event) => {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  try {
    const broker = await callAws("DescribeBroker", () =>
      mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
    );
    return json(200, brokerView(broker));
  } catch (error) {
    return rethrowBrokerError(brokerId, error);
  }
});
