import { randomUUID } from "node:crypto";

/**
 * EventBridge Scheduler's context attributes, replaced in a target's Input when the schedule fires:
 * `<aws.scheduler.schedule-arn>`, `<aws.scheduler.scheduled-time>` (the fire time, e.g.
 * `2026-11-30T13:00:00Z`), `<aws.scheduler.execution-id>` and `<aws.scheduler.attempt-number>`. Pure
 * but for the execution id.
 */
export function withContextAttributes(
  input: string,
  context: { scheduleArn: string; scheduledTime: number; attempt?: number; executionId?: string },
): string {
  const values: Record<string, string> = {
    "schedule-arn": context.scheduleArn,
    "scheduled-time": `${new Date(context.scheduledTime).toISOString().slice(0, 19)}Z`,
    "execution-id": context.executionId ?? randomUUID(),
    "attempt-number": String(context.attempt ?? 1),
  };
  return input.replace(/<aws\.scheduler\.([a-z-]+)>/g, (whole, name: string) => values[name] ?? whole);
}
