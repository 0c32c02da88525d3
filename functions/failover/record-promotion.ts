import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { promotedEvent } from "./promotion.js";
import { readPromotion, writePromotion } from "./promotion-store.js";
import { watchedBrokerSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  broker: watchedBrokerSchema,
  replicaBrokerId: z.string().check(z.minLength(1)),
  promotion: z.object({ mode: z.string(), promotedAt: z.string() }),
  replica: z.object({ endpoint: z.string(), servingAt: z.string() }),
});

/** Records the promotion (phase PROMOTED) and returns BrokerPromoted for PublishEvents and NotifyChange. */
export const recordPromotion = async ({
  broker,
  replicaBrokerId,
  promotion,
  replica,
}: z.infer<typeof inputSchema>) => {
  const recorded = await readPromotion(broker.brokerId);
  const policy = recorded?.registration.policy ?? "auto";
  if (recorded !== undefined && recorded.registration.phase !== "PROMOTED") {
    await writePromotion(
      broker.brokerId,
      { ...recorded.registration, phase: "PROMOTED", promotedAt: promotion.promotedAt },
      recorded.version,
    );
  }
  const event = promotedEvent(broker, { replicaBrokerId, policy, ...promotion, ...replica });
  return { events: [event], eventCount: 1 };
};

export const handler = workflowStep(inputSchema, recordPromotion);
