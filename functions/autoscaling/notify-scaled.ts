import { PublishCommand } from "@aws-sdk/client-sns";
import { callAws } from "../lib/aws-errors.js";
import { sns } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { publishInput } from "../lib/notifications.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { decisionSchema } from "./step-input.js";

const NOTIFICATIONS_TOPIC_ARN = requireEnv("NOTIFICATIONS_TOPIC_ARN");

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  brokerId: z.string(),
  brokerName: z.string(),
  queue: z.string(),
  service: z.string(),
  decision: decisionSchema,
});

/** Publishes QueueScaled (eventType attribute) for each scale-out or scale-in, with its reason. */
export const notifyScaled = async ({ decision, ...input }: z.infer<typeof inputSchema>) => {
  const published = await callAws("Publish", () =>
    sns.send(
      new PublishCommand(
        publishInput(NOTIFICATIONS_TOPIC_ARN, {
          type: "QueueScaled",
          brokerName: input.brokerName,
          detail: {
            registrationId: input.registrationId,
            brokerId: input.brokerId,
            queue: input.queue,
            service: input.service,
            action: decision.action,
            from: decision.previousDesired,
            to: decision.desired,
            reason: decision.reason,
            dataQuality: decision.dataQuality,
          },
        }),
      ),
    ),
  );
  return { messageId: published.MessageId };
};

export const handler = workflowStep(inputSchema, notifyScaled);
