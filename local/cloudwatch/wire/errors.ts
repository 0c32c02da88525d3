import { AwsServiceError } from "../../server/aws-error.js";

/**
 * CloudWatch's errors by their Query error codes, as the API reference lists them. On the JSON wire
 * the server writes the matching shape name (`InvalidParameterValueException`, …) and the
 * `x-amzn-query-error` header (see ./model.ts `errorShapeName`).
 */
export const invalidParameterValue = (message: string) =>
  new AwsServiceError("InvalidParameterValue", message, 400);
export const missingParameter = (message: string) => new AwsServiceError("MissingParameter", message, 400);
export const invalidParameterCombination = (message: string) =>
  new AwsServiceError("InvalidParameterCombination", message, 400);
export const validationError = (message: string) => new AwsServiceError("ValidationError", message, 400);
export const invalidNextToken = (message = "The service couldn't process the NextToken.") =>
  new AwsServiceError("InvalidNextToken", message, 400);
export const resourceNotFound = (message: string) => new AwsServiceError("ResourceNotFound", message, 404);
export const resourceNotFoundException = (message: string) =>
  new AwsServiceError("ResourceNotFoundException", message, 404);
export const limitExceeded = (message: string) => new AwsServiceError("LimitExceeded", message, 400);
