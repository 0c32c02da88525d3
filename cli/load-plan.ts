/* The pure parts of `mqops load` and `mqops consume`: rates, durations and load shapes. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * `10m`, `30s`, `1h30m`, `500ms`, or a bare number of seconds → milliseconds. Throws a readable
 * Error on anything else (zero and negative durations included).
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  let total = 0;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    total = Number(trimmed) * 1000;
  } else {
    const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|min|s|m|h)/g)];
    if (parts.length === 0 || parts.map((part) => part[0]).join("") !== trimmed) {
      throw new Error(`"${text}" is not a duration (e.g. 30s, 10m, 1h30m)`);
    }
    for (const [, amount = "0", unit = "s"] of parts) total += Number(amount) * (UNIT_MS[unit] ?? 0);
  }
  if (!(total > 0)) throw new Error(`"${text}" is not a duration above zero`);
  return Math.round(total);
}

/** `50/s`, `3000/m` (or `/min`), `100000/h`, or a bare number per second → messages per second. */
export function parseRate(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h))?\s*$/.exec(text);
  if (match === null) throw new Error(`"${text}" is not a rate (e.g. 50/s, 3000/m)`);
  const perUnit = Number(match[1]);
  const seconds = { s: 1, sec: 1, m: 60, min: 60, h: 3600 }[match[2] ?? "s"] ?? 1;
  const rate = perUnit / seconds;
  if (!(rate > 0)) throw new Error(`"${text}" is not a rate above zero`);
  return rate;
}

/** `10m` and the like, for progress lines: `1h02m03s`, `4m05s`, `12s`, `0.5s`. */
export function formatDuration(ms: number): string {
  if (ms < 10_000 && ms % 1000 !== 0) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

/**
 * How the sending rate varies over the run:
 * - steady: the rate throughout;
 * - ramp: from 0 up to the rate, linearly over the whole run;
 * - square: the rate for one period, nothing for the next, and again;
 * - trace: the bench's per-minute arrivals (bench/autoscaling traces; `--rate` is not used), the trace
 *   repeating if the run is longer than it.
 */
export type LoadShape =
  | { kind: "steady"; ratePerSecond: number }
  | { kind: "ramp"; ratePerSecond: number }
  | { kind: "square"; ratePerSecond: number; periodMs: number }
  | { kind: "trace"; arrivalsPerMinute: number[]; serviceSeconds: number[] };

/** How many messages should have been sent `elapsedMs` into a run of `durationMs`: the rate's integral. */
export function plannedCount(shape: LoadShape, elapsedMs: number, durationMs: number): number {
  const t = Math.min(Math.max(elapsedMs, 0), durationMs);
  switch (shape.kind) {
    case "steady":
      return Math.floor((shape.ratePerSecond * t) / 1000 + 1e-9);
    case "ramp":
      return Math.floor((shape.ratePerSecond * t * t) / (2 * durationMs * 1000) + 1e-9);
    case "square": {
      const cycle = 2 * shape.periodMs;
      const onMs = Math.floor(t / cycle) * shape.periodMs + Math.min(t % cycle, shape.periodMs);
      return Math.floor((shape.ratePerSecond * onMs) / 1000 + 1e-9);
    }
    case "trace": {
      const minutes = shape.arrivalsPerMinute;
      if (minutes.length === 0) return 0;
      const fullMinutes = Math.floor(t / 60_000);
      const perCycle = minutes.reduce((sum, count) => sum + count, 0);
      let total = Math.floor(fullMinutes / minutes.length) * perCycle;
      for (let m = 0; m < fullMinutes % minutes.length; m++) total += minutes[m] ?? 0;
      const current = minutes[fullMinutes % minutes.length] ?? 0;
      return Math.floor(total + (current * (t % 60_000)) / 60_000 + 1e-9);
    }
  }
}

/** The mean service time the trace gives the minute `elapsedMs` falls in, if the shape is a trace. */
export function serviceSecondsAt(shape: LoadShape, elapsedMs: number): number | undefined {
  if (shape.kind !== "trace" || shape.serviceSeconds.length === 0) return undefined;
  return shape.serviceSeconds[Math.floor(elapsedMs / 60_000) % shape.serviceSeconds.length];
}

/** Progress every second for runs up to two minutes, every ten seconds for longer ones. */
export const progressIntervalMs = (durationMs: number) => (durationMs <= 120_000 ? 1000 : 10_000);
