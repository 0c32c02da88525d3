import { applyDecision } from "../failover/promotion.js";
import { readPromotion, writePromotion } from "../failover/promotion-store.js";
import { ResourceConflictError } from "../lib/errors.js";
import { json, jsonBody, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { checkBrokerId } from "../lib/mq-errors.js";
import { conflictAsHttp, decisionRequestSchema, parseBody } from "./promotion-request.js";

/**
 * POST /brokers/{id}/promotion `{"decision": "approve" | "reject"}`: decides a proposed promotion
 * (BrokerPromotionProposed). Recorded in the state table; the failover workflow's next round carries
 * an approval out if the primary is still silent (409 when nothing is proposed).
 */
export const handler = httpRoute(async (event) => {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  const { decision } = parseBody(decisionRequestSchema, jsonBody(event));
  const recorded = await readPromotion(brokerId);
  if (recorded === undefined) {
    throw new ResourceConflictError(`Broker ${brokerId} is not registered for promotion`);
  }
  const decided = applyDecision(recorded.registration, decision, new Date().toISOString());
  if (decided === undefined) {
    throw new ResourceConflictError(
      `Broker ${brokerId}'s promotion is ${recorded.registration.phase}; only a PROPOSED promotion can be decided`,
    );
  }
  await writePromotion(brokerId, decided, recorded.version).catch(conflictAsHttp(brokerId));
  return json(202, { brokerId, ...decided });
});
