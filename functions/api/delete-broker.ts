import { DeleteBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { conditionalUpdate } from "../lib/conditional-update.js";
import { requireEnv } from "../lib/config.js";
import { json, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { checkBrokerId, rethrowBrokerError } from "../lib/mq-errors.js";
import { brokerItemKey } from "../lib/state-table.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/** DELETE /brokers/{id}: starts the broker's deletion and marks its record (if mqops manages it). */
export const handler = httpRoute(async (event) => {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  try {
    await callAws("DeleteBroker", () => mq.send(new DeleteBrokerCommand({ BrokerId: brokerId })));
  } catch (error) {
    return rethrowBrokerError(brokerId, error);
  }
  // A broker mqops did not provision has no record to update.
  await conditionalUpdate(
    {
      TableName: STATE_TABLE_NAME,
      Key: brokerItemKey(brokerId),
      UpdateExpression: "SET #status = :deleting, deletedAt = :now",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":deleting": "DELETION_IN_PROGRESS",
        ":now": new Date().toISOString(),
      },
    },
    () => undefined,
  );
  return json(202, { brokerId, brokerState: "DELETION_IN_PROGRESS" });
});
