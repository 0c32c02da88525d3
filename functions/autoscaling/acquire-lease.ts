import { conditionalUpdate } from "../lib/conditional-update.js";
import { requireEnv } from "../lib/config.js";
import { DecisionInProgressError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { scalingStateKey, scalingStateSchema } from "./registration.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/** Beyond one period, the time a round of the loop may take (Task timeouts and retries). */
export const LEASE_MARGIN_SECONDS = 300;

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  owner: z.string().check(z.minLength(1)),
  periodSeconds: z.number().check(z.int(), z.gte(1)),
});

/**
 * Takes or renews the queue's decision lease: a conditional write on the STATE item that succeeds for
 * this execution when no one holds the lease, it holds it already, or the holder's lease ran out (an
 * execution that died). Alarms of one queue that fire together start executions that race here; one
 * wins and loops, the others end with DecisionInProgressError. Returns the state decisions carry.
 */
export const acquireLease = async ({ registrationId, owner, periodSeconds }: z.infer<typeof inputSchema>) => {
  const now = Math.floor(Date.now() / 1000);
  const updated = await conditionalUpdate(
    {
      TableName: STATE_TABLE_NAME,
      Key: scalingStateKey(registrationId),
      UpdateExpression:
        "SET leaseOwner = :owner, leaseUntil = :until, #sequence = if_not_exists(#sequence, :zero), registrationId = :id",
      ConditionExpression: "attribute_not_exists(leaseOwner) OR leaseOwner = :owner OR leaseUntil < :now",
      ExpressionAttributeNames: { "#sequence": "sequence" },
      ExpressionAttributeValues: {
        ":owner": owner,
        ":until": now + periodSeconds + LEASE_MARGIN_SECONDS,
        ":now": now,
        ":zero": 0,
        ":id": registrationId,
      },
      ReturnValues: "ALL_NEW",
    },
    (cause) => {
      throw new DecisionInProgressError(registrationId, "another execution", { cause });
    },
  );
  const state = z.parse(scalingStateSchema, updated.Attributes ?? {});
  const { sequence, ...carried } = state;
  return { owner, sequence, state: carried };
};

export const handler = workflowStep(inputSchema, acquireLease);
