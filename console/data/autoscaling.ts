import type { ConsoleSources } from "../sources.js";

/** What the console shows of GET /brokers/{id}/queues/{queue}/autoscaling (functions/api/autoscaling-view.ts). */
export interface QueueAutoscaling {
  queue: string;
  settings: Record<string, unknown>;
  fleet: { status?: string; desired?: number; running?: number; pending?: number };
  alarms: { kind: string; alarmName: string; state: string; stateReason?: string }[];
  decisions: { at: string; action: string; desired: string; reason: string }[];
}

const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));

function when(value: unknown): string {
  if (typeof value === "number") return new Date(value * (value < 1e12 ? 1000 : 1)).toISOString();
  return text(value);
}

/** One decision record as a line: when, what, to how many, why. Tolerant of fields it does not know. Pure. */
export function decisionLine(record: Record<string, unknown>): QueueAutoscaling["decisions"][number] {
  const detail = (record.detail ?? {}) as Record<string, unknown>;
  return {
    at: when(record.at ?? record.decidedAt),
    action: text(detail.action ?? record.action ?? record.outcome),
    desired: text(detail.desired ?? record.desired),
    reason: text(detail.reason ?? record.reason ?? detail.error ?? record.error),
  };
}

/**
 * The autoscaling registration of each queue that has one (a 404 means none), newest decisions first. A
 * stage without the autoscaling routes answers 404 to every queue, so the section stays empty.
 */
export async function queuesAutoscaling(
  sources: ConsoleSources,
  brokerId: string,
  queues: string[],
): Promise<QueueAutoscaling[]> {
  const found = await Promise.all(
    queues.map(async (queue) => {
      const { status, body } = await sources.api(
        `/brokers/${encodeURIComponent(brokerId)}/queues/${encodeURIComponent(queue)}/autoscaling`,
      );
      if (status !== 200) return undefined;
      const view = body as {
        settings?: Record<string, unknown>;
        fleet?: QueueAutoscaling["fleet"];
        alarms?: QueueAutoscaling["alarms"];
        decisions?: Record<string, unknown>[];
      };
      return {
        queue,
        settings: view.settings ?? {},
        fleet: view.fleet ?? {},
        alarms: view.alarms ?? [],
        decisions: (view.decisions ?? []).map(decisionLine).slice(0, 10),
      };
    }),
  );
  return found.filter((entry): entry is QueueAutoscaling => entry !== undefined);
}
