/**
 * An error an emulated service answers with, in the shape its protocol has on AWS:
 * REST-JSON (Amazon MQ): status + `x-amzn-ErrorType` + `{"message", "errorAttribute"}`;
 * AWS JSON 1.0/1.1 (Step Functions, Secrets Manager, DynamoDB): 400 + `{"__type", "message"}`;
 * Query (SNS): XML `<ErrorResponse><Error><Type/><Code/><Message/></Error>`.
 */
export class AwsServiceError extends Error {
  constructor(
    /** AWS's error name, e.g. NotFoundException, ExecutionDoesNotExist, ResourceNotFoundException. */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Amazon MQ's `errorAttribute`: the request field the error is about. */
    readonly attribute?: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const badRequest = (message: string, attribute?: string) =>
  new AwsServiceError("BadRequestException", message, 400, attribute);
export const notFound = (message: string, attribute?: string) =>
  new AwsServiceError("NotFoundException", message, 404, attribute);
export const conflict = (message: string, attribute?: string) =>
  new AwsServiceError("ConflictException", message, 409, attribute);
