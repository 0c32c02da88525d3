/**
 * The base of mqops' named errors, after middy's `HttpError`: the name Step Functions matches in
 * `ErrorEquals` (read it as `Class.errorName`) and the status the API answers with.
 */

/** `error instanceof NamedError` tells ours from any other error. */
export class NamedError extends Error {
  readonly statusCode?: number;
}

/** A base class whose instances are named `name` and answer the API with `statusCode`. */
export function namedError<const N extends string>(name: N, statusCode?: number) {
  return class extends NamedError {
    static readonly errorName: N = name;
    override readonly name: N = name;
    override readonly statusCode = statusCode;
  };
}

/** RequestValidationError's name (errors.ts), for the workflows' error lists that cannot import it. */
export const REQUEST_VALIDATION_ERROR = "RequestValidationError";
