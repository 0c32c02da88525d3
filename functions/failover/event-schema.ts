import { z } from "zod";
import { FAILOVER_EVENT_TYPES, type FailoverEvent } from "./detector.js";

/** A detector event as it travels between steps. */
export const failoverEventSchema = z.object({
  type: z.enum(FAILOVER_EVENT_TYPES as [FailoverEvent["type"], ...FailoverEvent["type"][]]),
  brokerId: z.string(),
  brokerName: z.string(),
  detectedAt: z.string(),
  detail: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<FailoverEvent>;

/** The EventBridge source of every mqops event. */
export const EVENT_SOURCE = "mqops";

/** The PutEvents entry of an event: source `mqops`, detail-type = the event type. Pure. */
export function eventEntry(event: FailoverEvent) {
  const { type, ...rest } = event;
  return {
    Source: EVENT_SOURCE,
    DetailType: type,
    Time: new Date(event.detectedAt),
    Detail: JSON.stringify({ eventType: type, ...rest }),
  };
}
