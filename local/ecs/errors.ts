import { AwsServiceError } from "../server/aws-error.js";

/* Amazon ECS's error names and messages; every one is a 400 on the AWS JSON 1.1 protocol. */
const error = (code: string) => (message: string) => new AwsServiceError(code, message, 400);

export const clientException = error("ClientException");
export const invalidParameter = error("InvalidParameterException");

export const clusterNotFound = () =>
  new AwsServiceError("ClusterNotFoundException", "Cluster not found.", 400);
export const serviceNotFound = () =>
  new AwsServiceError("ServiceNotFoundException", "Service not found.", 400);
export const serviceNotActive = () =>
  new AwsServiceError("ServiceNotActiveException", "Service was not ACTIVE.", 400);
export const taskDefinitionNotFound = () => clientException("Unable to describe task definition.");
export const clusterContainsServices = () =>
  new AwsServiceError(
    "ClusterContainsServicesException",
    "The Cluster cannot be deleted while Services are active.",
    400,
  );
export const clusterContainsTasks = () =>
  new AwsServiceError(
    "ClusterContainsTasksException",
    "The Cluster cannot be deleted while Tasks are active.",
    400,
  );
