/**
 * What starts each workflow: the single source read by infra/ (API routes, EventBridge Scheduler,
 * alarm rules) and by local/ (the local gateway, schedules and alarms).
 */
export type Trigger =
  | { workflow: string; kind: "http"; route: string }
  | { workflow: string; kind: "schedule"; name: string; expression: string; input: Record<string, unknown> }
  | { workflow: string; kind: "alarm"; name: string; description: string };

export const TRIGGERS: Trigger[] = [{ workflow: "provisioning", kind: "http", route: "POST /brokers" }];
