import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  FAMILIES,
  FAMILY_MINUTES,
  familyOf,
  familyTrace,
  isTestSeed,
  testSeeds,
  trainingSeeds,
} from "../../../bench/autoscaling/families.js";
import {
  fewestPresentMinutes,
  flapFreeFloor,
  oracleBound,
  reactiveFloor,
} from "../../../bench/autoscaling/oracle.js";
import { kedaStyle, staticForPeak } from "../../../bench/autoscaling/policies.js";
import { summarise } from "../../../bench/autoscaling/report.js";
import { CONSUMER_CAP, runMqops, settingsFor, sizing, TAIL_MINUTES } from "../../../bench/autoscaling/run.js";
import {
  type Autoscaler,
  buildWorkload,
  EPOCH,
  simulate,
  type Workload,
} from "../../../bench/autoscaling/simulator.js";
import { readTraceFile, type Trace, TraceFileError } from "../../../bench/autoscaling/traces.js";
import { type MetricWindow, windowFault } from "../../../functions/autoscaling/metrics.js";
import { random } from "./windows.js";

function randomTrace(next: () => number, name: string): Trace {
  const minutes = 30 + Math.floor(next() * 60);
  const base = 20 + next() * 300;
  const arrivals = Array.from({ length: minutes }, () => (next() < 0.1 ? base * 6 : base) * next());
  return {
    name,
    description: name,
    arrivals,
    exactCounts: false,
    serviceSeconds: arrivals.map(() => 2),
    restarts: [],
  };
}

const options = (initialConsumers: number) => ({
  startupSeconds: 30,
  tailMinutes: 30,
  initialConsumers,
  maxConsumers: 200,
});

describe("oracleConsumerMinutes", () => {
  it("is never above what a run that kept every wait within the target paid", () => {
    const next = random(5);
    let checked = 0;
    for (let trial = 0; trial < 40; trial++) {
      const workload = buildWorkload(randomTrace(next, `t${trial}`), trial);
      const target = 60 + Math.floor(next() * 300);
      const bound = oracleBound(workload, target).consumerMinutes;
      const policies: [Autoscaler, number][] = [
        [staticForPeak(5 + Math.floor(next() * 60)), 0],
        [kedaStyle(1 + Math.floor(next() * 20), 200), 5],
      ];
      for (const [policy, initial] of policies) {
        const fleet = initial || 5 + Math.floor(next() * 60);
        const result = simulate(workload, policy, options(fleet));
        const summary = summarise(result, target);
        if (summary.max > target) continue;
        checked++;
        expect(result.consumerMinutes).toBeGreaterThanOrEqual(bound);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

/** A workload with exact counts and the given realised mean service times (trace mean: 1 s a message). */
function exactWorkload(counts: number[], service: number[]): Workload {
  const trace: Trace = {
    name: "exact",
    description: "exact",
    arrivals: counts,
    exactCounts: true,
    serviceSeconds: counts.map(() => 1),
    restarts: [],
  };
  return {
    trace,
    counts: Float64Array.from(counts),
    service: Float64Array.from(service),
    missing: new Uint8Array(counts.length + 600),
  };
}

describe("reactiveFloor", () => {
  it("is at least the oracle's bound, near it on steady load and well above it on a burst", () => {
    const steady = exactWorkload(
      Array.from({ length: 120 }, () => 600),
      Array.from({ length: 120 }, () => 1),
    );
    const oracle = oracleBound(steady, 300).consumerMinutes;
    const floor = reactiveFloor(steady, 300, 60);
    expect(floor).toBeGreaterThanOrEqual(oracle);
    expect(floor).toBeLessThanOrEqual(1.1 * oracle);
    // 30,000 messages of a second in one minute: the oracle takes them over five minutes with no start-up;
    // a policy learns of them a minute late, starts consumers a minute later, and holds them 11 minutes.
    const counts = Array.from({ length: 60 }, (_, m) => (m === 10 ? 30_000 : 0));
    const burst = exactWorkload(
      counts,
      counts.map(() => 1),
    );
    expect(reactiveFloor(burst, 300, 60)).toBeGreaterThan(3 * oracleBound(burst, 300).consumerMinutes);
  });
});

/** What fewestPresentMinutes finds, by trying every schedule: its rules, spelled out. */
function fewestByTrying(messages: readonly number[], lag: number, hold: number, latePrice: number): number {
  const n = messages.length;
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 1 << n; mask++) {
    const present = (k: number): boolean => ((mask >> k) & 1) === 1;
    const stretches: number[] = [];
    let length = 1;
    for (let k = 1; k < n; k++) {
      if (present(k) === present(k - 1)) length++;
      else {
        stretches.push(length);
        length = 1;
      }
    }
    stretches.push(length);
    if (stretches.slice(1, -1).some((s) => s < hold)) continue;
    let cost = 0;
    for (let k = 0; k < n; k++) if (present(k)) cost++;
    messages.forEach((count, m) => {
      if (count <= 0) return;
      for (let k = m; k <= Math.min(m + lag, n - 1); k++) if (present(k)) return;
      cost += latePrice * count;
    });
    best = Math.min(best, cost);
  }
  return best;
}

/**
 * A policy that never flaps: one consumer while messages wait, none after the queue has been empty,
 * but no action within 600 s of the previous one in the other direction.
 */
function oneWhileWaiting(): Autoscaler {
  let last: { at: number; up: boolean } | undefined;
  return {
    decide({ now, windows, fleet }) {
      const waiting = (windows.at(-1)?.queueSize ?? 0) > 0;
      const want = waiting ? 1 : 0;
      if (want === fleet.desired) return fleet.desired;
      const up = want > fleet.desired;
      if (last && last.up !== up && now - last.at <= 600) return fleet.desired;
      last = { at: now, up };
      return want;
    },
  };
}

describe("flapFreeFloor", () => {
  it("finds the fewest present minutes that every schedule within the rules needs", () => {
    const next = random(21);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(next() * 15);
      const lag = Math.floor(next() * 4);
      const hold = 1 + Math.floor(next() * 5);
      const share = next() * 0.5;
      const messages = Array.from({ length: n }, () => (next() < share ? 1 + Math.floor(next() * 3) : 0));
      // Every message within the target, or each one left without a consumer priced.
      const price = trial % 2 === 0 ? Number.POSITIVE_INFINITY : next() * 8;
      const what = `${messages.join(",")} lag ${lag} hold ${hold} price ${price}`;
      expect(fewestPresentMinutes(messages, lag, hold, price), what).toBeCloseTo(
        fewestByTrying(messages, lag, hold, price),
        9,
      );
    }
  });

  it("is never above what a run paid that never flapped and kept its waits within the target", () => {
    const next = random(23);
    let strict = 0;
    let p95 = 0;
    for (let trial = 0; trial < 80; trial++) {
      const minutes = 60 + Math.floor(next() * 120);
      const rate = 0.02 + next() * 1.5;
      const counts = Array.from({ length: minutes }, () => (next() < rate / (1 + rate) ? 1 : 0));
      const workload = exactWorkload(
        counts,
        counts.map(() => 1),
      );
      const target = 120 + Math.floor(next() * 300);
      const every = flapFreeFloor(workload, target, minutes + 30);
      const most = flapFreeFloor(workload, target, minutes + 30, 0.05);
      expect(most).toBeLessThanOrEqual(every);
      const policies: Autoscaler[] = [oneWhileWaiting(), kedaStyle(1, 200), staticForPeak(1)];
      for (const policy of policies) {
        const result = simulate(workload, policy, { ...options(0), startupSeconds: next() * 60 });
        const summary = summarise(result, target);
        if (summary.flaps > 0) continue;
        if (summary.max <= target) {
          strict++;
          expect(result.consumerMinutes).toBeGreaterThanOrEqual(every);
        }
        if (summary.p95 <= target) {
          p95++;
          expect(result.consumerMinutes).toBeGreaterThanOrEqual(most);
        }
      }
    }
    expect(strict).toBeGreaterThan(60);
    expect(p95).toBeGreaterThan(strict);
  });

  it("binds on sporadic traffic, where the oracle batches messages a consumer-minute at a time", () => {
    // A message every 15 minutes, each to be taken within 5: the oracle pays a minute for each. A policy
    // that never flaps keeps a consumer at least 11 minutes at a time, which reaches two messages at most,
    // and leaves it off at least 11 minutes between.
    const counts = Array.from({ length: 240 }, (_, m) => (m % 15 === 0 ? 1 : 0));
    const workload = exactWorkload(
      counts,
      counts.map(() => 1),
    );
    expect(oracleBound(workload, 300).consumerMinutes).toBe(16);
    const every = flapFreeFloor(workload, 300, 270);
    expect(every).toBeGreaterThan(4 * 16);
    // With 5% of the messages allowed to wait longer (0.8 of one here), less than one stretch is saved.
    const most = flapFreeFloor(workload, 300, 270, 0.05);
    expect(most).toBeLessThan(every);
    expect(most).toBeGreaterThan(every - 11);
  });
});

describe("simulate", () => {
  it("serves a backlog at the speed of its own messages, not of the serving minute's arrivals", () => {
    // 6,000 messages of 1 s, then a minute whose one arrival drew 3 s: ten consumers take 600 a minute
    // whatever that draw, so after six minutes the same 2,400 are left.
    const left = (draw: number): number => {
      const workload = exactWorkload([6_000, 1, 0, 0, 0, 0], [1, draw, 1, 1, 1, 1]);
      return simulate(workload, staticForPeak(10), { ...options(10), tailMinutes: 0 }).unserved;
    };
    expect(left(1)).toBeCloseTo(2_401, 0);
    expect(left(3)).toBeCloseTo(left(1), 0);
  });

  it("reports a fleet with room to spare as partly idle, however long it runs", () => {
    // 520,000 a minute of 0.25 s for eight hours on 4,000 consumers: about 2,170 busy at a time, none waiting.
    const minutes = 480;
    const workload = exactWorkload(
      Array.from({ length: minutes }, () => 520_000),
      Array.from({ length: minutes }, () => 0.25),
    );
    let windows: MetricWindow[] = [];
    const watch: Autoscaler = {
      decide: (observation) => {
        windows = [...observation.windows];
        expect(windows.at(-1)?.queueSize).toBeLessThan(2_300);
        return 4_000;
      },
    };
    simulate(workload, watch, { ...options(4_000), maxConsumers: 4_000, tailMinutes: 0 });
    expect(windows.length).toBeGreaterThan(0);
  });

  it("gives the same result for the same seed", () => {
    const trace = randomTrace(random(9), "same");
    const run = () => simulate(buildWorkload(trace, 42), kedaStyle(10, 200), options(5));
    const [a, b] = [run(), run()];
    expect(a.consumerMinutes).toBe(b.consumerMinutes);
    expect(Array.from(a.waits.bins)).toEqual(Array.from(b.waits.bins));
  });
});

describe("simulate's metrics", () => {
  it("publish windows the policy accepts, except the minute the broker restarts", () => {
    const trace = { ...randomTrace(random(13), "restart"), restarts: [20] };
    const seen = new Map<number, MetricWindow>();
    const recorder: Autoscaler = {
      decide(observation) {
        for (const window of observation.windows) seen.set(window.start, window);
        return observation.fleet.desired + (observation.windows.length % 7 === 0 ? 3 : 0);
      },
    };
    simulate(buildWorkload(trace, 3), recorder, options(10));
    const faults = [...seen.values()]
      .map((window) => ({
        minute: (window.start - EPOCH) / 60,
        fault: windowFault(window, seen.get(window.start - 60)),
      }))
      .filter((f) => f.fault !== undefined);
    expect(faults).toEqual([{ minute: 20, fault: "counter-reset" }]);
  });
});

describe("readTraceFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "mqops-trace-"));

  it("reads minute,arrivals rows with an optional service time and fills gaps with no arrivals", () => {
    const file = join(dir, "mine.csv");
    writeFileSync(file, "minute,arrivals,service\n10,5,1.5\n11,7\n13,2,3\n");
    const trace = readTraceFile(file, 2);
    expect(trace).toMatchObject({ name: "mine", exactCounts: true, arrivals: [5, 7, 0, 2] });
    expect(trace.serviceSeconds).toEqual([1.5, 1.5, 1.5, 3]);
  });

  it("names the line of a bad row", () => {
    const file = join(dir, "bad.csv");
    writeFileSync(file, "0,5\n1,-3\n");
    expect(() => readTraceFile(file)).toThrow(TraceFileError);
    expect(() => readTraceFile(file)).toThrow(/bad.csv:2/);
  });
});

describe("familyTrace", () => {
  it("gives the same trace for the same seed and different traces for different seeds", () => {
    const a = familyTrace(17);
    expect(familyTrace(17)).toEqual(a);
    expect(familyTrace(18).arrivals).not.toEqual(a.arrivals);
    expect(buildWorkload(a, 17).counts).toEqual(buildWorkload(familyTrace(17), 17).counts);
  });

  it("keeps the training and test seeds apart and covers every family in both", () => {
    const training = trainingSeeds(70);
    const test = testSeeds(210);
    expect(training.some((s) => test.includes(s))).toBe(false);
    expect(test.every(isTestSeed)).toBe(true);
    expect(training.some(isTestSeed)).toBe(false);
    for (const family of FAMILIES) {
      expect(training.filter((s) => familyOf(s) === family).length).toBe(10);
      expect(test.filter((s) => familyOf(s) === family).length).toBe(30);
    }
  });

  it("draws rates within 0..1,000,000 a minute, positive service times and start-up of 10-120 s", () => {
    for (const seed of testSeeds(140)) {
      const trace = familyTrace(seed);
      expect(trace.arrivals).toHaveLength(FAMILY_MINUTES);
      expect(Math.min(...trace.arrivals)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...trace.arrivals)).toBeLessThanOrEqual(1_000_000);
      expect(Math.min(...trace.serviceSeconds)).toBeGreaterThan(0);
      expect(trace.startupSeconds).toBeGreaterThanOrEqual(10);
      expect(trace.startupSeconds).toBeLessThanOrEqual(120);
    }
  });
});

describe("the bench at extreme rates", () => {
  const bench = { targetWaitSeconds: 300, startupSeconds: 45 };
  const flat = (rate: number, service: number): Trace => ({
    name: `flat-${rate}`,
    description: "flat",
    arrivals: Array.from({ length: 480 }, () => rate),
    exactCounts: false,
    serviceSeconds: Array.from({ length: 480 }, () => service),
    restarts: [],
  });

  it("runs 700,000 messages a minute for eight hours without a settings error", () => {
    const workload = buildWorkload(flat(700_000, 0.5), 1);
    const size = sizing(workload, bench);
    expect(size.maxConsumers).toBeLessThanOrEqual(CONSUMER_CAP);
    expect(() => settingsFor(size, bench)).not.toThrow();
    const run = runMqops(workload, size, bench);
    expect(run.consumerMinutes).toBeGreaterThan(0);
  });

  it("reports a trace that needs more than the settings' ceiling as capped and runs it at the cap", () => {
    const workload = buildWorkload(flat(1_000_000, 3), 1);
    const size = sizing(workload, bench);
    expect(size.capped).toBe(true);
    expect(size.maxConsumers).toBe(CONSUMER_CAP);
    const run = runMqops(workload, size, bench);
    expect(run.consumerMinutes).toBeLessThanOrEqual(CONSUMER_CAP * (480 + TAIL_MINUTES) + 1);
  });
});
