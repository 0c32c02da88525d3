import { Rng, seedFor } from "./rng.js";
import type { Trace } from "./traces.js";

/**
 * A seeded family of traces covering what production queues do, so the policy can be tuned on one set
 * of seeds and judged on another it has never seen. Every parameter is drawn from the seed: rates from
 * 1 to 1,000,000 messages a minute, service times from 0.1 to 5 s (shifting 0.3×–3× in one family),
 * consumer start-up from 10 to 120 s, and the shape's own parameters.
 */
export const FAMILIES = [
  "diurnal",
  "ramp",
  "square-wave",
  "burst",
  "rare-then-burst",
  "random-walk",
  "service-shift",
] as const;
export type Family = (typeof FAMILIES)[number];

/** Every generated trace is eight hours long. */
export const FAMILY_MINUTES = 480;
/** Test seeds start here; training seeds are below it, so the two sets can never overlap. */
export const TEST_SEED_BASE = 1_000_000;

/** Seeds 1..n: what the policy and the KEDA-style target are tuned on. */
export function trainingSeeds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Seeds TEST_SEED_BASE + 1..n: what the bench reports. */
export function testSeeds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => TEST_SEED_BASE + i + 1);
}

export function isTestSeed(seed: number): boolean {
  return seed > TEST_SEED_BASE;
}

/** The family of a seed: seeds take the families in turn, so every set of seven covers each once. */
export function familyOf(seed: number): Family {
  return FAMILIES[seed % FAMILIES.length] as Family;
}

const MAX_RATE = 1_000_000;

function logUniform(rng: Rng, low: number, high: number): number {
  return Math.exp(Math.log(low) + rng.next() * (Math.log(high) - Math.log(low)));
}

function uniform(rng: Rng, low: number, high: number): number {
  return low + rng.next() * (high - low);
}

function int(rng: Rng, low: number, high: number): number {
  return Math.floor(uniform(rng, low, high + 1));
}

/** One trace of the family, entirely determined by its seed. */
export function familyTrace(seed: number): Trace {
  const family = familyOf(seed);
  const rng = new Rng(seedFor(seed, `family:${family}`));
  const minutes = FAMILY_MINUTES;
  const startupSeconds = Math.round(uniform(rng, 10, 120));
  const baseService = logUniform(rng, 0.1, 5);
  const peak = logUniform(rng, 1, MAX_RATE);
  // Minute-to-minute noise on top of Poisson arrivals: none to ±25%.
  const noiseSigma = rng.next() < 0.3 ? 0 : uniform(rng, 0.02, 0.25);
  const rate = new Array<number>(minutes).fill(0);
  const service = new Array<number>(minutes).fill(baseService);
  let description: string;

  switch (family) {
    case "diurnal": {
      const period = uniform(rng, 360, 1_440);
      const phase = rng.next();
      const floor = uniform(rng, 0.02, 0.5);
      for (let m = 0; m < minutes; m++) {
        rate[m] = peak * (floor + (1 - floor) * Math.sin(Math.PI * (m / period + phase)) ** 2);
      }
      description = `daily cycle over ${Math.round(period)} min, ${fmt(peak * floor)}–${fmt(peak)}/min`;
      break;
    }
    case "ramp": {
      const low = peak * uniform(rng, 0.02, 0.5);
      const start = int(rng, 0, 200);
      const up = int(rng, 10, 180);
      const hold = int(rng, 20, 180);
      const down = int(rng, 10, 240);
      for (let m = 0; m < minutes; m++) {
        const t = m - start;
        const level =
          t < 0
            ? 0
            : t < up
              ? t / up
              : t < up + hold
                ? 1
                : t < up + hold + down
                  ? 1 - (t - up - hold) / down
                  : 0;
        rate[m] = low + (peak - low) * level;
      }
      description = `ramp ${fmt(low)} → ${fmt(peak)}/min over ${up} min from minute ${start}, held ${hold} min, down over ${down} min`;
      break;
    }
    case "square-wave": {
      const period = int(rng, 1, 30);
      const duty = uniform(rng, 0.2, 0.8);
      const low = rng.next() < 0.3 ? 0 : peak * uniform(rng, 0.02, 0.5);
      const offset = rng.next() * period;
      for (let m = 0; m < minutes; m++) {
        const within = (m + offset) % period;
        // A minute straddling an edge gets the share of it spent high.
        const high = Math.max(0, Math.min(1, duty * period - within));
        rate[m] = low + (peak - low) * high;
      }
      description = `square wave, period ${period} min, ${Math.round(100 * duty)}% at ${fmt(peak)}/min, else ${fmt(low)}/min`;
      break;
    }
    case "burst":
    case "rare-then-burst": {
      const background = family === "burst" ? logUniform(rng, 0.5, 2_000) : logUniform(rng, 0.01, 0.5);
      const messages = logUniform(rng, 1_000, 100_000);
      const length = int(rng, 1, 5);
      const at = int(rng, 30, minutes - 60);
      for (let m = 0; m < minutes; m++) rate[m] = background;
      for (let m = at; m < at + length; m++) rate[m] = (rate[m] ?? 0) + messages / length;
      description = `${fmt(background)}/min, then ${fmt(messages)} messages over ${length} min at minute ${at}`;
      break;
    }
    case "random-walk": {
      const base = logUniform(rng, 1, 100_000);
      const step = uniform(rng, 0.02, 0.1);
      const burstEvery = uniform(rng, 20, 120);
      const tail = uniform(rng, 1.1, 2);
      let level = 0;
      let burstLeft = 0;
      let burstFactor = 1;
      for (let m = 0; m < minutes; m++) {
        level = 0.97 * level + step * rng.normal();
        if (burstLeft === 0 && rng.next() < 1 / burstEvery) {
          // Pareto-tailed burst size: most are modest, a few are huge.
          burstFactor = Math.min(100, (1 - rng.next()) ** (-1 / tail));
          burstLeft = int(rng, 1, 10);
        }
        const factor = burstLeft > 0 ? burstFactor : 1;
        if (burstLeft > 0) burstLeft--;
        rate[m] = Math.min(MAX_RATE, base * Math.exp(level) * factor);
      }
      description = `random walk around ${fmt(base)}/min with bursts every ~${Math.round(burstEvery)} min (tail ${tail.toFixed(1)})`;
      break;
    }
    case "service-shift": {
      const level = peak * uniform(rng, 0.3, 1);
      const factor = rng.next() < 0.5 ? uniform(rng, 0.3, 1) : uniform(rng, 1, 3);
      const at = int(rng, 30, 400);
      const over = rng.next() < 0.5 ? 1 : int(rng, 2, 60);
      const back = rng.next() < 0.4 ? at + over + int(rng, 30, 200) : minutes;
      for (let m = 0; m < minutes; m++) {
        rate[m] = level;
        const into = Math.min(1, Math.max(0, (m - at) / over));
        const multiplier = m >= back ? 1 : 1 + (factor - 1) * into;
        service[m] = baseService * multiplier;
      }
      description = `${fmt(level)}/min while service time goes ${baseService.toFixed(2)} s → ${factor.toFixed(2)}× over ${over} min at minute ${at}${back < minutes ? `, back at ${back}` : ""}`;
      break;
    }
  }
  if (noiseSigma > 0) {
    for (let m = 0; m < minutes; m++) rate[m] = (rate[m] ?? 0) * rng.logNormal(1, noiseSigma);
  }
  return {
    name: `${family}#${seed}`,
    description: `${description}; service ${baseService.toFixed(2)} s, start-up ${startupSeconds} s`,
    arrivals: rate.map((r) => Math.min(MAX_RATE, Math.max(0, r))),
    exactCounts: false,
    serviceSeconds: service,
    restarts: [],
    startupSeconds,
    family,
  };
}

function fmt(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${Math.round(value / 1_000)}k`;
  if (value >= 10) return String(Math.round(value));
  return value.toPrecision(2);
}
