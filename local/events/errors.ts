import { AwsServiceError } from "../server/aws-error.js";

/* EventBridge's documented error names; AWS JSON 1.1, all 400 on the wire. */
export const validationException = (message: string) =>
  new AwsServiceError("ValidationException", message, 400);
export const invalidEventPattern = (message: string) =>
  new AwsServiceError("InvalidEventPatternException", message, 400);
export const limitExceeded = (message: string) => new AwsServiceError("LimitExceededException", message, 400);
export const ruleNotFound = (name: string, bus = "default") =>
  new AwsServiceError("ResourceNotFoundException", `Rule ${name} does not exist on EventBus ${bus}.`, 400);
export const busNotFound = (name: string) =>
  new AwsServiceError("ResourceNotFoundException", `Event bus ${name} does not exist.`, 400);

/** AWS's "1 validation error detected" message for a member that breaks its constraint. */
export const constraint = (value: unknown, member: string, rule: string) =>
  validationException(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${rule}`,
  );
