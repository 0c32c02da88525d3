import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { ddb } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { failoverStateKey } from "./keys.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/**
 * Clears the outbox of the state written as `version`, once its events were published and notified.
 * A later write carried them forward and clears them with its own round: then nothing changes here.
 */
export async function markDelivered(brokerId: string, version: number): Promise<boolean> {
  try {
    await callAws("UpdateItem", () =>
      ddb.send(
        new UpdateCommand({
          TableName: STATE_TABLE_NAME,
          Key: failoverStateKey(brokerId),
          UpdateExpression: "REMOVE undeliveredEvents",
          ConditionExpression: "version = :version",
          ExpressionAttributeValues: { ":version": version },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (awsErrorName(error) === "ConditionalCheckFailedException") return false;
    throw error;
  }
}
