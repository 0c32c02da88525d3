import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { callAws } from "../lib/aws-errors.js";
import { conditionalPut } from "../lib/conditional-put.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { PromotionConflictError } from "../lib/errors.js";
import { promotionKey } from "./keys.js";
import type { PromotionRegistration } from "./promotion.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

export interface RecordedPromotion {
  registration: PromotionRegistration;
  /** Incremented by every write: a write succeeds only on the version it read. */
  version: number;
}

/** The broker's promotion registration (`PROMOTION` item), or undefined when it has none. */
export async function readPromotion(brokerId: string): Promise<RecordedPromotion | undefined> {
  const result = await callAws("GetItem", () =>
    ddb.send(
      new GetCommand({ TableName: STATE_TABLE_NAME, Key: promotionKey(brokerId), ConsistentRead: true }),
    ),
  );
  const item = result.Item;
  if (item === undefined) return undefined;
  const { pk: _pk, sk: _sk, type: _type, brokerId: _id, version, updatedAt: _u, ...registration } = item;
  return {
    registration: registration as PromotionRegistration,
    version: typeof version === "number" ? version : 0,
  };
}

/**
 * Writes the registration if nobody wrote since `readVersion` (undefined: only if there is none);
 * otherwise PromotionConflictError: an approval and a round, or two rounds, raced.
 */
export async function writePromotion(
  brokerId: string,
  registration: PromotionRegistration,
  readVersion: number | undefined,
): Promise<void> {
  const item = {
    ...promotionKey(brokerId),
    type: "promotion",
    brokerId,
    ...registration,
    updatedAt: new Date().toISOString(),
  };
  await conditionalPut(
    STATE_TABLE_NAME,
    item,
    readVersion,
    (cause) => new PromotionConflictError(brokerId, { cause }),
  );
}
