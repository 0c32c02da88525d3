import { AwsServiceError } from "../server/aws-error.js";

/* Step Functions' documented error names; all are 400 on the AWS JSON 1.0 protocol. */
const error = (code: string) => (message: string) => new AwsServiceError(code, message, 400);

export const invalidArn = error("InvalidArn");
export const invalidName = error("InvalidName");
export const invalidDefinition = error("InvalidDefinition");
export const invalidExecutionInput = error("InvalidExecutionInput");
export const invalidOutput = error("InvalidOutput");
export const invalidToken = error("InvalidToken");
export const validationError = error("ValidationException");
export const executionDoesNotExist = (arn: string) =>
  new AwsServiceError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`, 400);
export const executionAlreadyExists = (arn: string) =>
  new AwsServiceError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`, 400);
export const stateMachineDoesNotExist = (arn: string) =>
  new AwsServiceError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`, 400);
export const stateMachineAlreadyExists = (arn: string) =>
  new AwsServiceError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`, 400);
export const taskDoesNotExist = () =>
  new AwsServiceError("TaskDoesNotExist", "Task Timed Out: 'Provided task does not exist anymore'", 400);
