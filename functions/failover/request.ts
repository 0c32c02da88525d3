import { z } from "zod";

/**
 * A run's input: from the schedule (`{ source: "schedule" }`), from POST /brokers/{id}/failover-checks
 * (`{ source: "api", brokerIds: [id], rounds: 1 }`) or from StartExecution.
 */
export const failoverRequestSchema = z.strictObject({
  source: z.enum(["schedule", "api", "manual"]).optional(),
  brokerIds: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,150}$/))
    .min(1)
    .max(100)
    .optional(),
  rounds: z.number().int().min(1).max(60).optional(),
  correlationId: z.string().optional(),
  /** Scheduler's `<aws.scheduler.scheduled-time>`: accepted, not needed. */
  scheduledTime: z.string().optional(),
});
export type FailoverRequest = z.infer<typeof failoverRequestSchema>;

/** One instance of a broker as a run probes it: its position (1 or 2) and its endpoints. */
export const instanceSchema = z.object({ instance: z.number().int().min(1), endpoints: z.array(z.string()) });

/** A broker as the Map hands it to each iteration. */
export const watchedBrokerSchema = z.object({
  brokerId: z.string().min(1),
  brokerName: z.string().min(1),
  instances: z.array(instanceSchema),
});
export type WatchedBroker = z.infer<typeof watchedBrokerSchema>;
