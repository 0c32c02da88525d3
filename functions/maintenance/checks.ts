import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { reportsVersion } from "./versions.js";

/**
 * The maintenance workflow's verdicts on what DescribeBroker and the broker itself answer. Pure.
 */

const INSTANCES: Record<string, number> = { SINGLE_INSTANCE: 1, ACTIVE_STANDBY_MULTI_AZ: 2 };

export interface PrecheckLimits {
  /** Highest store usage (percent of the store limit) at which a broker is still rebooted. */
  maxStorePercent: number;
  /** Most messages waiting on the broker at which it is still rebooted. */
  maxBacklog: number;
}

export interface BrokerLoad {
  storePercentUsage?: number;
  backlog?: number;
}

/** Why a broker may not be maintained now; empty when it may. */
export function precheckProblems(
  broker: DescribeBrokerResponse,
  load: BrokerLoad | undefined,
  limits: PrecheckLimits,
): string[] {
  const problems: string[] = [];
  if (broker.BrokerState !== "RUNNING")
    problems.push(`the broker is ${broker.BrokerState ?? "in an unknown state"}, not RUNNING`);
  for (const action of broker.ActionsRequired ?? []) {
    problems.push(`Amazon MQ requires an action: ${action.ActionRequiredCode ?? "unknown"}`);
  }
  if (broker.PendingEngineVersion !== undefined) {
    problems.push(`engine version ${broker.PendingEngineVersion} is already pending`);
  }
  if (broker.Configurations?.Pending !== undefined) {
    problems.push(`configuration revision ${broker.Configurations.Pending.Revision} is already pending`);
  }
  if (broker.PendingHostInstanceType !== undefined) {
    problems.push(`host instance type ${broker.PendingHostInstanceType} is already pending`);
  }
  const pendingUsers = (broker.Users ?? []).filter((user) => user.PendingChange !== undefined);
  if (pendingUsers.length > 0) {
    problems.push(`user changes are pending (${pendingUsers.map((u) => u.Username).join(", ")})`);
  }
  const expected = INSTANCES[broker.DeploymentMode ?? ""];
  const instances = broker.BrokerInstances ?? [];
  if (expected !== undefined && instances.length !== expected) {
    problems.push(`${expected} instance(s) expected, Amazon MQ lists ${instances.length}`);
  }
  instances.forEach((instance, index) => {
    if ((instance.Endpoints ?? []).length === 0) problems.push(`instance ${index + 1} has no endpoints`);
  });
  if (load?.storePercentUsage !== undefined && load.storePercentUsage > limits.maxStorePercent) {
    problems.push(`store usage ${load.storePercentUsage}% is over ${limits.maxStorePercent}%`);
  }
  if (load?.backlog !== undefined && load.backlog > limits.maxBacklog) {
    problems.push(`${load.backlog} messages are waiting, over ${limits.maxBacklog}`);
  }
  return problems;
}

/** What the broker should show once a change has applied. */
export interface SettledExpectation {
  engineVersion?: string;
  configuration?: { id: string; revision: number };
}

export type SettledVerdict =
  | { verdict: "settled" }
  | { verdict: "waiting"; detail: string }
  | { verdict: "failed"; detail: string };

/**
 * Whether a rebooted broker is done: RUNNING, nothing pending, the planned version's major.minor
 * (Amazon MQ reports the patch it chose), the planned configuration revision current.
 */
export function settledVerdict(broker: DescribeBrokerResponse, expect: SettledExpectation): SettledVerdict {
  const state = broker.BrokerState ?? "UNKNOWN";
  if (state === "CRITICAL_ACTION_REQUIRED" || state === "DELETION_IN_PROGRESS") {
    const actions = (broker.ActionsRequired ?? []).map((a) => a.ActionRequiredCode).join(", ");
    return { verdict: "failed", detail: `the broker is ${state}${actions === "" ? "" : ` (${actions})`}` };
  }
  if (state !== "RUNNING") return { verdict: "waiting", detail: `the broker is ${state}` };
  if (broker.PendingEngineVersion !== undefined) {
    return { verdict: "waiting", detail: `engine version ${broker.PendingEngineVersion} is still pending` };
  }
  if (broker.Configurations?.Pending !== undefined) {
    return {
      verdict: "waiting",
      detail: `configuration revision ${broker.Configurations.Pending.Revision} is still pending`,
    };
  }
  if (
    expect.engineVersion !== undefined &&
    !reportsVersion(broker.EngineVersion ?? "", expect.engineVersion)
  ) {
    return {
      verdict: "waiting",
      detail: `the broker reports ${broker.EngineVersion ?? "no version"}, not ${expect.engineVersion}`,
    };
  }
  const current = broker.Configurations?.Current;
  if (
    expect.configuration !== undefined &&
    (current?.Id !== expect.configuration.id || current?.Revision !== expect.configuration.revision)
  ) {
    return {
      verdict: "waiting",
      detail: `configuration revision ${current?.Revision ?? "none"} is current, not ${expect.configuration.revision}`,
    };
  }
  return { verdict: "settled" };
}

/** Queues the broker had before the change that it no longer has (the probe queue aside). Pure. */
export function missingQueues(before: string[], after: string[], ignore: string[]): string[] {
  const now = new Set(after);
  return before.filter((queue) => !now.has(queue) && !ignore.includes(queue));
}
