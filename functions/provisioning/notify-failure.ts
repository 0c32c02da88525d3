import { PublishCommand } from "@aws-sdk/client-sns";
import { callAws } from "../lib/aws-errors.js";
import { sns } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { publishInput } from "../lib/notifications.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const NOTIFICATIONS_TOPIC_ARN = requireEnv("NOTIFICATIONS_TOPIC_ARN");

const inputSchema = z.object({
  ...stepBase,
  brokerName: z.string(),
  error: z.object({ Error: z.string(), Cause: z.optional(z.string()) }),
  compensation: z.record(z.string(), z.unknown()),
});

/** Publishes BrokerProvisioningFailed with the error and what the compensation cleaned up. */
export const notifyFailure = async ({ brokerName, error, compensation }: z.infer<typeof inputSchema>) => {
  const published = await callAws("Publish", () =>
    sns.send(
      new PublishCommand(
        publishInput(NOTIFICATIONS_TOPIC_ARN, {
          type: "BrokerProvisioningFailed",
          brokerName,
          detail: { error: error.Error, compensation },
        }),
      ),
    ),
  );
  return { messageId: published.MessageId };
};

export const handler = workflowStep(inputSchema, notifyFailure);
