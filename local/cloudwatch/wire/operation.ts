import type { AwsRequest } from "../../server/service.js";

/**
 * One CloudWatch operation, whatever the wire protocol the client spoke (AWS JSON 1.0 or Query).
 * `input` is normalised from the API model (local/cloudwatch/wire/model.ts): members named as in the
 * model (PascalCase), numbers as numbers, booleans as booleans, timestamps as `Date`, lists as arrays,
 * maps as objects. The output is returned in the same shape (timestamps as `Date`) and encoded by the
 * protocol's serialiser. Errors are thrown as `AwsServiceError` with the Query error code AWS documents
 * (`InvalidParameterValue`, `MissingParameter`, `ResourceNotFound`, …; see ./errors.ts): the JSON wire
 * maps it to the error shape's name and the `x-amzn-query-error` header.
 */
export type CloudWatchOperation = (
  input: Record<string, unknown>,
  request: AwsRequest,
) => Promise<unknown> | unknown;
