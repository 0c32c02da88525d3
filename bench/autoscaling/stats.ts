import type { PolicyName, TraceResult } from "./run.js";

/** Median, p90 and worst of a list of values (nearest rank). */
export interface Spread {
  median: number;
  p90: number;
  worst: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, p90: Number.NaN, worst: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), worst: sorted[sorted.length - 1] ?? Number.NaN };
}

export interface PolicyStats {
  traces: number;
  /** Consumer-minutes over the oracle's, per trace. */
  vsOracle: Spread;
  /** Consumer-minutes above the oracle's, per trace: a ratio on a tiny oracle says little alone. */
  excess: Spread;
  /** Total consumer-minutes over the oracle's total. */
  totalVsOracle: number;
  /** p95 wait over the target, per trace. */
  p95VsTarget: Spread;
  /** Traces whose p95 wait is above the target. */
  late: number;
  /** Traces with at least one flap, and flaps in all. */
  flapping: number;
  flaps: number;
  actions: Spread;
}

export function policyStats(
  results: readonly TraceResult[],
  policy: PolicyName,
  targetWaitSeconds: number,
): PolicyStats {
  const runs = results.map((r) => ({ r, run: r.rows.get(policy) }));
  const ratios: number[] = [];
  const excess: number[] = [];
  const p95s: number[] = [];
  const actions: number[] = [];
  let consumerMinutes = 0;
  let oracle = 0;
  let late = 0;
  let flapping = 0;
  let flaps = 0;
  for (const { r, run } of runs) {
    if (!run) continue;
    ratios.push(run.consumerMinutes / Math.max(1, r.size.oracle));
    excess.push(run.consumerMinutes - r.size.oracle);
    p95s.push(run.p95 / targetWaitSeconds);
    actions.push(run.actions);
    consumerMinutes += run.consumerMinutes;
    oracle += r.size.oracle;
    if (run.p95 > targetWaitSeconds) late++;
    if (run.flaps > 0) flapping++;
    flaps += run.flaps;
  }
  return {
    traces: ratios.length,
    vsOracle: spread(ratios),
    excess: spread(excess),
    totalVsOracle: consumerMinutes / Math.max(1, oracle),
    p95VsTarget: spread(p95s),
    late,
    flapping,
    flaps,
    actions: spread(actions),
  };
}
