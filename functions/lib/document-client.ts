import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tracer } from "./powertools.js";

// Apart from clients.ts: @aws-sdk/lib-dynamodb does not declare `"sideEffects": false`, so a bundle
// that imports it keeps all of it, and DynamoDB's client, even when nothing uses them. Only the
// functions that read or write the state table import this module.
export const ddb = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
