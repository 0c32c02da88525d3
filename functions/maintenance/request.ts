import * as z from "../lib/zod.js";

/** What starts a maintenance run: the hourly schedule, `POST /maintenance`, or StartExecution directly. */
export const maintenanceRequestSchema = z.strictObject({
  brokerIds: z.optional(
    z
      .array(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,150}$/, "must be a broker id (b-…) or name")))
      .check(z.minLength(1), z.maxLength(100)),
  ),
  targetEngineVersion: z.optional(
    z.string().check(z.regex(/^\d+\.\d+(\.\d+)?$/, "must be an engine version such as 5.19")),
  ),
  policy: z._default(z.enum(["patch", "minor"], "must be patch or minor"), "minor"),
  dryRun: z._default(z.boolean(), false),
  /** `window`: only brokers whose weekly maintenance window opens within the hour (the schedule). */
  selection: z._default(z.enum(["all", "window"], "must be all or window"), "all"),
  /**
   * When the schedule fired (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`): the hour
   * whose windows are selected. Anything that is not a time falls back to the execution's start.
   */
  scheduledTime: z.optional(z.string().check(z.maxLength(64))),
  /** Who asked (`schedule`, `api`, …): recorded with the run. */
  source: z.optional(z.string().check(z.maxLength(64))),
  correlationId: z.optional(z.string().check(z.maxLength(200))),
  /** Overrides of the settings the workflow reads from its environment (tests, local runs). */
  settings: z.optional(
    z.strictObject({
      pollIntervalSeconds: z.optional(z.number().check(z.int(), z.gte(1), z.lte(3600))),
      deadlineSeconds: z.optional(z.number().check(z.int(), z.gte(1), z.lte(4 * 3600))),
    }),
  ),
});
export type MaintenanceRequest = z.infer<typeof maintenanceRequestSchema>;

export interface MaintenanceSettings {
  /** Seconds between two DescribeBroker polls while a broker reboots. */
  pollIntervalSeconds: number;
  /** How long a broker may take to settle after its reboot (Amazon MQ: maintenance takes up to 2 hours). */
  deadlineSeconds: number;
}

/** The broker a Map iteration works on. */
export const brokerRefSchema = z.object({
  brokerId: z.string(),
  brokerName: z.string(),
  brokerArn: z.optional(z.string()),
});
export type BrokerRef = z.infer<typeof brokerRefSchema>;

/** Queue every postcheck sends to and receives from; left out of the "queues still there" comparison. */
export const POSTCHECK_QUEUE = "mqops.maintenance.postcheck";

/** Tag that keeps a managed broker out of maintenance. */
export const TAG_MAINTENANCE = "mqops:maintenance";

/** A positive whole number from the environment, or the default when unset. */
export function settingFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`Environment variable ${name} must be a positive integer`);
  return value;
}
