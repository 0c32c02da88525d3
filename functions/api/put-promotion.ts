import { readPromotion, writePromotion } from "../failover/promotion-store.js";
import { describeBroker } from "../lib/describe-broker.js";
import { RequestValidationError } from "../lib/errors.js";
import { json, jsonBody, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { checkBrokerId } from "../lib/mq-errors.js";
import { conflictAsHttp, parseBody, registrationRequestSchema } from "./promotion-request.js";

/**
 * PUT /brokers/{id}/promotion: registers (or re-registers, phase WATCHING again) the broker's CRDR
 * replica for promotion by the failover workflow. The replica must be this broker's counterpart in
 * DescribeBroker, so a typo cannot promote an unrelated broker.
 */
export const handler = httpRoute(async (event) => {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  const request = parseBody(registrationRequestSchema, jsonBody(event));
  const broker = await describeBroker(brokerId);
  const metadata = broker.DataReplicationMetadata ?? broker.PendingDataReplicationMetadata;
  if (metadata?.DataReplicationRole !== "PRIMARY") {
    throw new RequestValidationError([{ field: "id", message: "is not the primary of a CRDR pair" }]);
  }
  if (metadata.DataReplicationCounterpart?.BrokerId !== request.replicaBrokerId) {
    throw new RequestValidationError([
      { field: "replicaBrokerId", message: "is not the broker's replica (DataReplicationCounterpart)" },
    ]);
  }
  const recorded = await readPromotion(brokerId);
  const registration = { ...request, phase: "WATCHING" as const };
  await writePromotion(brokerId, registration, recorded?.version).catch(conflictAsHttp(brokerId));
  return json(200, { brokerId, ...registration });
});
