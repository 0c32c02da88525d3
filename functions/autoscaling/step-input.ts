import * as z from "../lib/zod.js";
import { ALARM_KINDS } from "./registration.js";

/** Shapes the autoscaling steps pass each other through the execution's state. */
export const leaseSchema = z.object({
  /** The execution holding the queue's decision lease (its execution ARN). */
  owner: z.string().check(z.minLength(1)),
  /** The STATE item's sequence when the lease was taken: a fencing token for ApplyDecision. */
  sequence: z.number().check(z.int(), z.gte(0)),
  state: z.object({
    serviceRateHint: z.optional(z.number()),
    lastScaleOutAt: z.optional(z.number()),
    lastScaleInAt: z.optional(z.number()),
  }),
});
export type Lease = z.infer<typeof leaseSchema>;

export const fleetSchema = z.object({
  desired: z.number().check(z.int(), z.gte(0)),
  running: z.number().check(z.int(), z.gte(0)),
  pending: z.number().check(z.int(), z.gte(0)),
});
export type Fleet = z.infer<typeof fleetSchema>;

export const alarmStatesSchema = z.partialRecord(z.enum(ALARM_KINDS), z.string());

export const loopStateSchema = z.object({
  iteration: z.number().check(z.int(), z.gte(0)),
  holdStreak: z.number().check(z.int(), z.gte(0)),
});

/** A scaling decision as the workflow carries it: the policy's answer and the fleet it started from. */
export const decisionSchema = z.object({
  desired: z.number().check(z.int(), z.gte(0)),
  action: z.enum(["scale-out", "scale-in", "hold"]),
  reason: z.string(),
  dataQuality: z.string(),
  estimates: z.optional(z.record(z.string(), z.unknown())),
  previousDesired: z.number().check(z.int(), z.gte(0)),
  running: z.number().check(z.int(), z.gte(0)),
  /** Epoch seconds the decision was made for (the metrics' read time). */
  at: z.number(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** Where a caught error sits in the execution's state (`$.error`), as Step Functions puts it. */
export const caughtErrorSchema = z.object({ Error: z.string(), Cause: z.optional(z.string()) });
