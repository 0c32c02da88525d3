import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { decidePromotion, proposalEvent } from "./promotion.js";
import { readPromotion, writePromotion } from "./promotion-store.js";
import { watchedBrokerSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  broker: watchedBrokerSchema,
  check: z.object({
    classification: z.enum(["active", "none", "both"]),
    silentChecks: z.number().check(z.int(), z.gte(0)),
    at: z.string(),
  }),
});

/**
 * After a round of a broker that was silent or changed: reads its promotion registration, lets the
 * pure decision judge (promotion.ts), records a new phase (conditionally: an approval through the API
 * may race), and says what the workflow does next: `promote`, `propose` (with the event), or nothing.
 */
export const decidePromotionStep = async ({ broker, check }: z.infer<typeof inputSchema>) => {
  const recorded = await readPromotion(broker.brokerId);
  const decision = decidePromotion(recorded?.registration, check);
  if (decision.next !== undefined) await writePromotion(broker.brokerId, decision.next, recorded?.version);
  const registration = decision.next ?? recorded?.registration;
  const events =
    decision.action.kind === "propose" && registration !== undefined
      ? [proposalEvent(broker, registration, check)]
      : [];
  return {
    action: decision.action.kind,
    reason: decision.action.kind === "none" ? decision.action.reason : null,
    replicaBrokerId: registration?.replicaBrokerId ?? null,
    policy: registration?.policy ?? null,
    events,
  };
};

export const handler = workflowStep(inputSchema, decidePromotionStep);
