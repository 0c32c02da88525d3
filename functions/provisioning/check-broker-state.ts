import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { BrokerCreationFailedError, ProvisioningDeadlineExceededError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const inputSchema = z.object({ ...stepBase, brokerId: z.string(), deadline: z.string() });

/**
 * One poll of the wait loop. RUNNING goes on; CREATION_FAILED and a passed deadline are named
 * errors the workflow compensates; any other state, known or not, counts as not ready yet.
 */
export const checkBrokerState = async ({ brokerId, deadline }: z.infer<typeof inputSchema>) => {
  const broker = await callAws("DescribeBroker", () =>
    mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
  );
  const brokerState = broker.BrokerState ?? "UNKNOWN";
  if (brokerState === "RUNNING") return { brokerState };
  if (brokerState === "CREATION_FAILED") throw new BrokerCreationFailedError(brokerId);
  if (Date.now() >= Date.parse(deadline)) {
    throw new ProvisioningDeadlineExceededError(brokerId, brokerState, deadline);
  }
  return { brokerState };
};

export const handler = workflowStep(inputSchema, checkBrokerState);
