import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { planBroker } from "./plan-broker.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  request: z.catchall(
    z.object({ policy: z.enum(["patch", "minor"]), targetEngineVersion: z.optional(z.string()) }),
    z.unknown(),
  ),
});

/**
 * Plans the broker's maintenance with the pure planner and records the plan. `expect` is what the
 * broker must show once the plan has applied (the wait after the reboot checks it).
 */
export const plan = async ({ runId, broker, request }: z.infer<typeof inputSchema>) => {
  const planned = await planBroker(broker.brokerId, request);
  await recordBrokerProgress(runId, broker.brokerId, "PLANNED", { plan: planned });
  return {
    ...planned,
    expect: {
      ...(planned.targetEngineVersion === undefined ? {} : { engineVersion: planned.targetEngineVersion }),
      ...(planned.configuration === undefined ? {} : { configuration: planned.configuration }),
    },
  };
};

export const handler = workflowStep(inputSchema, plan);
