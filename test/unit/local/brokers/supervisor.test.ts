import { describe, expect, it } from "vitest";
import {
  DEFAULT_RESTART_POLICY,
  decideAfterExit,
  FRESH_SUPERVISION,
  mayScheduleRestart,
  type RestartDecision,
  type RestartPolicy,
  type SupervisionRecord,
} from "../../../../local/brokers/supervisor.js";

const POLICY: RestartPolicy = {
  initialBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  stableAfterMs: 60_000,
  maxConsecutiveFailures: 8,
  failoverWaitMs: 30_000,
};

/** Feeds `exits` quick failures (each run shorter than stableAfterMs) through the policy. */
function failRepeatedly(exits: number, ranForMs = 2_000): RestartDecision[] {
  const decisions: RestartDecision[] = [];
  let record: SupervisionRecord = FRESH_SUPERVISION;
  for (let i = 0; i < exits; i++) {
    const decision = decideAfterExit(record, ranForMs, POLICY);
    decisions.push(decision);
    record = decision.record;
  }
  return decisions;
}

describe("decideAfterExit", () => {
  it("restarts after the initial backoff on a first failure", () => {
    const decision = decideAfterExit(FRESH_SUPERVISION, 5_000, POLICY);

    expect(decision).toEqual({
      action: "restart",
      delayMs: 1_000,
      record: { consecutiveFailures: 1, restarts: 0 },
    });
  });

  it("doubles the backoff with each consecutive failure, up to the maximum", () => {
    const delays = failRepeatedly(7).map((decision) =>
      decision.action === "restart" ? decision.delayMs : undefined,
    );

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("gives up at the maximum number of consecutive failures", () => {
    const decisions = failRepeatedly(POLICY.maxConsecutiveFailures);

    expect(decisions.slice(0, -1).every((decision) => decision.action === "restart")).toBe(true);
    expect(decisions.at(-1)).toEqual({
      action: "give-up",
      record: { consecutiveFailures: POLICY.maxConsecutiveFailures, restarts: 0 },
    });
  });

  it("counts a failure after a run of stableAfterMs as the first again", () => {
    const afterFailures: SupervisionRecord = { consecutiveFailures: 6, restarts: 6 };

    const decision = decideAfterExit(afterFailures, POLICY.stableAfterMs, POLICY);

    expect(decision).toEqual({
      action: "restart",
      delayMs: 1_000,
      record: { consecutiveFailures: 1, restarts: 6 },
    });
  });

  it("keeps counting when the run was shorter than stableAfterMs", () => {
    const afterFailures: SupervisionRecord = { consecutiveFailures: 2, restarts: 2 };

    const decision = decideAfterExit(afterFailures, POLICY.stableAfterMs - 1, POLICY);

    expect(decision).toMatchObject({ action: "restart", delayMs: 4_000, record: { consecutiveFailures: 3 } });
  });

  it("never gives up on an instance that keeps running for a minute between crashes", () => {
    let record: SupervisionRecord = FRESH_SUPERVISION;
    for (let i = 0; i < 50; i++) {
      const decision = decideAfterExit(record, 3_600_000, POLICY);
      expect(decision).toMatchObject({ action: "restart", delayMs: 1_000 });
      record = decision.record;
    }
  });

  it("uses 1 s doubling to 30 s, reset after a minute, by default", () => {
    expect(DEFAULT_RESTART_POLICY).toMatchObject({
      initialBackoffMs: 1_000,
      maxBackoffMs: 30_000,
      stableAfterMs: 60_000,
    });
  });
});

describe("mayScheduleRestart", () => {
  const standby = { running: true, active: false };
  const active = { running: true, active: true };
  const dead = { running: false, active: false };

  it("does not wait for anything in a single instance or a cluster", () => {
    expect(mayScheduleRestart("SINGLE_INSTANCE", [], 0, POLICY)).toBe(true);
    expect(mayScheduleRestart("CLUSTER_MULTI_AZ", [standby, standby], 0, POLICY)).toBe(true);
  });

  it("waits while the partner of an active/standby pair has not taken the lock yet", () => {
    expect(mayScheduleRestart("ACTIVE_STANDBY_MULTI_AZ", [standby], 1_000, POLICY)).toBe(false);
  });

  it("restarts the dead one of a pair once its partner is active", () => {
    expect(mayScheduleRestart("ACTIVE_STANDBY_MULTI_AZ", [active], 0, POLICY)).toBe(true);
  });

  it("does not wait for a partner that is not running", () => {
    expect(mayScheduleRestart("ACTIVE_STANDBY_MULTI_AZ", [dead], 0, POLICY)).toBe(true);
  });

  it("stops waiting for the failover after failoverWaitMs", () => {
    expect(mayScheduleRestart("ACTIVE_STANDBY_MULTI_AZ", [standby], POLICY.failoverWaitMs, POLICY)).toBe(
      true,
    );
  });
});
