import { DECISION_RETENTION_SECONDS, decisionKey } from "./registration.js";

/** A decision or failure as the state table keeps it (GET .../autoscaling lists the last 20). Pure. */
export function decisionItem(input: {
  registrationId: string;
  owner: string;
  at: number;
  trigger: string;
  outcome: "decided" | "failed";
  /** The loop round of a decision; a failure ends the execution, so it needs none. */
  round?: number;
  detail: Record<string, unknown>;
}) {
  const at = new Date(input.at * 1000).toISOString();
  return {
    ...decisionKey(
      input.registrationId,
      at,
      input.owner,
      input.round === undefined ? "failed" : `round-${String(input.round).padStart(3, "0")}`,
    ),
    type: "autoscaling-decision",
    registrationId: input.registrationId,
    at,
    outcome: input.outcome,
    trigger: input.trigger,
    executionArn: input.owner,
    ...input.detail,
    expiresAt: input.at + DECISION_RETENTION_SECONDS,
  };
}
