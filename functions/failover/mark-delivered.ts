import { z } from "zod";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import { markDelivered } from "./outbox.js";

const inputSchema = z.object({
  ...stepBase,
  brokerId: z.string(),
  /** The state version RecordCheck wrote with the events. */
  version: z.number().int().min(1),
});

/** The round's events were published and notified: clears them from the broker's outbox. */
export const markEventsDelivered = async ({ brokerId, version }: z.infer<typeof inputSchema>) => ({
  cleared: await markDelivered(brokerId, version),
});

export const handler = workflowStep(inputSchema, markEventsDelivered);
