import { PublishCommand } from "@aws-sdk/client-sns";
import { callAws } from "../lib/aws-errors.js";
import { sns } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { publishInput } from "../lib/notifications.js";
import { brokerRefSchema, stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const NOTIFICATIONS_TOPIC_ARN = requireEnv("NOTIFICATIONS_TOPIC_ARN");

const inputSchema = z.object({
  ...stepBase,
  brokerName: z.string(),
  broker: brokerRefSchema,
  endpoints: z.looseObject({ urls: z.record(z.string(), z.string()) }),
});

/** Publishes BrokerProvisioned with the broker's client URLs. */
export const notifyProvisioned = async ({ brokerName, broker, endpoints }: z.infer<typeof inputSchema>) => {
  const published = await callAws("Publish", () =>
    sns.send(
      new PublishCommand(
        publishInput(NOTIFICATIONS_TOPIC_ARN, {
          type: "BrokerProvisioned",
          brokerName,
          detail: { ...broker, urls: endpoints.urls },
        }),
      ),
    ),
  );
  return { messageId: published.MessageId };
};

export const handler = workflowStep(inputSchema, notifyProvisioned);
