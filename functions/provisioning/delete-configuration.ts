import { DeleteConfigurationCommand, DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { BrokerStillDeletingError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const inputSchema = z.object({ ...stepBase, brokerId: z.string(), configurationId: z.string() });

/**
 * The second half of the clean-up: Amazon MQ refuses to delete a configuration a broker still uses
 * (ConflictException), and a deleted broker uses it until its deletion has finished. Throws
 * BrokerStillDeletingError while the broker exists (the workflow retries with backoff), then
 * deletes the configuration.
 */
export const deleteConfiguration = async ({ brokerId, configurationId }: z.infer<typeof inputSchema>) => {
  try {
    const broker = await callAws("DescribeBroker", () =>
      mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
    );
    throw new BrokerStillDeletingError(brokerId, broker.BrokerState ?? "present");
  } catch (error) {
    if (awsErrorName(error) !== "NotFoundException") throw error;
  }
  try {
    await callAws("DeleteConfiguration", () =>
      mq.send(new DeleteConfigurationCommand({ ConfigurationId: configurationId })),
    );
    return { configuration: "deleted" };
  } catch (error) {
    if (awsErrorName(error) === "NotFoundException") return { configuration: "already gone" };
    throw error;
  }
};

export const handler = workflowStep(inputSchema, deleteConfiguration);
