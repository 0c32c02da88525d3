/**
 * The pure part of the real-run bench: the demo's load as the simulator's trace, and the figures of a
 * real run set against the simulator's prediction for the same load and settings.
 */
import type { DemoRun } from "../../cli/demo/summary.js";
import { percentile } from "../../cli/demo/summary.js";
import type { Trace } from "../autoscaling/traces.js";

/** Messages sent by `seconds` into the demo's load: a linear ramp from 0 to the rate, then the rate. */
export function cumulativeSent(load: DemoRun["load"], seconds: number): number {
  const { ratePerSecond: rate, rampSeconds: ramp, holdSeconds: hold } = load;
  const t = Math.min(Math.max(seconds, 0), ramp + hold);
  if (t <= ramp) return (rate * t * t) / (2 * ramp);
  return (rate * ramp) / 2 + rate * (t - ramp);
}

/** Seconds into the load at which its first message is sent. */
export function firstMessageSeconds(load: DemoRun["load"]): number {
  return Math.sqrt((2 * load.rampSeconds) / load.ratePerSecond);
}

/** The demo's load, minute by minute, as an exact-count trace for the simulator. */
export function demoTrace(run: DemoRun): Trace {
  const seconds = run.load.rampSeconds + run.load.holdSeconds;
  const minutes = Math.ceil(seconds / 60);
  const arrivals = Array.from({ length: minutes }, (_, m) =>
    Math.round(cumulativeSent(run.load, 60 * (m + 1)) - Math.round(cumulativeSent(run.load, 60 * m))),
  );
  return {
    name: `demo ${run.load.ratePerSecond}/s`,
    description: `ramp to ${run.load.ratePerSecond}/s over ${run.load.rampSeconds} s, hold ${run.load.holdSeconds} s`,
    arrivals,
    exactCounts: true,
    serviceSeconds: arrivals.map(() => run.serviceMs / 1000),
    restarts: [],
  };
}

/**
 * Mean seconds from a raised desired count to the running count reaching it, measured on the samples
 * (to the period): the consumer's real start-up, which the simulator is then given.
 */
export function measuredStartupSeconds(run: DemoRun): number | undefined {
  const delays: number[] = [];
  run.samples.forEach((sample, index) => {
    const previous = run.samples[index - 1];
    if (previous === undefined || sample.desired <= previous.desired) return;
    const reached = run.samples.slice(index).find((later) => later.running >= sample.desired);
    if (reached !== undefined) delays.push((reached.at - sample.at) / 1000 + run.periodSeconds / 2);
  });
  if (delays.length === 0) return undefined;
  return delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
}

/**
 * Mean seconds a consumer spends on a message in the real run, from the periods in which every running
 * consumer was busy throughout (a backlog beyond them at both ends, the fleet unchanged): messages
 * served = arrivals less the backlog's growth. The demo's consumers sleep `serviceMs` a message; receiving
 * and acknowledging it add to that.
 */
export function measuredServiceSeconds(run: DemoRun): number | undefined {
  let served = 0;
  let consumerSeconds = 0;
  run.samples.forEach((sample, index) => {
    const previous = run.samples[index - 1];
    if (previous === undefined || sample.running === 0 || sample.running !== previous.running) return;
    if (previous.backlog <= sample.running || sample.backlog <= sample.running) return;
    served += sample.arrivals - (sample.backlog - previous.backlog);
    consumerSeconds += sample.running * run.periodSeconds;
  });
  if (served <= 0) return undefined;
  return consumerSeconds / served;
}

/** Seconds from the first message sent to the first recorded scale-out, or undefined if none came. */
export function onsetToDecisionSeconds(run: DemoRun): number | undefined {
  const onset = run.load.startedAt + firstMessageSeconds(run.load) * 1000;
  const first = run.decisions.find((decision) => decision.action === "scale-out");
  if (first === undefined) return undefined;
  return (Date.parse(first.at) - onset) / 1000;
}

export interface RunFigures {
  consumerMinutes: number;
  p95WaitSeconds: number;
  scaleActions: number;
}

export function realFigures(run: DemoRun, waitsMs: readonly number[]): RunFigures {
  return {
    consumerMinutes: run.summary.consumerMinutes,
    p95WaitSeconds: percentile(waitsMs, 95) / 1000,
    scaleActions: run.summary.scaleOuts + run.summary.scaleIns,
  };
}

/** Real over simulated, minus one: +0.10 is 10% above the prediction. */
export function relativeGap(real: number, simulated: number): number {
  if (simulated === 0) return real === 0 ? 0 : Number.POSITIVE_INFINITY;
  return real / simulated - 1;
}
