import type { RunResult, ScalingEvent } from "./simulator.js";

/** Two actions in opposite directions this close together make a flap. */
export const FLAP_WINDOW_SECONDS = 600;

export interface RunSummary {
  p50: number;
  p95: number;
  max: number;
  peakBacklog: number;
  consumerMinutes: number;
  actions: number;
  flaps: number;
  /** Each action that reverses the previous one within the flap window, with that previous one. */
  flapPairs: [ScalingEvent, ScalingEvent][];
  /** Share of messages that waited longer than the target. */
  lateShare: number;
  /** Arrival minutes holding the most late messages, as "a-b" ranges. */
  lateMinutes: string;
}

export function summarise(result: RunResult, targetWaitSeconds: number): RunSummary {
  const { waits } = result;
  const flapPairs = flaps(result.events);
  const lateMinutes: number[] = [];
  result.lateByMinute.forEach((late, minute) => {
    // Fractions of a message are the fluid run's rounding, not a late message.
    if (late >= 0.5) lateMinutes.push(minute);
  });
  return {
    p50: waits.quantile(0.5),
    p95: waits.quantile(0.95),
    max: waits.max,
    peakBacklog: result.peakBacklog,
    consumerMinutes: result.consumerMinutes,
    actions: result.events.length,
    flaps: flapPairs.length,
    flapPairs,
    lateShare: waits.total > 0 ? waits.above(targetWaitSeconds) / waits.total : 0,
    lateMinutes: ranges(lateMinutes),
  };
}

function flaps(events: readonly ScalingEvent[]): [ScalingEvent, ScalingEvent][] {
  const pairs: [ScalingEvent, ScalingEvent][] = [];
  for (let i = 1; i < events.length; i++) {
    const previous = events[i - 1];
    const event = events[i];
    if (!previous || !event) continue;
    const reversed = Math.sign(event.to - event.from) !== Math.sign(previous.to - previous.from);
    if (reversed && event.at - previous.at <= FLAP_WINDOW_SECONDS) pairs.push([previous, event]);
  }
  return pairs;
}

function ranges(minutes: readonly number[]): string {
  const parts: string[] = [];
  let start: number | undefined;
  let last: number | undefined;
  for (const m of minutes) {
    if (start !== undefined && last !== undefined && m === last + 1) {
      last = m;
      continue;
    }
    if (start !== undefined && last !== undefined)
      parts.push(start === last ? `${start}` : `${start}-${last}`);
    start = m;
    last = m;
  }
  if (start !== undefined && last !== undefined) parts.push(start === last ? `${start}` : `${start}-${last}`);
  return parts.length > 6 ? `${parts.slice(0, 6).join(", ")} and ${parts.length - 6} more` : parts.join(", ");
}

export function describeEvent(event: ScalingEvent): string {
  return `${event.from}→${event.to} at minute ${event.at / 60}`;
}

export function seconds(value: number): string {
  if (value >= 3600) return `${(value / 3600).toFixed(1)}h`;
  if (value >= 100) return `${Math.round(value)}s`;
  return `${value.toFixed(1)}s`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
