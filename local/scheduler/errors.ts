import { AwsServiceError } from "../server/aws-error.js";

/* EventBridge Scheduler's documented errors (REST-JSON), with their HTTP statuses. */
export const validationException = (message: string) =>
  new AwsServiceError("ValidationException", message, 400);
export const resourceNotFound = (message: string) =>
  new AwsServiceError("ResourceNotFoundException", message, 404);
export const conflict = (message: string) => new AwsServiceError("ConflictException", message, 409);

/** AWS's "1 validation error detected" message for a member that breaks its constraint. */
export const constraint = (value: unknown, member: string, rule: string) =>
  validationException(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`,
  );

/**
 * Scheduler writes errors as `x-amzn-ErrorType` plus `{"Message": …}` (capital M, unlike Amazon MQ's
 * `message`), so the service writes its own rather than through the server's REST-JSON writer.
 */
export function schedulerErrorResponse(error: AwsServiceError) {
  return {
    status: error.status,
    headers: { "x-amzn-errortype": error.code, "content-type": "application/json" },
    body: JSON.stringify({ Message: error.message }),
  };
}
