import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { failoverEventSchema } from "./event-schema.js";
import { markDelivered } from "./outbox.js";

const inputSchema = z.object({
  ...stepBase,
  brokerId: z.string(),
  /** The events RecordCheck handed to PublishEvents and NotifyChange. */
  events: z.array(failoverEventSchema),
});

/** The round's events were published and notified: removes them from the broker's outbox. */
export const markEventsDelivered = async ({ brokerId, events }: z.infer<typeof inputSchema>) => ({
  cleared: await markDelivered(brokerId, events),
});

export const handler = workflowStep(inputSchema, markEventsDelivered);
