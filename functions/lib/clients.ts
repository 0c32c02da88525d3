import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { MqClient } from "@aws-sdk/client-mq";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { tracer } from "./powertools.js";

// Region and endpoint come from the standard environment (AWS_REGION, AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_<SERVICE>): the same code talks to AWS or to the local cloud.
// `@__PURE__` lets a Lambda's bundle drop the clients its handler never uses (a client made at
// module scope is otherwise kept, with its whole SDK package, in every function). The DynamoDB
// document client is in document-client.ts.
export const mq = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new MqClient({}));
export const sfn = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SFNClient({}));
export const secrets = /* @__PURE__ */ tracer.captureAWSv3Client(
  /* @__PURE__ */ new SecretsManagerClient({}),
);
export const sns = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SNSClient({}));
export const cloudwatch = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new CloudWatchClient({}));
export const ecs = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new ECSClient({}));
export const eventBridge = /* @__PURE__ */ tracer.captureAWSv3Client(
  /* @__PURE__ */ new EventBridgeClient({}),
);
