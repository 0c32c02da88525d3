import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { ddb } from "../lib/document-client.js";
import { type Registration, registrationKey, registrationSchema } from "./registration.js";

/** The registration with this id, or undefined. */
export async function getRegistration(
  table: string,
  registrationId: string,
): Promise<Registration | undefined> {
  const found = await callAws("GetItem", () =>
    ddb.send(
      new GetCommand({ TableName: table, Key: registrationKey(registrationId), ConsistentRead: true }),
    ),
  );
  return found.Item === undefined ? undefined : registrationSchema.parse(found.Item);
}
