/** The pure figures of `mqops demo autoscaling`: one sample per period of what the run looked like. */

/** Each demo consumer spends this long on a message: five messages a second. */
export const SERVICE_MS = 200;

/** The demo's scaling settings: the settings' minimums, scaled to 10 s periods so a run takes minutes. */
export function demoSettings(maxConsumers: number) {
  return {
    minConsumers: 0,
    maxConsumers,
    targetWaitSeconds: 30,
    consumerStartupSeconds: 5,
    scaleOutCooldownSeconds: 10,
    scaleInCooldownSeconds: 30,
    scaleInStabilisationSeconds: 60,
    fallbackMessagesPerConsumerMinute: (60_000 / SERVICE_MS) * 0.8,
    scaleToZero: { enabled: true, quietPeriodSeconds: 60, activationQueueSize: 1 },
  };
}

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

/** What `mqops demo autoscaling` writes to `samples.json` in its run directory (read by the real-run bench). */
export interface DemoRun {
  /** The load: a ramp from 0 to the rate over `rampSeconds`, then the rate for `holdSeconds`. */
  load: { ratePerSecond: number; rampSeconds: number; holdSeconds: number; startedAt: number };
  serviceMs: number;
  periodSeconds: number;
  settings: ReturnType<typeof demoSettings>;
  samples: DemoSample[];
  /** Every decision recorded during the run, oldest first. */
  decisions: Array<{
    action: string;
    desired: number;
    previousDesired: number;
    reason: string;
    at: string;
    executionArn: string;
  }>;
  summary: DemoSummary;
}
