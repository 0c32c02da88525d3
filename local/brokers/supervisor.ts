import type { DeploymentMode } from "./types.js";

/**
 * When the runtime restarts a broker instance whose JVM died on its own (crash, kill -9) while the
 * broker was meant to run, as Amazon MQ replaces a failed instance. Pure decisions only: the
 * runtime owns the timers and the processes.
 */
export interface RestartPolicy {
  /** Wait before the first restart after a failure. */
  initialBackoffMs: number;
  /** The wait doubles with each consecutive failure, up to this. */
  maxBackoffMs: number;
  /** A run at least this long was healthy: the next failure counts as the first again. */
  stableAfterMs: number;
  /** This many consecutive failures and the instance is left stopped. */
  maxConsecutiveFailures: number;
  /**
   * How long a dead instance of an active/standby pair waits for its partner to take over before it
   * is restarted anyway (a partner that never gets the lock must not keep the pair down for good).
   */
  failoverWaitMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  stableAfterMs: 60_000,
  maxConsecutiveFailures: 8,
  failoverWaitMs: 30_000,
};

/** What the supervisor remembers about one instance since its broker was started. */
export interface SupervisionRecord {
  /** Unexpected exits (and failed restart attempts) since the last run that lasted `stableAfterMs`. */
  consecutiveFailures: number;
  /** JVMs started to replace dead ones. */
  restarts: number;
}

export const FRESH_SUPERVISION: SupervisionRecord = { consecutiveFailures: 0, restarts: 0 };

export type RestartDecision =
  | { action: "restart"; delayMs: number; record: SupervisionRecord }
  | { action: "give-up"; record: SupervisionRecord };

/**
 * What to do when an instance's JVM exited (or a restart attempt failed) while its broker was
 * meant to run: restart after a backoff that doubles with each consecutive failure, or give up
 * once `maxConsecutiveFailures` have happened in a row. A run of `stableAfterMs` or more resets
 * the count, so a broker killed once a day is restarted after the initial backoff every time.
 */
export function decideAfterExit(
  record: SupervisionRecord,
  ranForMs: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const earlier = ranForMs >= policy.stableAfterMs ? 0 : record.consecutiveFailures;
  const next = { ...record, consecutiveFailures: earlier + 1 };
  if (next.consecutiveFailures >= policy.maxConsecutiveFailures) return { action: "give-up", record: next };
  const delayMs = Math.min(policy.initialBackoffMs * 2 ** earlier, policy.maxBackoffMs);
  return { action: "restart", delayMs, record: next };
}

/** One of the broker's other instances, as last checked. */
export interface PartnerState {
  running: boolean;
  active: boolean;
}

/**
 * Whether a dead instance's restart may be scheduled now. For an active/standby pair it waits
 * until the partner holds the lock: restarted at once, the dead instance could win the lock back
 * before the standby takes it, and the pair would have had an outage instead of a failover.
 * Amazon MQ brings the replaced instance back as the new standby. It does not wait when no
 * partner runs (there is nothing to fail over to) or once `failoverWaitMs` has passed.
 */
export function mayScheduleRestart(
  mode: DeploymentMode,
  partners: PartnerState[],
  waitedMs: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): boolean {
  if (mode !== "ACTIVE_STANDBY_MULTI_AZ") return true;
  if (waitedMs >= policy.failoverWaitMs) return true;
  const running = partners.filter((partner) => partner.running);
  return running.length === 0 || running.some((partner) => partner.active);
}
