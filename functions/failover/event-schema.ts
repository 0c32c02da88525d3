import * as z from "../lib/zod.js";
import { FAILOVER_EVENT_TYPES, type FailoverEvent } from "./detector.js";
import { PROMOTION_EVENT_TYPES, type PromotionEvent } from "./promotion.js";

/** Every event the failover workflow publishes: the detector's and the promotion's. */
export type MqopsFailoverEvent = FailoverEvent | PromotionEvent;
const EVENT_TYPES = [...FAILOVER_EVENT_TYPES, ...PROMOTION_EVENT_TYPES] as [
  MqopsFailoverEvent["type"],
  ...MqopsFailoverEvent["type"][],
];

/** A detector or promotion event as it travels between steps. */
export const failoverEventSchema = z.object({
  type: z.enum(EVENT_TYPES),
  brokerId: z.string(),
  brokerName: z.string(),
  detectedAt: z.string(),
  detail: z.record(z.string(), z.unknown()),
}) satisfies z.ZodMiniType<MqopsFailoverEvent>;

/** The EventBridge source of every mqops event. */
export const EVENT_SOURCE = "mqops";

/** The PutEvents entry of an event: source `mqops`, detail-type = the event type. Pure. */
export function eventEntry(event: MqopsFailoverEvent) {
  const { type, ...rest } = event;
  return {
    Source: EVENT_SOURCE,
    DetailType: type,
    Time: new Date(event.detectedAt),
    Detail: JSON.stringify({ eventType: type, ...rest }),
  };
}
