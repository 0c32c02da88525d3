import { UpdateBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { UpdateBrokerRefusedError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { isRefusal, refusalReason } from "./mq-refusals.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";

const updateSchema = z.object({
  autoMinorVersionUpgrade: z.optional(z.literal(true)),
  engineVersion: z.optional(z.string()),
  configuration: z.optional(z.object({ id: z.string(), revision: z.number().check(z.int()) })),
});

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  plan: z.looseObject({ updates: z.array(updateSchema) }),
});

/**
 * Sends the plan's UpdateBroker calls in order, each on its own (the auto-minor flip before the
 * version). A refusal is UpdateBrokerRefusedError; a conflict is re-thrown for the workflow to retry.
 * Sending the same update again is harmless, so a retried step starts from the first call.
 */
export const apply = async ({ runId, broker, plan }: z.infer<typeof inputSchema>) => {
  await recordBrokerProgress(runId, broker.brokerId, "APPLYING");
  for (const update of plan.updates) {
    try {
      await callAws("UpdateBroker", () =>
        mq.send(
          new UpdateBrokerCommand({
            BrokerId: broker.brokerId,
            AutoMinorVersionUpgrade: update.autoMinorVersionUpgrade,
            EngineVersion: update.engineVersion,
            Configuration:
              update.configuration === undefined
                ? undefined
                : { Id: update.configuration.id, Revision: update.configuration.revision },
          }),
        ),
      );
    } catch (error) {
      if (isRefusal(error))
        throw new UpdateBrokerRefusedError(broker.brokerId, refusalReason(error), { cause: error });
      throw error;
    }
  }
  return { updates: plan.updates.length };
};

export const handler = workflowStep(inputSchema, apply);
