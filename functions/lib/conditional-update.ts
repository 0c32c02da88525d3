import { UpdateCommand, type UpdateCommandInput, type UpdateCommandOutput } from "@aws-sdk/lib-dynamodb";
import { callAws } from "./aws-errors.js";
import { conditionalWrite } from "./conditional-write.js";
import { ddb } from "./document-client.js";

/**
 * A conditional UpdateItem (the input's ConditionExpression), run as conditionalWrite runs a write. A module
 * of its own: the IAM test reads the AWS calls a handler's imports make, and only the writers that update
 * items are granted dynamodb:UpdateItem.
 */
export function conditionalUpdate<F>(
  input: UpdateCommandInput,
  onFailed: (cause: unknown) => F,
): Promise<UpdateCommandOutput | F> {
  return conditionalWrite(() => callAws("UpdateItem", () => ddb.send(new UpdateCommand(input))), onFailed);
}
