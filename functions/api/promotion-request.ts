import { PromotionConflictError, RequestValidationError, ResourceConflictError } from "../lib/errors.js";
import { toFieldIssues } from "../lib/field-issues.js";
import * as z from "../lib/zod.js";

/** PUT /brokers/{id}/promotion: register the broker's CRDR replica for promotion when the primary is lost. */
export const registrationRequestSchema = z.strictObject({
  replicaBrokerId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,150}$/)),
  policy: z.enum(["auto", "approval"]),
  /** Consecutive silent rounds before a promotion or a proposal (a round: FAILOVER_PROBE_INTERVAL_SECONDS). */
  checksBeforePromotion: z._default(z.number().check(z.int(), z.gte(1), z.lte(1000)), 6),
});

/** POST /brokers/{id}/promotion: the decision on a proposed promotion. */
export const decisionRequestSchema = z.strictObject({ decision: z.enum(["approve", "reject"]) });

/** The body parsed by `schema`, or a RequestValidationError (400) naming each bad field. */
export function parseBody<S extends z.ZodMiniType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new RequestValidationError(toFieldIssues(parsed.error));
  return parsed.data;
}

/** A registration changed by someone else meanwhile (a round of the workflow, another call) is a 409. */
export const conflictAsHttp = (brokerId: string) => (error: unknown) => {
  if (error instanceof PromotionConflictError) {
    throw new ResourceConflictError(
      `Broker ${brokerId}'s promotion changed meanwhile; read it and try again`,
      {
        cause: error,
      },
    );
  }
  throw error;
};
