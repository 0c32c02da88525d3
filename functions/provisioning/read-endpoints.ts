import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { buildEndpoints, instanceViews } from "../lib/broker-endpoints.js";
import { mq } from "../lib/clients.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const inputSchema = z.object({ ...stepBase, brokerId: z.string() });

/** Reads the running broker's instances and verifies each has endpoints; returns the client URLs. */
export const readEndpoints = async ({ brokerId }: z.infer<typeof inputSchema>) => {
  const broker = await callAws("DescribeBroker", () =>
    mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
  );
  return buildEndpoints(broker.DeploymentMode ?? "SINGLE_INSTANCE", instanceViews(broker));
};

export const handler = workflowStep(inputSchema, readEndpoints);
