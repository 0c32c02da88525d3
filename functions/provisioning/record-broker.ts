import { CreateTagsCommand } from "@aws-sdk/client-mq";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { carriedBrokerSpecSchema } from "../lib/broker-spec.js";
import { mq } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { workflowStep } from "../lib/middleware.js";
import { brokerItemKey, TAG_MANAGED } from "../lib/state-table.js";
import { brokerRefSchema, configurationRefSchema, stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  clientToken: z.string(),
  request: carriedBrokerSpecSchema,
  broker: brokerRefSchema,
  configuration: configurationRefSchema,
  endpoints: z.looseObject({ urls: z.record(z.string(), z.string()) }),
});

/** Marks the broker as managed by mqops: a tag on the broker and an item in the state table. */
export const recordBroker = async ({
  clientToken,
  request,
  broker,
  configuration,
  endpoints,
}: z.infer<typeof inputSchema>) => {
  await callAws("CreateTags", () =>
    mq.send(new CreateTagsCommand({ ResourceArn: broker.brokerArn, Tags: { [TAG_MANAGED]: "true" } })),
  );
  await callAws("PutItem", () =>
    ddb.send(
      new PutCommand({
        TableName: STATE_TABLE_NAME,
        Item: {
          ...brokerItemKey(broker.brokerId),
          type: "broker",
          brokerId: broker.brokerId,
          brokerArn: broker.brokerArn,
          brokerName: request.brokerName,
          deploymentMode: request.deploymentMode,
          engineVersion: request.engineVersion,
          configurationId: configuration.configurationId,
          configurationRevision: configuration.revision,
          urls: endpoints.urls,
          clientToken,
          status: "RUNNING",
          provisionedAt: new Date().toISOString(),
        },
      }),
    ),
  );
  return { recorded: true };
};

export const handler = workflowStep(inputSchema, recordBroker);
