import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { ddb } from "../lib/document-client.js";
import { decisionItem } from "./decision-record.js";

/** Writes one entry of a queue's decision record (PutItem). */
export async function putDecision(
  tableName: string,
  entry: Parameters<typeof decisionItem>[0],
): Promise<void> {
  await callAws("PutItem", () =>
    ddb.send(new PutCommand({ TableName: tableName, Item: decisionItem(entry) })),
  );
}
