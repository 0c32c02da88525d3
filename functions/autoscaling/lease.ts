import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { conditionalWrite } from "../lib/conditional-write.js";
import { ddb } from "../lib/document-client.js";
import { scalingStateKey } from "./registration.js";

/**
 * Gives up the queue's decision lease if this execution still holds it (a lease already taken over
 * by another execution, or a STATE item removed by deregistration, is left alone). Returns whether
 * it released anything.
 */
export async function releaseLease(table: string, registrationId: string, owner: string): Promise<boolean> {
  return conditionalWrite(
    async () => {
      await callAws("UpdateItem", () =>
        ddb.send(
          new UpdateCommand({
            TableName: table,
            Key: scalingStateKey(registrationId),
            UpdateExpression: "REMOVE leaseOwner, leaseUntil",
            ConditionExpression: "leaseOwner = :owner",
            ExpressionAttributeValues: { ":owner": owner },
          }),
        ),
      );
      return true;
    },
    () => false,
  );
}
