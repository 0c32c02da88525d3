import { awsErrorName } from "./aws-errors.js";
import { BrokerNotFoundError, RequestValidationError, ResourceConflictError } from "./errors.js";

/** Maps Amazon MQ's errors on a broker call to the API's named errors; re-throws the rest. */
export function rethrowBrokerError(brokerId: string, error: unknown): never {
  const name = awsErrorName(error);
  if (name === "NotFoundException") throw new BrokerNotFoundError(brokerId, { cause: error });
  if (name === "ConflictException") {
    throw new ResourceConflictError(`Broker ${brokerId} cannot do that in its current state`, {
      cause: error,
    });
  }
  if (name === "BadRequestException") {
    throw new RequestValidationError([{ field: "id", message: "is not a valid broker id" }]);
  }
  throw error;
}

const BROKER_ID = /^[A-Za-z0-9_-]{1,150}$/;

/** The `{id}` path parameter checked as a broker id or name. */
export function checkBrokerId(id: string): string {
  if (!BROKER_ID.test(id)) {
    throw new RequestValidationError([{ field: "id", message: "must be a broker id (b-…) or name" }]);
  }
  return id;
}
