import { readFileSync } from "node:fs";
import { Rng, seedFor } from "./rng.js";

/** A load shape, one entry per minute. */
export interface Trace {
  name: string;
  description: string;
  /** Arrivals per minute: Poisson means for the built-in traces, exact counts for a user's trace. */
  arrivals: number[];
  exactCounts: boolean;
  /** Mean seconds a consumer spends on a message, per minute. */
  serviceSeconds: number[];
  /** Minutes in which the broker restarts, so its counters start again from zero. */
  restarts: number[];
  /** Seconds from a scale-out to the consumer taking messages, when the trace has its own. */
  startupSeconds?: number;
  /** The generated family the trace comes from, if any. */
  family?: string;
}

export const DEFAULT_SERVICE_SECONDS = 2;

function shape(
  name: string,
  description: string,
  minutes: number,
  rate: (minute: number) => number,
  service: (minute: number) => number = () => DEFAULT_SERVICE_SECONDS,
  restarts: number[] = [],
): Trace {
  const arrivals = Array.from({ length: minutes }, (_, m) => Math.max(0, rate(m)));
  const serviceSeconds = Array.from({ length: minutes }, (_, m) => service(m));
  return { name, description, arrivals, exactCounts: false, serviceSeconds, restarts };
}

/** The built-in suite: load shapes a queue owner would recognise. Shapes are fixed; only the seed varies the noise. */
export function builtInTraces(seed: number): Trace[] {
  const spikeRng = new Rng(seedFor(seed, "spike-times"));
  const spikeStarts = new Set<number>();
  for (let m = 15 + Math.floor(spikeRng.next() * 20); m < 350; m += 20 + Math.floor(spikeRng.next() * 41)) {
    spikeStarts.add(m);
  }
  const noise = new Rng(seedFor(seed, "noisy-steady"));
  const noisy = Array.from({ length: 240 }, () => 600 * noise.logNormal(1, 0.2));
  const wobble = new Rng(seedFor(seed, "slow-drift"));
  const phase = wobble.next() * 2 * Math.PI;

  return [
    shape("step-burst", "300/min, then 1500/min for 90 min, then 300/min", 240, (m) =>
      m >= 60 && m < 150 ? 1500 : 300,
    ),
    shape("daily-ramp", "a day: 60/min at night, rising to 900/min mid-afternoon and back", 1440, (m) => {
      const hour = m / 60;
      const day = hour >= 6 && hour <= 22 ? Math.sin((Math.PI * (hour - 6)) / 16) ** 2 : 0;
      return 60 + 840 * day;
    }),
    shape("short-spikes", "200/min with 2-minute spikes to 2000/min every 20-60 min", 360, (m) =>
      spikeStarts.has(m) || spikeStarts.has(m - 1) ? 2000 : 200,
    ),
    shape("sawtooth", "200/min rising to 1200/min over an hour, then dropping back, six times", 360, (m) => {
      return 200 + (1000 * (m % 60)) / 60;
    }),
    shape(
      "slow-drift",
      "400/min drifting to 700/min while service time drifts from 1.5 s to 2.5 s",
      480,
      (m) => (400 + (300 * m) / 480) * (1 + 0.05 * Math.sin(phase + m / 30)),
      (m) => 1.5 + m / 480,
    ),
    shape("idle-then-burst", "idle, 800/min for 20 min, idle, 400/min for 30 min, idle", 240, (m) => {
      if (m >= 60 && m < 80) return 800;
      if (m >= 160 && m < 190) return 400;
      return 0;
    }),
    shape(
      "noisy-steady",
      "600/min with ±20% minute-to-minute noise; the broker restarts at minute 120",
      240,
      (m) => noisy[m] ?? 600,
      () => DEFAULT_SERVICE_SECONDS,
      [120],
    ),
  ];
}

export class TraceFileError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "TraceFileError";
  }
}

/**
 * Reads a user's trace: one `minute,arrivals[,meanServiceSeconds]` row per minute, an optional header,
 * `#` comments. Minutes need not start at zero; missing minutes have no arrivals.
 */
export function readTraceFile(file: string, defaultServiceSeconds = DEFAULT_SERVICE_SECONDS): Trace {
  const rows = new Map<number, { arrivals: number; service: number | undefined }>();
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const cells = line.split(",").map((cell) => cell.trim());
    if (index === 0 && cells[0] !== undefined && Number.isNaN(Number(cells[0]))) return;
    const [minuteCell, arrivalsCell, serviceCell] = cells;
    const minute = Number(minuteCell);
    const arrivals = Number(arrivalsCell);
    if (!Number.isInteger(minute))
      throw new TraceFileError(file, index + 1, `minute "${minuteCell}" is not an integer`);
    if (!Number.isInteger(arrivals) || arrivals < 0) {
      throw new TraceFileError(file, index + 1, `arrivals "${arrivalsCell}" is not a whole number ≥ 0`);
    }
    let service: number | undefined;
    if (serviceCell !== undefined && serviceCell !== "") {
      service = Number(serviceCell);
      if (!(service > 0))
        throw new TraceFileError(file, index + 1, `service time "${serviceCell}" is not > 0`);
    }
    if (rows.has(minute)) throw new TraceFileError(file, index + 1, `minute ${minute} appears twice`);
    rows.set(minute, { arrivals, service });
  });
  if (rows.size === 0) throw new TraceFileError(file, 1, "no rows");
  const minutes = [...rows.keys()];
  const first = Math.min(...minutes);
  const length = Math.max(...minutes) - first + 1;
  const arrivals: number[] = [];
  const serviceSeconds: number[] = [];
  let service = defaultServiceSeconds;
  for (let m = 0; m < length; m++) {
    const row = rows.get(first + m);
    service = row?.service ?? service;
    arrivals.push(row?.arrivals ?? 0);
    serviceSeconds.push(service);
  }
  const name =
    file
      .split("/")
      .pop()
      ?.replace(/\.csv$/i, "") ?? file;
  return { name, description: `from ${file}`, arrivals, exactCounts: true, serviceSeconds, restarts: [] };
}
