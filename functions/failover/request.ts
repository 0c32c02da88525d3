import * as z from "../lib/zod.js";

/**
 * A run's input: from the schedule (`{ source: "schedule" }`), from POST /brokers/{id}/failover-checks
 * (`{ source: "api", brokerIds: [id], rounds: 1 }`) or from StartExecution.
 */
export const failoverRequestSchema = z.strictObject({
  source: z.optional(z.enum(["schedule", "api", "manual"])),
  brokerIds: z.optional(
    z.array(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,150}$/))).check(z.minLength(1), z.maxLength(100)),
  ),
  rounds: z.optional(z.number().check(z.int(), z.gte(1), z.lte(60))),
  correlationId: z.optional(z.string()),
  /** Scheduler's `<aws.scheduler.scheduled-time>`: accepted, not needed. */
  scheduledTime: z.optional(z.string()),
});
export type FailoverRequest = z.infer<typeof failoverRequestSchema>;

/** One instance of a broker as a run probes it: its position (1 or 2) and its endpoints. */
export const instanceSchema = z.object({
  instance: z.number().check(z.int(), z.gte(1)),
  endpoints: z.array(z.string()),
});

/** A broker as the Map hands it to each iteration. */
export const watchedBrokerSchema = z.object({
  brokerId: z.string().check(z.minLength(1)),
  brokerName: z.string().check(z.minLength(1)),
  instances: z.array(instanceSchema),
});
export type WatchedBroker = z.infer<typeof watchedBrokerSchema>;
