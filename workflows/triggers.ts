/**
 * What starts each workflow: the single source read by infra/ (API routes, EventBridge Scheduler,
 * alarm rules) and by local/ (the local gateway, schedules and alarms).
 */
export type Trigger =
  | { workflow: string; kind: "http"; route: string }
  | { workflow: string; kind: "schedule"; name: string; expression: string; input: Record<string, unknown> }
  | { workflow: string; kind: "alarm"; name: string; description: string };

/**
 * The EventBridge pattern of an alarm trigger, deployed by infra/ and created locally alike: a state
 * change into ALARM of any alarm named with the trigger's prefix (`mqops-<stage>-<name>`).
 */
export function alarmEventPattern(prefix: string) {
  return {
    source: ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
    detail: { alarmName: [{ prefix }], state: { value: ["ALARM"] } },
  };
}

/** How every schedule trigger runs, on AWS and locally alike: in UTC, on time, retried three times. */
export const SCHEDULE_RUN = { timezone: "UTC", flexibleTimeWindow: "OFF", maximumRetryAttempts: 3 } as const;

/** The alarm trigger of consumer autoscaling: every queue's alarms are named `mqops-<stage>-autoscaling-…`. */
export const AUTOSCALING_TRIGGER = {
  workflow: "autoscaling",
  kind: "alarm",
  name: "autoscaling",
  description: "A registered queue's autoscaling alarm (scale-out, scale-in or from-zero) entered ALARM",
} as const satisfies Trigger;

/**
 * Maintenance runs hourly, on the hour: each run takes the managed brokers whose weekly maintenance
 * window (in its own time zone) opens within that hour, so each broker is maintained once a week.
 */
export const MAINTENANCE_SCHEDULE = {
  workflow: "maintenance",
  kind: "schedule",
  name: "maintenance",
  expression: "cron(0 * * * ? *)",
  // EventBridge Scheduler replaces <aws.scheduler.scheduled-time> with the hour it fired for.
  input: {
    source: "schedule",
    selection: "window",
    policy: "minor",
    scheduledTime: "<aws.scheduler.scheduled-time>",
  },
} as const satisfies Trigger;

/**
 * Failover detection runs every minute (EventBridge Scheduler's shortest period); each run probes the
 * brokers several times within its minute (functions/failover/settings.ts), locally as on AWS.
 */
export const FAILOVER_SCHEDULE = {
  workflow: "failover",
  kind: "schedule",
  name: "failover",
  expression: "rate(1 minute)",
  input: { source: "schedule" },
} as const satisfies Trigger;

export const TRIGGERS: Trigger[] = [
  { workflow: "provisioning", kind: "http", route: "POST /brokers" },
  AUTOSCALING_TRIGGER,
  { workflow: "maintenance", kind: "http", route: "POST /maintenance" },
  MAINTENANCE_SCHEDULE,
  { workflow: "failover", kind: "http", route: "POST /brokers/{id}/failover-checks" },
  FAILOVER_SCHEDULE,
];
