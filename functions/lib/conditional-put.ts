import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "./aws-errors.js";
import { conditionalWrite } from "./conditional-write.js";
import { ddb } from "./document-client.js";

/**
 * PutItem of a versioned item (optimistic locking): it succeeds only if nobody wrote the item since
 * `readVersion` was read, or, with `readVersion` undefined, only if there is no item yet. The item
 * is written with `version` = `readVersion` + 1, which is returned. A lost race throws what
 * `conflict` makes of DynamoDB's ConditionalCheckFailedException (the caller's named conflict error,
 * which its workflow retries); other failures are thrown as `callAws` throws them.
 */
export async function conditionalPut(
  tableName: string,
  item: Record<string, unknown>,
  readVersion: number | undefined,
  conflict: (cause: unknown) => Error,
): Promise<number> {
  const version = (readVersion ?? 0) + 1;
  await conditionalWrite(
    () =>
      callAws("PutItem", () =>
        ddb.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...item, version },
            ...(readVersion === undefined
              ? { ConditionExpression: "attribute_not_exists(pk)" }
              : {
                  ConditionExpression: "version = :read",
                  ExpressionAttributeValues: { ":read": readVersion },
                }),
          }),
        ),
      ),
    (cause) => {
      throw conflict(cause);
    },
  );
  return version;
}
