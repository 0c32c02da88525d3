import type { ScalingDecision } from "../../functions/autoscaling/policy.js";
import { type ScalingSettings, scalingSettings } from "../../functions/autoscaling/settings.js";
import { flapFreeFloor, oracleBound, reactiveFloor, workConsumerMinutes } from "./oracle.js";
import { backlogTargetTracking, kedaStyle, mqops, staticForPeak, stepScaling } from "./policies.js";
import { type RunSummary, summarise } from "./report.js";
import { type Autoscaler, type ScalingEvent, simulate, type Workload } from "./simulator.js";

/** Queue-length targets (messages per consumer) a KEDA user might pick, searched on the training set. */
export const KEDA_TARGETS = [
  1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000,
  10_000, 20_000, 50_000, 100_000,
];
export const TAIL_MINUTES = 30;
const STATIC_UTILISATION = 0.9;
/**
 * The largest maxConsumers the settings accept: a trace needing more runs at it and is reported as capped.
 * Found by asking the settings, so it follows settings.ts whatever the schema is written with.
 */
export const CONSUMER_CAP = largestAcceptedMaxConsumers();

function largestAcceptedMaxConsumers(): number {
  const accepts = (n: number): boolean => {
    try {
      scalingSettings({ maxConsumers: n });
      return true;
    } catch {
      return false;
    }
  };
  let low = 1;
  let high = 2;
  while (accepts(high) && high < 1e9) high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (accepts(middle)) low = middle;
    else high = middle;
  }
  return low;
}

export interface BenchOptions {
  targetWaitSeconds: number;
  /** Start-up for traces that do not carry their own. */
  startupSeconds: number;
}

/** What a user would know about their queue: its busiest minute's work and its mean service time. */
export interface Sizing {
  peakConsumers: number;
  initialConsumers: number;
  maxConsumers: number;
  meanService: number;
  startupSeconds: number;
  oracle: number;
  oraclePeak: number;
  /** A lower bound for policies that never flap and keep every wait within the target; see flapFreeFloor. */
  flapFree: number;
  /** A lower bound for policies that never flap and keep the p95 wait within the target; see flapFreeFloor. */
  flapFreeP95: number;
  /**
   * The larger of that and an estimate for policies that never flap and cannot see the future (start-up,
   * a burst's fleet held for the flap window); see reactiveFloor. It explains traces, never judges them.
   */
  reactive: number;
  work: number;
  /** Minutes simulated: the trace and the drained tail. */
  runMinutes: number;
  /** The oracle needs more consumers in some minute than the settings allow. */
  capped: boolean;
}

export function sizing(workload: Workload, options: BenchOptions): Sizing {
  const { counts, service } = workload;
  let peakWork = 0;
  let total = 0;
  let messages = 0;
  for (let m = 0; m < counts.length; m++) {
    const work = (counts[m] ?? 0) * (service[m] ?? 0);
    peakWork = Math.max(peakWork, work);
    total += work;
    messages += counts[m] ?? 0;
  }
  const bound = oracleBound(workload, options.targetWaitSeconds);
  const peakConsumers = Math.max(1, Math.ceil(peakWork / 60 / STATIC_UTILISATION));
  const firstMinute = (counts[0] ?? 0) * (service[0] ?? 0);
  const maxConsumers = Math.min(CONSUMER_CAP, Math.max(20, 3 * peakConsumers, bound.peakConsumers));
  const startupSeconds = workload.trace.startupSeconds ?? options.startupSeconds;
  const runMinutes = counts.length + TAIL_MINUTES;
  const flapFree = Math.max(
    bound.consumerMinutes,
    flapFreeFloor(workload, options.targetWaitSeconds, runMinutes),
  );
  return {
    peakConsumers: Math.min(peakConsumers, maxConsumers),
    initialConsumers:
      firstMinute > 0 ? Math.min(maxConsumers, Math.ceil(firstMinute / 60 / STATIC_UTILISATION)) : 0,
    maxConsumers,
    meanService: messages > 0 ? total / messages : (workload.trace.serviceSeconds[0] ?? 2),
    startupSeconds,
    oracle: bound.consumerMinutes,
    oraclePeak: bound.peakConsumers,
    flapFree,
    flapFreeP95: flapFreeFloor(workload, options.targetWaitSeconds, runMinutes, 0.05),
    reactive: Math.max(flapFree, reactiveFloor(workload, options.targetWaitSeconds, startupSeconds)),
    work: workConsumerMinutes(workload),
    runMinutes,
    capped: bound.peakConsumers > CONSUMER_CAP,
  };
}

/**
 * The mqops settings a user would write for this queue: the wait target, scale-to-zero, their measured
 * start-up and service time (as the fallback rate), a ceiling sized for the queue within what the
 * settings accept, and no step limit below it.
 */
export function settingsFor(size: Sizing, options: BenchOptions): ScalingSettings {
  return scalingSettings({
    minConsumers: 1,
    maxConsumers: size.maxConsumers,
    maxStep: size.maxConsumers,
    targetWaitSeconds: options.targetWaitSeconds,
    consumerStartupSeconds: size.startupSeconds,
    fallbackMessagesPerConsumerMinute: 60 / (size.meanService || 1),
    scaleToZero: { enabled: true },
  });
}

export function runPolicy(
  workload: Workload,
  policy: Autoscaler,
  size: Sizing,
  options: BenchOptions,
  initial = size.initialConsumers,
): RunSummary {
  const result = simulate(
    workload,
    policy,
    {
      startupSeconds: size.startupSeconds,
      tailMinutes: TAIL_MINUTES,
      initialConsumers: initial,
      maxConsumers: size.maxConsumers,
    },
    options.targetWaitSeconds,
  );
  return summarise(result, options.targetWaitSeconds);
}

export function runKeda(workload: Workload, target: number, size: Sizing, options: BenchOptions): RunSummary {
  return runPolicy(workload, kedaStyle(target, size.maxConsumers), size, options);
}

/** The per-trace hindsight KEDA target: the cheapest whose p95 meets the wait target on this trace. */
export function hindsightKeda(
  workload: Workload,
  size: Sizing,
  options: BenchOptions,
): { target: number; run: RunSummary } {
  let best: { target: number; run: RunSummary } | undefined;
  for (const target of KEDA_TARGETS) {
    const run = runKeda(workload, target, size, options);
    if (!best) {
      best = { target, run };
      continue;
    }
    const meets = run.p95 <= options.targetWaitSeconds;
    const bestMeets = best.run.p95 <= options.targetWaitSeconds;
    if (
      (meets && !bestMeets) ||
      (meets && bestMeets && run.consumerMinutes < best.run.consumerMinutes) ||
      (!meets && !bestMeets && run.p95 < best.run.p95)
    ) {
      best = { target, run };
    }
  }
  if (!best) throw new Error("no KEDA target searched");
  return best;
}

export const POLICY_NAMES = [
  "static-for-peak",
  "keda(training)",
  "keda(hindsight)",
  "step-scaling",
  "backlog-tracking",
  "mqops",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Why a scale-in was reversed within the flap window (see flapCause). */
export type FlapCause = "new-load" | "seen-once" | "after-zero" | "within-history";

export interface TraceResult {
  name: string;
  family: string;
  description: string;
  size: Sizing;
  rows: Map<PolicyName, RunSummary>;
  hindsightTarget: number;
  /** Why each of mqops' flaps happened, in order. */
  flapCauses: FlapCause[];
  /** For each of mqops' flaps, how far the load rose after the scale-in (see flapRise). */
  flapRises: number[];
}

/** A load this much above the hour's busiest, over the same span, is new: nothing in the hour announced it. */
const NEW_LOAD_FACTOR = 1.2;
/** Minutes of the hour with at least this share of the reversal's busiest minute had shown that load. */
const SEEN_SHARE = 0.75;

/**
 * Why a flap happened, from the traffic the policy could not see. The work (messages × service time) of
 * the minutes between the scale-in and the scale-out that reversed it, over spans of up to five minutes,
 * against the hour before the scale-in: more than 1.2× its busiest span is new load (a rise, a burst or a
 * slowdown that nothing announced); load the hour had shown in a single stretch (minutes with at least 75%
 * of the reversal's busiest minute) is a burst or a first high phase seen once, which the policy does not
 * expect back; a message after a scale-in to zero; or none of these, a load the hour had shown coming and
 * going (the policy's own misjudgement).
 */
export function flapCause(workload: Workload, from: ScalingEvent, to: ScalingEvent): FlapCause {
  if (from.to === 0 && to.to > from.to) return "after-zero";
  const work = (m: number): number => (workload.counts[m] ?? 0) * (workload.service[m] ?? 0);
  const first = from.at / 60;
  const last = Math.max(first + 1, to.at / 60);
  const span = Math.min(5, last - first);
  const busiestSpan = (start: number, end: number): number => {
    let highest = 0;
    for (let m = Math.max(0, start); m + span <= end; m++) {
      let sum = 0;
      for (let k = m; k < m + span; k++) sum += work(k);
      highest = Math.max(highest, sum / span);
    }
    return highest;
  };
  if (busiestSpan(first, last) > NEW_LOAD_FACTOR * busiestSpan(first - 60, first)) return "new-load";
  let during = 0;
  for (let m = first; m < last; m++) during = Math.max(during, work(m));
  // Stretches of the hour before with load near that: one is a single episode (a burst, a first high phase).
  let stretches = 0;
  let inside = false;
  for (let m = Math.max(0, first - 60); m < first; m++) {
    const high = work(m) >= SEEN_SHARE * during;
    if (high && !inside) stretches++;
    inside = high;
  }
  return stretches <= 1 ? "seen-once" : "within-history";
}

/**
 * How far the load rose between a scale-in and the scale-out that reversed it: the busiest minute's work
 * (messages × service time) in between over the mean of the ten minutes before the scale-in.
 */
export function flapRise(workload: Workload, from: ScalingEvent, to: ScalingEvent): number {
  const work = (m: number): number => (workload.counts[m] ?? 0) * (workload.service[m] ?? 0);
  const first = from.at / 60;
  const last = Math.max(first + 1, to.at / 60);
  let before = 0;
  for (let m = Math.max(0, first - 10); m < first; m++) before += work(m) / 10;
  let during = 0;
  for (let m = first; m < last; m++) during = Math.max(during, work(m));
  return before > 0 ? during / before : Number.POSITIVE_INFINITY;
}

export function evaluate(
  workload: Workload,
  kedaTarget: number,
  options: BenchOptions,
  log?: (decision: ScalingDecision) => void,
): TraceResult {
  const size = sizing(workload, options);
  const rows = new Map<PolicyName, RunSummary>();
  rows.set(
    "static-for-peak",
    runPolicy(workload, staticForPeak(size.peakConsumers), size, options, size.peakConsumers),
  );
  rows.set("keda(training)", runKeda(workload, kedaTarget, size, options));
  const hindsight = hindsightKeda(workload, size, options);
  rows.set("keda(hindsight)", hindsight.run);
  rows.set("step-scaling", runPolicy(workload, stepScaling(size.maxConsumers), size, options));
  rows.set(
    "backlog-tracking",
    runPolicy(
      workload,
      backlogTargetTracking(options.targetWaitSeconds / size.meanService, size.maxConsumers),
      size,
      options,
    ),
  );
  const mqopsRun = runMqops(workload, size, options, log);
  rows.set("mqops", mqopsRun);
  return {
    flapCauses: mqopsRun.flapPairs.map(([from, to]) => flapCause(workload, from, to)),
    flapRises: mqopsRun.flapPairs.map(([from, to]) => flapRise(workload, from, to)),
    name: workload.trace.name,
    family: workload.trace.family ?? "example",
    description: workload.trace.description,
    size,
    rows,
    hindsightTarget: hindsight.target,
  };
}

export function runMqops(
  workload: Workload,
  size: Sizing,
  options: BenchOptions,
  log?: (decision: ScalingDecision) => void,
): RunSummary {
  return runPolicy(workload, mqops(settingsFor(size, options), log), size, options);
}

/**
 * The one KEDA-style target a user would configure for all their queues: the one meeting the wait target
 * on the most traces of the set, the cheapest among those.
 */
export function searchKedaTarget(
  workloads: readonly Workload[],
  options: BenchOptions,
): { target: number; meeting: number; consumerMinutes: number } {
  const sizes = workloads.map((w) => sizing(w, options));
  let best: { target: number; meeting: number; consumerMinutes: number } | undefined;
  for (const target of KEDA_TARGETS) {
    let meeting = 0;
    let consumerMinutes = 0;
    workloads.forEach((workload, i) => {
      const size = sizes[i];
      if (!size) return;
      const run = runKeda(workload, target, size, options);
      if (run.p95 <= options.targetWaitSeconds) meeting++;
      consumerMinutes += run.consumerMinutes;
    });
    if (
      !best ||
      meeting > best.meeting ||
      (meeting === best.meeting && consumerMinutes < best.consumerMinutes)
    ) {
      best = { target, meeting, consumerMinutes };
    }
  }
  if (!best) throw new Error("no KEDA target searched");
  return best;
}
