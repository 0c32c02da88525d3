import { awsErrorName } from "./aws-errors.js";

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
