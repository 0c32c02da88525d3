import { UpdateCommand, type UpdateCommandInput, type UpdateCommandOutput } from "@aws-sdk/lib-dynamodb";
import { awsErrorName, callAws } from "./aws-errors.js";
import { ddb } from "./document-client.js";

/**
 * Runs a conditional DynamoDB write. When its condition fails (ConditionalCheckFailedException), the
 * result is what `onFailed` returns, or the error it throws (the caller's named conflict); any other
 * failure is thrown as the write threw it.
 */
export async function conditionalWrite<T, F>(
  write: () => Promise<T>,
  onFailed: (cause: unknown) => F,
): Promise<T | F> {
  try {
    return await write();
  } catch (error) {
    if (awsErrorName(error) === "ConditionalCheckFailedException") return onFailed(error);
    throw error;
  }
}

/** A conditional UpdateItem (the input's ConditionExpression), run as conditionalWrite runs a write. */
export function conditionalUpdate<F>(
  input: UpdateCommandInput,
  onFailed: (cause: unknown) => F,
): Promise<UpdateCommandOutput | F> {
  return conditionalWrite(() => callAws("UpdateItem", () => ddb.send(new UpdateCommand(input))), onFailed);
}
