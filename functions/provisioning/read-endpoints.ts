import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { buildEndpoints } from "./endpoints.js";

const inputSchema = z.object({ ...stepBase, brokerId: z.string() });

/** Reads the running broker's instances and verifies each has endpoints; returns the client URLs. */
export const readEndpoints = async ({ brokerId }: z.infer<typeof inputSchema>) => {
  const broker = await callAws("DescribeBroker", () =>
    mq.send(new DescribeBrokerCommand({ BrokerId: brokerId })),
  );
  const instances = (broker.BrokerInstances ?? []).map((instance) => ({
    consoleUrl: instance.ConsoleURL,
    ipAddress: instance.IpAddress,
    endpoints: instance.Endpoints ?? [],
  }));
  return buildEndpoints(broker.DeploymentMode ?? "SINGLE_INSTANCE", instances);
};

export const handler = workflowStep(inputSchema, readEndpoints);
