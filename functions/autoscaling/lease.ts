import { conditionalUpdate } from "../lib/conditional-update.js";
import { scalingStateKey } from "./registration.js";

/**
 * Gives up the queue's decision lease if this execution still holds it (a lease already taken over
 * by another execution, or a STATE item removed by deregistration, is left alone). Returns whether
 * it released anything.
 */
export async function releaseLease(table: string, registrationId: string, owner: string): Promise<boolean> {
  const released = await conditionalUpdate(
    {
      TableName: table,
      Key: scalingStateKey(registrationId),
      UpdateExpression: "REMOVE leaseOwner, leaseUntil",
      ConditionExpression: "leaseOwner = :owner",
      ExpressionAttributeValues: { ":owner": owner },
    },
    () => false,
  );
  return released !== false;
}
