/**
 * State-table keys of failover detection: one `FAILOVER` item per broker with its current state, and
 * one `FAILOVER#<time>#<event type>` history item per change, under the broker's partition.
 */
export const failoverStateKey = (brokerId: string) => ({ pk: `BROKER#${brokerId}`, sk: "FAILOVER" });
export const failoverHistoryKey = (brokerId: string, at: string, eventType: string) => ({
  pk: `BROKER#${brokerId}`,
  sk: `FAILOVER#${at}#${eventType}`,
});
/** The broker's promotion registration and its phase (functions/failover/promotion.ts). */
export const promotionKey = (brokerId: string) => ({ pk: `BROKER#${brokerId}`, sk: "PROMOTION" });
