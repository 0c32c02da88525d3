import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { MqClient } from "@aws-sdk/client-mq";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tracer } from "./powertools.js";

// Region and endpoint come from the standard environment (AWS_REGION, AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>): the same code talks to AWS or to the local cloud.
export const mq = tracer.captureAWSv3Client(new MqClient({}));
export const sfn = tracer.captureAWSv3Client(new SFNClient({}));
export const secrets = tracer.captureAWSv3Client(new SecretsManagerClient({}));
export const sns = tracer.captureAWSv3Client(new SNSClient({}));
export const cloudwatch = tracer.captureAWSv3Client(new CloudWatchClient({}));
export const ecs = tracer.captureAWSv3Client(new ECSClient({}));
export const ddb = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
  marshallOptions: { removeUndefinedValues: true },
});
export const eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({}));
