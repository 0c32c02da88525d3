import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { conditionalUpdate } from "../lib/conditional-update.js";
import { requireEnv } from "../lib/config.js";
import { DecisionSupersededError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { metrics } from "../lib/powertools.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { putDecision } from "./put-decision.js";
import { scalingStateKey } from "./registration.js";
import { decisionSchema } from "./step-input.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  brokerName: z.string(),
  queue: z.string(),
  trigger: z.string(),
  owner: z.string(),
  decision: decisionSchema,
  loop: z.looseObject({ iteration: z.number(), next: z.string(), why: z.string() }),
});

/** The service rate learned from history, kept for the next decision's `serviceRateHint`. */
function learnedRate(estimates: Record<string, unknown> | undefined): number | undefined {
  const rate = estimates?.servicePerConsumerMinute;
  return estimates?.serviceRateSource === "history" && typeof rate === "number" && rate > 0
    ? rate
    : undefined;
}

/**
 * Records the decision with its reason and data quality, keeps the learned service rate for the next
 * one (only while this execution holds the lease), and publishes EMF metrics: the desired count and
 * one count per action, by broker and queue.
 */
export const recordDecision = async (input: z.infer<typeof inputSchema>) => {
  const { registrationId, owner, decision } = input;
  await putDecision(STATE_TABLE_NAME, {
    registrationId,
    owner,
    at: decision.at,
    trigger: input.trigger,
    outcome: "decided",
    round: input.loop.iteration,
    detail: {
      action: decision.action,
      desired: decision.desired,
      previousDesired: decision.previousDesired,
      running: decision.running,
      applied: decision.action !== "hold",
      reason: decision.reason,
      dataQuality: decision.dataQuality,
      estimates: decision.estimates,
      iteration: input.loop.iteration,
      loop: { next: input.loop.next, why: input.loop.why },
    },
  });
  const rate = learnedRate(decision.estimates);
  await conditionalUpdate(
    {
      TableName: STATE_TABLE_NAME,
      Key: scalingStateKey(registrationId),
      UpdateExpression: `SET lastDecisionAt = :at, lastAction = :action${rate === undefined ? "" : ", serviceRateHint = :rate"}`,
      ConditionExpression: "leaseOwner = :owner",
      ExpressionAttributeValues: {
        ":at": decision.at,
        ":action": decision.action,
        ":owner": owner,
        ...(rate === undefined ? {} : { ":rate": rate }),
      },
    },
    (cause) => {
      throw new DecisionSupersededError(registrationId, { cause });
    },
  );
  const single = metrics.singleMetric();
  single.addDimensions({ broker: input.brokerName, queue: input.queue });
  single.addMetric("DesiredConsumers", MetricUnit.Count, decision.desired);
  const action = metrics.singleMetric();
  action.addDimensions({ broker: input.brokerName, queue: input.queue, action: decision.action });
  action.addMetric("ScalingDecision", MetricUnit.Count, 1);
  return { recorded: true };
};

export const handler = workflowStep(inputSchema, recordDecision);
