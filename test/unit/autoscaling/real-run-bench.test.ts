import { describe, expect, it } from "vitest";
import {
  cumulativeSent,
  demoTrace,
  firstMessageSeconds,
  measuredServiceSeconds,
  measuredStartupSeconds,
  onsetToDecisionSeconds,
} from "../../../bench/autoscaling-real/compare.js";
import { type DemoRun, demoSettings } from "../../../cli/demo/summary.js";

const load = { ratePerSecond: 10, rampSeconds: 60, holdSeconds: 90, startedAt: 1_000_000 };
const run = (overrides: Partial<DemoRun>): DemoRun => ({
  load,
  serviceMs: 200,
  periodSeconds: 10,
  settings: demoSettings(6),
  samples: [],
  decisions: [],
  summary: {
    p95WaitSeconds: 0,
    messagesTimed: 0,
    consumerMinutes: 0,
    scaleOuts: 0,
    scaleIns: 0,
    peakConsumers: 0,
  },
  ...overrides,
});

describe("the demo's load as the bench reads it", () => {
  it("ramps linearly to the rate, then holds it, then stops", () => {
    expect(cumulativeSent(load, 30)).toBe(75);
    expect(cumulativeSent(load, 60)).toBe(300);
    expect(cumulativeSent(load, 90)).toBe(600);
    expect(cumulativeSent(load, 500)).toBe(1_200);
    expect(firstMessageSeconds(load)).toBeCloseTo(Math.sqrt(12));
  });

  it("becomes a trace of whole minutes that keeps every message", () => {
    const trace = demoTrace(run({}));
    expect(trace.arrivals).toEqual([300, 600, 300]);
    expect(trace.serviceSeconds).toEqual([0.2, 0.2, 0.2]);
  });
});

describe("figures of a real run", () => {
  it("measures onset to the first scale-out, not to a hold", () => {
    const onset = load.startedAt + firstMessageSeconds(load) * 1000;
    const decisions = [
      { action: "hold", at: new Date(onset + 2_000).toISOString() },
      { action: "scale-out", at: new Date(onset + 9_000).toISOString() },
    ].map((decision) => ({ ...decision, desired: 1, previousDesired: 0, reason: "", executionArn: "x" }));
    expect(onsetToDecisionSeconds(run({ decisions }))).toBeCloseTo(9, 0);
    expect(onsetToDecisionSeconds(run({}))).toBeUndefined();
  });

  it("measures start-up from a raised desired count to the running count reaching it", () => {
    const sample = (at: number, desired: number, running: number) => ({
      at,
      arrivals: 0,
      backlog: 0,
      desired,
      running,
    });
    const samples = [sample(0, 0, 0), sample(10_000, 2, 0), sample(20_000, 2, 1), sample(30_000, 2, 2)];
    expect(measuredStartupSeconds(run({ samples }))).toBe(25);
  });
});

describe("the service time measured on a real run", () => {
  const sample = (arrivals: number, backlog: number, running: number) => ({
    at: 0,
    arrivals,
    backlog,
    desired: running,
    running,
  });

  it("counts only periods in which every consumer was busy throughout", () => {
    // 4 consumers × 10 s served 150 + 10 = 160 messages: 250 ms each. The period after the scale-out
    // and the one that ends with a short queue are left out.
    const samples = [sample(150, 100, 4), sample(150, 90, 4), sample(150, 60, 5), sample(150, 3, 5)];
    expect(measuredServiceSeconds(run({ samples }))).toBeCloseTo(0.25);
  });

  it("is unknown without such a period", () => {
    expect(measuredServiceSeconds(run({ samples: [sample(10, 0, 1), sample(10, 0, 1)] }))).toBeUndefined();
  });
});
