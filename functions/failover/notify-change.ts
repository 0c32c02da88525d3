import { PublishCommand } from "@aws-sdk/client-sns";
import { callAws } from "../lib/aws-errors.js";
import { sns } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { publishInput } from "../lib/notifications.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { failoverEventSchema } from "./event-schema.js";

const TOPIC_ARN = requireEnv("NOTIFICATIONS_TOPIC_ARN");

const inputSchema = z.object({ ...stepBase, events: z.array(failoverEventSchema) });

/** One SNS notification per event, with `eventType` as the message attribute subscribers filter on. */
export const notifyChange = async ({ events }: z.infer<typeof inputSchema>) => {
  for (const event of events) {
    const { type, brokerName, ...detail } = event;
    await callAws("Publish", () =>
      sns.send(new PublishCommand(publishInput(TOPIC_ARN, { type, brokerName, detail }))),
    );
  }
  return { notified: events.length };
};

export const handler = workflowStep(inputSchema, notifyChange);
