import { DeleteBrokerCommand, DeleteConfigurationCommand, ListTagsCommand } from "@aws-sdk/client-mq";
import { DeleteSecretCommand } from "@aws-sdk/client-secrets-manager";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { brokerSummaries } from "../lib/broker-summaries.js";
import { mq, secrets } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { workflowStep } from "../lib/middleware.js";
import { brokerItemKey, provisioningFailureKey, TAG_CLIENT_TOKEN } from "../lib/state-table.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  clientToken: z.string(),
  brokerName: z.string(),
  usersSecretId: z.string(),
  state: z.catchall(
    z.object({
      broker: z.optional(z.object({ brokerId: z.string() })),
      configuration: z.optional(z.object({ configurationId: z.string() })),
      error: z.optional(z.object({ Error: z.string(), Cause: z.optional(z.string()) })),
    }),
    z.unknown(),
  ),
});

/** Runs an AWS call, treating the listed error names as "nothing to do" (already deleted). */
async function tolerate(
  operation: string,
  call: () => Promise<unknown>,
  tolerated: string[],
): Promise<string> {
  try {
    await callAws(operation, call);
    return "deleted";
  } catch (error) {
    const name = awsErrorName(error) ?? "";
    if (tolerated.includes(name)) return name === "ConflictException" ? "retained (in use)" : "already gone";
    throw error;
  }
}

/**
 * A broker named `brokerName` that this request created (tagged with its client token), if CreateBroker
 * got as far as creating it without the workflow learning its id. A broker of the same name that
 * someone else created is never touched.
 */
async function findOwnBroker(brokerName: string, clientToken: string): Promise<string | undefined> {
  for await (const summary of brokerSummaries()) {
    if (summary.BrokerName !== brokerName || summary.BrokerArn === undefined) continue;
    const arn = summary.BrokerArn;
    const tags = await callAws("ListTags", () => mq.send(new ListTagsCommand({ ResourceArn: arn })));
    if (tags.Tags?.[TAG_CLIENT_TOKEN] === clientToken) return summary.BrokerId;
  }
  return undefined;
}

/** Deletes what this provisioning created (broker, configuration, users secret) and records the failure. */
export const compensate = async ({
  clientToken,
  brokerName,
  usersSecretId,
  state,
}: z.infer<typeof inputSchema>) => {
  const brokerId = state.broker?.brokerId ?? (await findOwnBroker(brokerName, clientToken));
  const broker =
    brokerId === undefined
      ? "never created"
      : await tolerate("DeleteBroker", () => mq.send(new DeleteBrokerCommand({ BrokerId: brokerId })), [
          "NotFoundException",
        ]);
  const configurationId = state.configuration?.configurationId;
  const configuration =
    configurationId === undefined
      ? "never created"
      : await tolerate(
          "DeleteConfiguration",
          () => mq.send(new DeleteConfigurationCommand({ ConfigurationId: configurationId })),
          ["NotFoundException", "ConflictException"],
        );
  const secret = await tolerate(
    "DeleteSecret",
    () =>
      secrets.send(new DeleteSecretCommand({ SecretId: usersSecretId, ForceDeleteWithoutRecovery: true })),
    ["ResourceNotFoundException"],
  );
  // RecordBroker may have run before a later step failed: its item would claim a RUNNING broker.
  const record =
    brokerId === undefined
      ? "never written"
      : await tolerate(
          "DeleteItem",
          () =>
            ddb.send(
              new DeleteCommand({
                TableName: STATE_TABLE_NAME,
                Key: brokerItemKey(brokerId),
                // Only the item this request wrote (or none): never another provisioning's.
                ConditionExpression: "attribute_not_exists(pk) OR clientToken = :token",
                ExpressionAttributeValues: { ":token": clientToken },
              }),
            ),
          ["ConditionalCheckFailedException"],
        );
  const result = { brokerId: brokerId ?? null, broker, configuration, secret, record };
  await callAws("PutItem", () =>
    ddb.send(
      new PutCommand({
        TableName: STATE_TABLE_NAME,
        Item: {
          ...provisioningFailureKey(clientToken),
          type: "provisioning-failure",
          brokerName,
          clientToken,
          error: state.error?.Error ?? "Unknown",
          cause: state.error?.Cause?.slice(0, 2000),
          compensation: result,
          failedAt: new Date().toISOString(),
        },
      }),
    ),
  );
  return result;
};

export const handler = workflowStep(inputSchema, compensate);
