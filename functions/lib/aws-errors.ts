import { ThrottledError, TransientAwsError } from "./errors.js";

interface SdkErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const THROTTLING_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
]);
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

/** The name of an SDK error (`NotFoundException`, …), or undefined for anything that is not one. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && typeof (error as SdkErrorShape).name === "string") {
    return (error as { name: string }).name;
  }
  return undefined;
}

/**
 * Re-throws throttling and transient AWS failures as named errors the workflows retry on
 * (`ThrottledError`, `TransientAwsError`); everything else is re-thrown unchanged.
 */
export function rethrowRetryable(operation: string, error: unknown): never {
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape & {
    code?: string;
  };
  const status = shape.$metadata?.httpStatusCode;
  const name = awsErrorName(error) ?? "";
  if (status === 429 || THROTTLING_NAMES.has(name) || shape.$retryable?.throttling === true) {
    throw new ThrottledError(operation, { cause: error });
  }
  if (
    (status !== undefined && status >= 500) ||
    (shape.code !== undefined && NETWORK_CODES.has(shape.code))
  ) {
    throw new TransientAwsError(operation, { cause: error });
  }
  throw error;
}

/** Sends an AWS call and normalises its retryable failures (see {@link rethrowRetryable}). */
export async function callAws<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    return rethrowRetryable(operation, error);
  }
}
