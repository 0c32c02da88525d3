import { AwsServiceError } from "../../server/aws-error.js";

/*
 * CloudWatch's error codes (the Query protocol's, which the AWS JSON 1.0 protocol also sends with
 * awsQueryCompatible) and their statuses, as the API model declares them.
 */
export const invalidParameterValue = (message: string) =>
  new AwsServiceError("InvalidParameterValue", message, 400);
export const missingParameter = (name: string) =>
  new AwsServiceError("MissingParameter", `The parameter ${name} is required.`, 400);
export const invalidParameterCombination = (message: string) =>
  new AwsServiceError("InvalidParameterCombination", message, 400);
export const invalidFormat = (message: string) => new AwsServiceError("InvalidFormat", message, 400);
export const invalidNextToken = () =>
  new AwsServiceError("InvalidNextToken", "The NextToken is not valid.", 400);
export const validationError = (message: string) => new AwsServiceError("ValidationError", message, 400);
/** DescribeAlarms-family operations (SetAlarmState, DeleteAlarms) answer `ResourceNotFound`. */
export const alarmNotFound = (name: string) =>
  new AwsServiceError("ResourceNotFound", `Alarm ${name} not found`, 404);
/** The tagging operations answer `ResourceNotFoundException`. */
export const resourceNotFound = (arn: string) =>
  new AwsServiceError("ResourceNotFoundException", `Resource ${arn} not found.`, 404);
