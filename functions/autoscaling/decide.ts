import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { nextLoopStep } from "./loop.js";
import { decideConsumers } from "./policy.js";
import { ALARM_KINDS } from "./registration.js";
import { scalingSettingsSchema } from "./settings.js";
import { alarmStatesSchema, fleetSchema, leaseSchema, loopStateSchema } from "./step-input.js";

const windowSchema = z.object({
  start: z.number(),
  enqueueCount: z.optional(z.number()),
  dispatchCount: z.optional(z.number()),
  queueSize: z.optional(z.number()),
  consumerCount: z.optional(z.number()),
});

const inputSchema = z.object({
  ...stepBase,
  settings: scalingSettingsSchema,
  periodSeconds: z.number().check(z.int(), z.gte(1)),
  alarms: z.record(z.enum(ALARM_KINDS), z.string()),
  metrics: z.object({ now: z.number(), windows: z.array(windowSchema), alarmStates: alarmStatesSchema }),
  fleet: fleetSchema,
  state: leaseSchema.shape.state,
  loop: loopStateSchema,
});

/**
 * The policy's decision for this round, and whether the loop goes on. Pure: everything it needs was
 * read by the steps before it, so the decision can be replayed from the execution's history.
 */
export const decide = async ({
  settings,
  periodSeconds,
  alarms,
  metrics,
  fleet,
  state,
  loop,
}: z.infer<typeof inputSchema>) => {
  const decision = decideConsumers({
    now: metrics.now,
    windows: metrics.windows,
    fleet: { current: fleet.running, desired: fleet.desired },
    lastScaleOutAt: state.lastScaleOutAt,
    lastScaleInAt: state.lastScaleInAt,
    serviceRateHint: state.serviceRateHint,
    settings,
  });
  const next = nextLoopStep({
    action: decision.action,
    alarmStates: metrics.alarmStates,
    alarmNames: alarms,
    loop,
    settings,
    periodSeconds,
  });
  return {
    decision: { ...decision, previousDesired: fleet.desired, running: fleet.running, at: metrics.now },
    loop: next,
  };
};

export const handler = workflowStep(inputSchema, decide);
