import { z } from "zod";

/**
 * A queue's consumer-scaling settings. Every field has a default, so `{}` is a valid input;
 * types come from the schema (`ScalingSettings` is the parsed shape).
 */
export const scalingSettingsSchema = z
  .strictObject({
    minConsumers: z.number().int().min(0).default(1),
    maxConsumers: z.number().int().min(1).max(10_000).default(100),
    /** The longest a message should wait in the queue before a consumer takes it. */
    targetWaitSeconds: z.number().min(30).max(86_400).default(300),
    /** Time from a scale-out request to a consumer taking messages (container start, connect). */
    consumerStartupSeconds: z.number().min(0).max(3_600).default(60),
    /** No scale-out sooner than this after the previous scale-out. */
    scaleOutCooldownSeconds: z.number().min(0).max(86_400).default(60),
    /** No scale-in sooner than this after a scale-out: just over the ten minutes within which a reversal is a flap. */
    scaleInCooldownSeconds: z.number().min(0).max(86_400).default(660),
    /** Scale in only when the need has stayed lower for this long. */
    scaleInStabilisationSeconds: z.number().min(60).max(86_400).default(300),
    /** The largest change, in consumers, of one decision. */
    maxStep: z.number().int().min(1).default(50),
    /** Share of the fleet's estimated capacity the steady arrival rate may use. */
    targetUtilisation: z.number().gt(0).max(1).default(0.9),
    /** Service rate assumed when there is no usable history (messages per consumer per minute). Err low. */
    fallbackMessagesPerConsumerMinute: z.number().gt(0).default(30),
    scaleToZero: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Scale to zero once the queue has been empty with no arrivals for this long. */
        quietPeriodSeconds: z.number().min(60).max(86_400).default(900),
        /** Scale from zero as soon as the queue holds at least this many messages. */
        activationQueueSize: z.number().int().min(1).default(1),
      })
      .prefault({}),
  })
  .refine((s) => s.minConsumers <= s.maxConsumers, {
    message: "minConsumers must not exceed maxConsumers",
    path: ["minConsumers"],
  });

export type ScalingSettings = z.infer<typeof scalingSettingsSchema>;
export type ScalingSettingsInput = z.input<typeof scalingSettingsSchema>;

/** Settings with every default filled in; throws a ZodError on invalid input. */
export function scalingSettings(input: ScalingSettingsInput = {}): ScalingSettings {
  return scalingSettingsSchema.parse(input);
}
