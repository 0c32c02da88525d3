import { awsErrorName } from "../lib/aws-errors.js";
import { errorMessage } from "../lib/error-message.js";

/**
 * Amazon MQ errors that refuse a request for good (retrying the same call cannot succeed).
 * ConflictException is not one: Amazon MQ documents it for a broker busy with another operation,
 * and the workflow retries it.
 */
const REFUSALS = new Set([
  "BadRequestException",
  "ForbiddenException",
  "NotFoundException",
  "UnauthorizedException",
]);

export function isRefusal(error: unknown): boolean {
  return REFUSALS.has(awsErrorName(error) ?? "");
}

export const refusalReason = (error: unknown) => `${awsErrorName(error) ?? "Error"}: ${errorMessage(error)}`;
