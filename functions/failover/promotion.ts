import type { Classification } from "./detector.js";

/**
 * Promotion of a CRDR replica when the primary is lost: the pure decision, taken after each round of
 * a registered broker whose probes found nothing answering, or that changed. No clock, no I/O.
 *
 * Safety first: a round in which any instance of the primary answered never promotes, and it
 * withdraws a proposal or an approval that was waiting (the primary is back; promoting now would
 * split the brokers' state for nothing). Silence must last `checksBeforePromotion` consecutive rounds.
 */

export type PromotionPolicy = "auto" | "approval";

/**
 * WATCHING: nothing under way. PROPOSED: BrokerPromotionProposed published, waiting for a decision
 * through the API. APPROVED / REJECTED: the decision (an approval is carried out by the next silent
 * round). PROMOTED: the replica was promoted; the registration rests until it is registered again.
 */
export type PromotionPhase = "WATCHING" | "PROPOSED" | "APPROVED" | "REJECTED" | "PROMOTED";

export interface PromotionRegistration {
  replicaBrokerId: string;
  policy: PromotionPolicy;
  /** Consecutive silent rounds of the primary before a promotion (or a proposal). */
  checksBeforePromotion: number;
  phase: PromotionPhase;
  proposedAt?: string;
  decidedAt?: string;
  promotedAt?: string;
}

/** What one round of the primary's probes says, from RecordCheck. */
export interface PrimaryRound {
  classification: Classification["kind"];
  /** Consecutive rounds in which no instance answered, this one included. */
  silentChecks: number;
  at: string;
}

export type PromotionAction =
  | { kind: "none"; reason: string }
  | { kind: "propose" }
  | { kind: "promote" }
  | { kind: "withdraw"; from: PromotionPhase };

export interface PromotionDecision {
  action: PromotionAction;
  /** The registration to record; undefined when it stays as it was. */
  next?: PromotionRegistration;
}

const none = (reason: string): PromotionDecision => ({ action: { kind: "none", reason } });

/** The decision for one round. Pure. */
export function decidePromotion(
  registration: PromotionRegistration | undefined,
  round: PrimaryRound,
): PromotionDecision {
  if (registration === undefined) return none("not registered for promotion");
  const { phase } = registration;
  if (phase === "PROMOTED") return none("already promoted");
  if (round.classification !== "none") {
    if (phase === "WATCHING") return none("the primary answers");
    // PROPOSED, APPROVED or REJECTED: the outage is over, and so is its decision.
    const { proposedAt: _p, decidedAt: _d, ...rest } = registration;
    return { action: { kind: "withdraw", from: phase }, next: { ...rest, phase: "WATCHING" } };
  }
  if (round.silentChecks < registration.checksBeforePromotion) {
    return none(`silent for ${round.silentChecks} of ${registration.checksBeforePromotion} checks`);
  }
  switch (phase) {
    case "WATCHING":
      return registration.policy === "auto"
        ? { action: { kind: "promote" } }
        : { action: { kind: "propose" }, next: { ...registration, phase: "PROPOSED", proposedAt: round.at } };
    case "APPROVED":
      return { action: { kind: "promote" } };
    case "PROPOSED":
      return none("waiting for an approval");
    case "REJECTED":
      return none("the promotion was rejected; waiting for the primary to recover");
  }
}

/** What an approval or a rejection through the API does to a registration; undefined: not allowed now. Pure. */
export function applyDecision(
  registration: PromotionRegistration,
  decision: "approve" | "reject",
  at: string,
): PromotionRegistration | undefined {
  if (registration.phase !== "PROPOSED") return undefined;
  return { ...registration, phase: decision === "approve" ? "APPROVED" : "REJECTED", decidedAt: at };
}

export type PromotionEventType = "BrokerPromotionProposed" | "BrokerPromoted";
export const PROMOTION_EVENT_TYPES: readonly PromotionEventType[] = [
  "BrokerPromotionProposed",
  "BrokerPromoted",
];

export interface PromotionEvent {
  type: PromotionEventType;
  brokerId: string;
  brokerName: string;
  detectedAt: string;
  detail: Record<string, unknown>;
}

/** BrokerPromotionProposed: the primary has been silent long enough; approve or reject through the API. */
export function proposalEvent(
  broker: { brokerId: string; brokerName: string },
  registration: PromotionRegistration,
  round: PrimaryRound,
): PromotionEvent {
  return {
    type: "BrokerPromotionProposed",
    brokerId: broker.brokerId,
    brokerName: broker.brokerName,
    detectedAt: round.at,
    detail: {
      replicaBrokerId: registration.replicaBrokerId,
      silentChecks: round.silentChecks,
      approve: `POST /brokers/${broker.brokerId}/promotion {"decision":"approve"}`,
      reject: `POST /brokers/${broker.brokerId}/promotion {"decision":"reject"}`,
    },
  };
}

/** BrokerPromoted: the replica is the primary now and serves. */
export function promotedEvent(
  broker: { brokerId: string; brokerName: string },
  promotion: {
    replicaBrokerId: string;
    mode: string;
    policy: PromotionPolicy;
    promotedAt: string;
    servingAt: string;
    endpoint: string;
  },
): PromotionEvent {
  return {
    type: "BrokerPromoted",
    brokerId: broker.brokerId,
    brokerName: broker.brokerName,
    detectedAt: promotion.servingAt,
    detail: {
      formerPrimaryBrokerId: broker.brokerId,
      newPrimaryBrokerId: promotion.replicaBrokerId,
      mode: promotion.mode,
      policy: promotion.policy,
      promotedAt: promotion.promotedAt,
      servingAt: promotion.servingAt,
      endpoint: promotion.endpoint,
    },
  };
}
