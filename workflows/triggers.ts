/**
 * What starts each workflow: the single source read by infra/ (API routes, EventBridge Scheduler,
 * alarm rules) and by local/ (the local gateway, schedules and alarms).
 */
export type Trigger =
  | { workflow: string; kind: "http"; route: string }
  | { workflow: string; kind: "schedule"; name: string; expression: string; input: Record<string, unknown> }
  | { workflow: string; kind: "alarm"; name: string; description: string };

/** The alarm trigger of consumer autoscaling: every queue's alarms are named `mqops-<stage>-autoscaling-…`. */
export const AUTOSCALING_TRIGGER = {
  workflow: "autoscaling",
  kind: "alarm",
  name: "autoscaling",
  description: "A registered queue's autoscaling alarm (scale-out, scale-in or from-zero) entered ALARM",
} as const satisfies Trigger;

export const TRIGGERS: Trigger[] = [
  { workflow: "provisioning", kind: "http", route: "POST /brokers" },
  AUTOSCALING_TRIGGER,
];
