import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { callAws } from "../lib/aws-errors.js";
import { eventBridge } from "../lib/clients.js";
import { EventPublishFailedError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { eventEntry, failoverEventSchema } from "./event-schema.js";

const inputSchema = z.object({ ...stepBase, events: z.array(failoverEventSchema).check(z.maxLength(10)) });

/**
 * Publishes the detector's events on the default event bus (source `mqops`, detail-type the event
 * type). An entry EventBridge refused fails the step, which the workflow retries.
 */
export const publishEvents = async ({ events }: z.infer<typeof inputSchema>) => {
  if (events.length === 0) return { published: 0 };
  const result = await callAws("PutEvents", () =>
    eventBridge.send(new PutEventsCommand({ Entries: events.map(eventEntry) })),
  );
  const failed = result.FailedEntryCount ?? 0;
  if (failed > 0) {
    const reason = result.Entries?.find((entry) => entry.ErrorCode !== undefined)?.ErrorCode ?? "unknown";
    throw new EventPublishFailedError(failed, reason);
  }
  return { published: events.length };
};

export const handler = workflowStep(inputSchema, publishEvents);
