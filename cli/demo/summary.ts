/** The pure figures of `mqops demo autoscaling`: one sample per period of what the run looked like. */
export interface DemoSample {
  /** Epoch ms at the end of the period. */
  at: number;
  /** Messages enqueued during the period (the broker's EnqueueCount). */
  arrivals: number;
  /** Messages waiting at the end of the period (QueueSize). */
  backlog: number;
  desired: number;
  running: number;
  /** The decision taken in this period, if the fleet changed. */
  decision?: { action: string; from: number; to: number; reason: string };
}

/** The nearest-rank percentile of `values` (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** Consumer-minutes: each period's running consumers times its length. */
export function consumerMinutes(samples: readonly DemoSample[], periodSeconds: number): number {
  return samples.reduce((total, sample) => total + (sample.running * periodSeconds) / 60, 0);
}

export interface DemoSummary {
  p95WaitSeconds: number;
  messagesTimed: number;
  consumerMinutes: number;
  scaleOuts: number;
  scaleIns: number;
  peakConsumers: number;
}

export function summarise(
  samples: readonly DemoSample[],
  waitsMs: readonly number[],
  periodSeconds: number,
): DemoSummary {
  const actions = samples.flatMap((sample) => (sample.decision === undefined ? [] : [sample.decision]));
  return {
    p95WaitSeconds: percentile(waitsMs, 95) / 1000,
    messagesTimed: waitsMs.length,
    consumerMinutes: consumerMinutes(samples, periodSeconds),
    scaleOuts: actions.filter((action) => action.to > action.from).length,
    scaleIns: actions.filter((action) => action.to < action.from).length,
    peakConsumers: Math.max(0, ...samples.map((sample) => sample.desired)),
  };
}
