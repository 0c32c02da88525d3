import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { callAws } from "../lib/aws-errors.js";
import { ecs } from "../lib/clients.js";
import { ServiceNotFoundError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { rethrowServiceError } from "./ecs-errors.js";

const inputSchema = z.object({ ...stepBase, cluster: z.string(), service: z.string() });

/** The consumer service's desired, running and pending counts; a service gone or not ACTIVE ends the workflow. */
export const readFleet = async ({ cluster, service }: z.infer<typeof inputSchema>) => {
  const described = await callAws("DescribeServices", () =>
    ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
  ).catch((error: unknown) => rethrowServiceError(cluster, service, error));
  const found = described.services?.[0];
  if (found === undefined || found.status !== "ACTIVE") throw new ServiceNotFoundError(cluster, service);
  return {
    desired: found.desiredCount ?? 0,
    running: found.runningCount ?? 0,
    pending: found.pendingCount ?? 0,
  };
};

export const handler = workflowStep(inputSchema, readFleet);
