import { describe, expect, it } from "vitest";
import {
  applyDecision,
  decidePromotion,
  type PrimaryRound,
  type PromotionPhase,
  type PromotionPolicy,
  type PromotionRegistration,
} from "../../../functions/failover/promotion.js";

const AT = "2026-12-01T04:00:00.000Z";
const registration = (phase: PromotionPhase, policy: PromotionPolicy = "auto"): PromotionRegistration => ({
  replicaBrokerId: "b-replica",
  policy,
  checksBeforePromotion: 3,
  phase,
  ...(phase === "PROPOSED" || phase === "APPROVED" || phase === "REJECTED" ? { proposedAt: AT } : {}),
});
const round = (classification: PrimaryRound["classification"], silentChecks: number): PrimaryRound => ({
  classification,
  silentChecks,
  at: AT,
});

describe("decidePromotion", () => {
  // The safety rule first: whatever the phase and policy, a round in which the primary answers never promotes.
  const phases: PromotionPhase[] = ["WATCHING", "PROPOSED", "APPROVED", "REJECTED", "PROMOTED"];
  const policies: PromotionPolicy[] = ["auto", "approval"];
  const answering: PrimaryRound["classification"][] = ["active", "both"];
  for (const phase of phases) {
    for (const policy of policies) {
      for (const classification of answering) {
        for (const silentChecks of [0, 3, 100]) {
          it(`never promotes while the primary answers (${phase}, ${policy}, ${classification}, ${silentChecks} silent)`, () => {
            const decision = decidePromotion(
              registration(phase, policy),
              round(classification, silentChecks),
            );
            expect(decision.action.kind).not.toBe("promote");
            expect(decision.action.kind).not.toBe("propose");
          });
        }
      }
    }
  }

  it.each([
    // phase, policy, classification, silent checks → action, next phase (undefined: unchanged)
    ["WATCHING", "auto", "none", 2, "none", undefined],
    ["WATCHING", "auto", "none", 3, "promote", undefined],
    ["WATCHING", "approval", "none", 2, "none", undefined],
    ["WATCHING", "approval", "none", 3, "propose", "PROPOSED"],
    ["PROPOSED", "approval", "none", 9, "none", undefined],
    ["APPROVED", "approval", "none", 9, "promote", undefined],
    ["APPROVED", "approval", "none", 1, "none", undefined],
    ["REJECTED", "approval", "none", 9, "none", undefined],
    ["PROMOTED", "auto", "none", 9, "none", undefined],
    ["WATCHING", "auto", "active", 0, "none", undefined],
    ["PROPOSED", "approval", "active", 0, "withdraw", "WATCHING"],
    ["APPROVED", "approval", "both", 0, "withdraw", "WATCHING"],
    ["REJECTED", "approval", "active", 0, "withdraw", "WATCHING"],
    ["PROMOTED", "auto", "active", 0, "none", undefined],
  ] as const)(
    "%s, %s, %s after %i silent checks → %s (%s)",
    (phase, policy, classification, silent, action, next) => {
      const decision = decidePromotion(registration(phase, policy), round(classification, silent));
      expect(decision.action.kind).toBe(action);
      expect(decision.next?.phase).toBe(next);
    },
  );

  it("does nothing for a broker that is not registered", () => {
    expect(decidePromotion(undefined, round("none", 100)).action).toEqual({
      kind: "none",
      reason: "not registered for promotion",
    });
  });

  it("records when a proposal was made and clears it on withdrawal", () => {
    const proposed = decidePromotion(registration("WATCHING", "approval"), round("none", 3)).next;
    expect(proposed).toMatchObject({ phase: "PROPOSED", proposedAt: AT });
    const withdrawn = decidePromotion(registration("APPROVED", "approval"), round("active", 0)).next;
    expect(withdrawn).toEqual({
      replicaBrokerId: "b-replica",
      policy: "approval",
      checksBeforePromotion: 3,
      phase: "WATCHING",
    });
  });
});

describe("applyDecision", () => {
  it("approves or rejects only a proposed promotion", () => {
    expect(applyDecision(registration("PROPOSED", "approval"), "approve", AT)).toMatchObject({
      phase: "APPROVED",
      decidedAt: AT,
    });
    expect(applyDecision(registration("PROPOSED", "approval"), "reject", AT)?.phase).toBe("REJECTED");
    for (const phase of ["WATCHING", "APPROVED", "REJECTED", "PROMOTED"] as const) {
      expect(applyDecision(registration(phase, "approval"), "approve", AT)).toBeUndefined();
    }
  });
});
