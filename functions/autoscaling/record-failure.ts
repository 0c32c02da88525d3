import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { releaseLease } from "./lease.js";
import { putDecision } from "./put-decision.js";
import { caughtErrorSchema } from "./step-input.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  trigger: z.string(),
  owner: z.string(),
  error: caughtErrorSchema,
  /** The execution's state when the error was caught: whether ApplyDecision had already changed the fleet. */
  round: z.optional(
    z.catchall(
      z.object({
        decided: z.optional(
          z.catchall(
            z.object({
              decision: z.looseObject({ action: z.string(), desired: z.number(), at: z.number() }),
              loop: z.looseObject({ iteration: z.number() }),
            }),
            z.unknown(),
          ),
        ),
        applied: z.optional(z.looseObject({ applied: z.boolean(), desired: z.number() })),
      }),
      z.unknown(),
    ),
  ),
});

/**
 * Records a failed round among the queue's decisions (GET shows it with the error) and releases the
 * lease at once, so the next alarm need not wait for it to run out. If the fleet was already changed
 * (ApplyDecision ran, RecordDecision did not), the applied decision is recorded too: no change to the
 * service's desired count goes without a record.
 */
export const recordFailure = async ({
  registrationId,
  trigger,
  owner,
  error,
  round,
}: z.infer<typeof inputSchema>) => {
  const decided = round?.decided;
  if (round?.applied?.applied === true && decided !== undefined) {
    await putDecision(STATE_TABLE_NAME, {
      registrationId,
      owner,
      at: decided.decision.at,
      trigger,
      outcome: "decided",
      round: decided.loop.iteration,
      detail: {
        ...decided.decision,
        applied: true,
        // RecordDecision did not record it: say so beside the decision itself.
        recordedAfter: error.Error,
      },
    });
  }
  await putDecision(STATE_TABLE_NAME, {
    registrationId,
    owner,
    at: Math.floor(Date.now() / 1000),
    trigger,
    outcome: "failed",
    detail: { error: error.Error, cause: error.Cause?.slice(0, 2000) },
  });
  const released = await releaseLease(STATE_TABLE_NAME, registrationId, owner);
  return { recorded: true, released };
};

export const handler = workflowStep(inputSchema, recordFailure);
