import { UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { callAws } from "../lib/aws-errors.js";
import { ecs } from "../lib/clients.js";
import { conditionalUpdate } from "../lib/conditional-update.js";
import { requireEnv } from "../lib/config.js";
import { DecisionSupersededError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { rethrowServiceError } from "./ecs-errors.js";
import { scalingStateKey } from "./registration.js";
import { decisionSchema } from "./step-input.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  cluster: z.string(),
  service: z.string(),
  owner: z.string(),
  sequence: z.number().check(z.int(), z.gte(0)),
  decision: decisionSchema,
});

/**
 * Applies a scale-out or scale-in. First a conditional write: only the lease holder, and only on the
 * sequence it read, may move the sequence on and record the scale time (a retry of this step finds its
 * own token and goes on). A second execution that somehow decided at the same time fails the condition
 * and ends with DecisionSupersededError instead of applying too. Then ECS UpdateService.
 */
export const applyDecision = async ({
  registrationId,
  cluster,
  service,
  owner,
  sequence,
  decision,
}: z.infer<typeof inputSchema>) => {
  const token = `${owner}#${sequence}`;
  const lastScaleAt = decision.action === "scale-out" ? "lastScaleOutAt" : "lastScaleInAt";
  await conditionalUpdate(
    {
      TableName: STATE_TABLE_NAME,
      Key: scalingStateKey(registrationId),
      UpdateExpression: `SET #sequence = :next, applyToken = :token, ${lastScaleAt} = :at, lastDesired = :desired`,
      ConditionExpression: "leaseOwner = :owner AND (#sequence = :sequence OR applyToken = :token)",
      ExpressionAttributeNames: { "#sequence": "sequence" },
      ExpressionAttributeValues: {
        ":next": sequence + 1,
        ":sequence": sequence,
        ":token": token,
        ":owner": owner,
        ":at": decision.at,
        ":desired": decision.desired,
      },
    },
    (cause) => {
      throw new DecisionSupersededError(registrationId, { cause });
    },
  );
  await callAws("UpdateService", () =>
    ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount: decision.desired })),
  ).catch((error: unknown) => rethrowServiceError(cluster, service, error));
  return { applied: true, desired: decision.desired, previousDesired: decision.previousDesired };
};

export const handler = workflowStep(inputSchema, applyDecision);
