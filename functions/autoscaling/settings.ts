import * as z from "../lib/zod.js";

/**
 * A queue's consumer-scaling settings. Every field has a default, so `{}` is a valid input;
 * types come from the schema (`ScalingSettings` is the parsed shape).
 */
export const scalingSettingsSchema = z
  .strictObject({
    minConsumers: z._default(z.number().check(z.int(), z.gte(0)), 1),
    maxConsumers: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_000)), 100),
    /** The longest a message should wait in the queue before a consumer takes it. */
    targetWaitSeconds: z._default(z.number().check(z.gte(30), z.lte(86_400)), 300),
    /** Time from a scale-out request to a consumer taking messages (container start, connect). */
    consumerStartupSeconds: z._default(z.number().check(z.gte(0), z.lte(3_600)), 60),
    /** No scale-out sooner than this after the previous scale-out. */
    scaleOutCooldownSeconds: z._default(z.number().check(z.gte(0), z.lte(86_400)), 60),
    /** No scale-in sooner than this after a scale-out: just over the ten minutes within which a reversal is a flap. */
    scaleInCooldownSeconds: z._default(z.number().check(z.gte(0), z.lte(86_400)), 660),
    /** Scale in only when the need has stayed lower for this long. */
    scaleInStabilisationSeconds: z._default(z.number().check(z.gte(60), z.lte(86_400)), 300),
    /** The largest change, in consumers, of one decision. */
    maxStep: z._default(z.number().check(z.int(), z.gte(1)), 50),
    /** Share of the fleet's estimated capacity the steady arrival rate may use. */
    targetUtilisation: z._default(z.number().check(z.gt(0), z.lte(1)), 0.9),
    /** Service rate assumed when there is no usable history (messages per consumer per minute). Err low. */
    fallbackMessagesPerConsumerMinute: z._default(z.number().check(z.gt(0)), 30),
    /**
     * Share of the last hour's arrivals that may wait past the target so that a scale-out can wait out the
     * ten minutes after a scale-in (a reversal within them is a flap) instead of reversing it; those already
     * late in the hour count against it. 0 keeps the strict rule: a scale-out waits only if every message
     * stays within the target. The promise is the p95 wait (5% may be late); 1% leaves the rest for what
     * no policy sees coming (bursts, service-time shifts). docs/autoscaling.md says how it was chosen.
     */
    flapGuardLateShare: z._default(z.number().check(z.gte(0), z.lte(0.05)), 0.01),
    scaleToZero: z.prefault(
      z.strictObject({
        enabled: z._default(z.boolean(), false),
        /** Scale to zero once the queue has been empty with no arrivals for this long. */
        quietPeriodSeconds: z._default(z.number().check(z.gte(60), z.lte(86_400)), 900),
        /** Scale from zero as soon as the queue holds at least this many messages. */
        activationQueueSize: z._default(z.number().check(z.int(), z.gte(1)), 1),
      }),
      {},
    ),
  })
  .check(
    z.refine((s) => s.minConsumers <= s.maxConsumers, {
      message: "minConsumers must not exceed maxConsumers",
      path: ["minConsumers"],
    }),
  );

export type ScalingSettings = z.infer<typeof scalingSettingsSchema>;
export type ScalingSettingsInput = z.input<typeof scalingSettingsSchema>;

/** Settings with every default filled in; throws a ZodError on invalid input. */
export function scalingSettings(input: ScalingSettingsInput = {}): ScalingSettings {
  return z.parse(scalingSettingsSchema, input);
}
