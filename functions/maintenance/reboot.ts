import { RebootBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { RebootBrokerRefusedError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { isRefusal, refusalReason } from "./mq-refusals.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  rebootRequired: z.boolean(),
  deadlineSeconds: z.number().check(z.int(), z.gte(1)),
});

/**
 * RebootBroker, which applies the pending engine version and configuration (Amazon MQ restarts an
 * active/standby pair one instance at a time). Sets the deadline by which the broker must settle.
 */
export const reboot = async ({
  runId,
  broker,
  rebootRequired,
  deadlineSeconds,
}: z.infer<typeof inputSchema>) => {
  const rebootedAt = new Date();
  const deadline = new Date(rebootedAt.getTime() + deadlineSeconds * 1000).toISOString();
  if (rebootRequired) {
    try {
      await callAws("RebootBroker", () => mq.send(new RebootBrokerCommand({ BrokerId: broker.brokerId })));
    } catch (error) {
      if (isRefusal(error))
        throw new RebootBrokerRefusedError(broker.brokerId, refusalReason(error), { cause: error });
      throw error;
    }
  }
  await recordBrokerProgress(
    runId,
    broker.brokerId,
    rebootRequired ? "REBOOTING" : "APPLIED_WITHOUT_REBOOT",
    {
      deadline,
    },
  );
  return { rebooted: rebootRequired, rebootedAt: rebootedAt.toISOString(), deadline };
};

export const handler = workflowStep(inputSchema, reboot);
