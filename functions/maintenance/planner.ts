import {
  apiVersion,
  compareVersions,
  type EngineVersion,
  formatVersion,
  isEndOfSupport,
  isMajorMinorOnly,
  parseVersion,
  type SupportStatus,
  sameMinor,
  supportStatus,
} from "./versions.js";

/**
 * The upgrade planner: from a broker's engine version, what Amazon MQ offers (DescribeBrokerEngineTypes),
 * the policy and an optional target, the UpdateBroker calls to make, in order. Pure.
 *
 * Rules (Amazon MQ Developer Guide and the issues users filed against the Terraform provider and ACK):
 * - from 5.18 on a version is sent as major.minor (`5.18`): Amazon MQ rejects `5.18.4`;
 * - brokers on 5.18 and later must have autoMinorVersionUpgrade on, and turning it on together with
 *   the move from 5.17 to 5.18 fails: it is turned on in an update of its own, first;
 * - an engine version is never downgraded;
 * - a version past its end of support is no target, and a broker on one is moved off it before
 *   Amazon MQ forces the upgrade (within 45 days after the end date), whatever the policy.
 */

/** `patch`: stay on the broker's major.minor. `minor`: move to the newest minor of the same major. */
export type UpgradePolicy = "patch" | "minor";

export interface ConfigurationRevisionRef {
  id: string;
  revision: number;
}

export interface PlannerInput {
  engineVersion: string;
  autoMinorVersionUpgrade: boolean;
  pendingEngineVersion?: string;
  configuration?: ConfigurationRevisionRef;
  /** The newest revision of the broker's configuration; applied when newer than the current one. */
  latestConfigurationRevision?: number;
  /** Version names DescribeBrokerEngineTypes lists for ACTIVEMQ (`5.19`, `5.18`, `5.17.6`, …). */
  availableVersions: string[];
  policy: UpgradePolicy;
  targetEngineVersion?: string;
  now: Date;
}

/** One UpdateBroker call: only the members it sets. */
export interface BrokerUpdate {
  autoMinorVersionUpgrade?: true;
  engineVersion?: string;
  configuration?: ConfigurationRevisionRef;
}

export interface UpgradePlan {
  action: "update" | "none";
  currentEngineVersion: string;
  /** The engine version to move to, as UpdateBroker takes it; absent when the version stays. */
  targetEngineVersion?: string;
  /** The configuration revision to apply, when newer than the current one. */
  configuration?: ConfigurationRevisionRef;
  /** UpdateBroker calls, in order, each on its own. */
  updates: BrokerUpdate[];
  /** Engine versions and configuration revisions apply only at a reboot. */
  rebootRequired: boolean;
  /** Why the plan is what it is, in words an operator reads. */
  reasons: string[];
  /** Why a requested change is not made (a downgrade, a version Amazon MQ does not offer, …). */
  refusal?: string;
  support: SupportStatus;
}

const none = (
  input: PlannerInput,
  support: SupportStatus,
  reasons: string[],
  refusal?: string,
): UpgradePlan => ({
  action: "none",
  currentEngineVersion: input.engineVersion,
  updates: [],
  rebootRequired: false,
  reasons,
  ...(refusal === undefined ? {} : { refusal }),
  support,
});

/** The versions Amazon MQ offers that are still supported, oldest first, each once. */
function offered(input: PlannerInput): EngineVersion[] {
  const parsed = input.availableVersions
    .map(parseVersion)
    .filter((v): v is EngineVersion => v !== undefined && !isEndOfSupport(v, input.now));
  const unique = new Map(parsed.map((v) => [formatVersion(v), v]));
  return [...unique.values()].sort(compareVersions);
}

function isOffered(target: EngineVersion, versions: EngineVersion[]): boolean {
  return versions.some(
    (v) =>
      sameMinor(v, target) &&
      (target.patch === undefined ||
        v.patch === undefined ||
        v.patch === target.patch ||
        isMajorMinorOnly(v)),
  );
}

type EngineDecision = { target?: EngineVersion; reasons: string[]; refusal?: string };

function requestedTarget(
  input: PlannerInput,
  current: EngineVersion,
  versions: EngineVersion[],
): EngineDecision {
  const text = input.targetEngineVersion ?? "";
  const requested = parseVersion(text);
  if (requested === undefined) return { reasons: [], refusal: `${text} is not an engine version` };
  // 5.18 and later are named by major.minor only: a patch in the request is dropped, not sent.
  const target = isMajorMinorOnly(requested) ? { major: requested.major, minor: requested.minor } : requested;
  const reasons =
    formatVersion(target) === formatVersion(requested)
      ? []
      : [`${text} is sent as ${apiVersion(target)}: Amazon MQ takes major.minor only from 5.18 on`];
  const order = compareVersions(target, current);
  if (order < 0) {
    return {
      reasons,
      refusal: `${apiVersion(target)} is older than the broker's ${input.engineVersion}: an engine version is never downgraded`,
    };
  }
  if (order === 0) {
    return { reasons: [...reasons, `the broker already runs ${input.engineVersion}`] };
  }
  if (target.major !== current.major) {
    return { reasons, refusal: `${apiVersion(target)} is a major upgrade, which the planner does not make` };
  }
  if (input.policy === "patch" && !sameMinor(target, current)) {
    return {
      reasons,
      refusal: `${apiVersion(target)} is a minor upgrade from ${input.engineVersion}; the policy allows patches only`,
    };
  }
  if (!isOffered(target, versions)) {
    return {
      reasons,
      refusal: `${apiVersion(target)} is not a supported version Amazon MQ offers (${versions.map(apiVersion).join(", ")})`,
    };
  }
  return { target, reasons: [...reasons, `${apiVersion(target)} was requested`] };
}

function policyTarget(
  input: PlannerInput,
  current: EngineVersion,
  versions: EngineVersion[],
): EngineDecision {
  const newer = versions.filter((v) => v.major === current.major && compareVersions(v, current) > 0);
  const support = supportStatus(current, input.now);
  const unsupported = support.status === "ended" || support.status === "forced-upgrade-overdue";
  if (input.policy === "minor") {
    const newest = newer.at(-1);
    return newest === undefined
      ? { reasons: [`${input.engineVersion} is the newest version Amazon MQ offers`] }
      : { target: newest, reasons: [`${apiVersion(newest)} is the newest version Amazon MQ offers`] };
  }
  if (unsupported) {
    // Amazon MQ will force this upgrade anyway: make it inside the window, to the nearest supported minor.
    const nearest = newer.find((v) => !sameMinor(v, current));
    if (nearest !== undefined) {
      return {
        target: nearest,
        reasons: [
          `${input.engineVersion} reached end of support on ${support.endOfSupport}; Amazon MQ upgrades it by ${support.forcedUpgradeBy}, so it moves to ${apiVersion(nearest)} now`,
        ],
      };
    }
  }
  if (isMajorMinorOnly(current)) {
    return {
      reasons: [`Amazon MQ applies ${input.engineVersion}'s patches itself (automatic minor upgrades)`],
    };
  }
  const patch = newer.filter((v) => sameMinor(v, current)).at(-1);
  return patch === undefined
    ? { reasons: [`${input.engineVersion} has no newer patch`] }
    : { target: patch, reasons: [`${apiVersion(patch)} is the newest patch of ${input.engineVersion}`] };
}

/** Plans one broker's maintenance. Pure. */
export function planUpgrade(input: PlannerInput): UpgradePlan {
  const current = parseVersion(input.engineVersion);
  if (current === undefined) {
    return none(input, { status: "supported" }, [], `${input.engineVersion} is not an engine version`);
  }
  const support = supportStatus(current, input.now);
  if (input.pendingEngineVersion !== undefined) {
    return none(
      input,
      support,
      [],
      `${input.pendingEngineVersion} is already pending; reboot or wait for it first`,
    );
  }
  const versions = offered(input);
  const decision =
    input.targetEngineVersion === undefined
      ? policyTarget(input, current, versions)
      : requestedTarget(input, current, versions);
  const reasons = [...decision.reasons];
  // A refused request changes nothing, not even what it did not ask for.
  if (decision.refusal !== undefined) return none(input, support, reasons, decision.refusal);
  if (support.status === "notice") {
    reasons.push(
      `${input.engineVersion} reaches end of support on ${support.endOfSupport} (${support.daysLeft} days)`,
    );
  }
  const updates: BrokerUpdate[] = [];
  const target = decision.target;
  const needsAutoMinor = !input.autoMinorVersionUpgrade && isMajorMinorOnly(target ?? current);
  if (needsAutoMinor) {
    updates.push({ autoMinorVersionUpgrade: true });
    reasons.push(
      target !== undefined && !isMajorMinorOnly(current)
        ? `automatic minor upgrades are turned on first, in their own update: together with the move to ${apiVersion(target)} Amazon MQ refuses it`
        : "brokers on 5.18 and later must have automatic minor upgrades on",
    );
  }
  const latest = input.latestConfigurationRevision;
  const configuration =
    input.configuration !== undefined && latest !== undefined && latest > input.configuration.revision
      ? { id: input.configuration.id, revision: latest }
      : undefined;
  if (configuration !== undefined) {
    reasons.push(
      `configuration revision ${configuration.revision} replaces revision ${input.configuration?.revision}`,
    );
  }
  const targetText = target === undefined ? undefined : apiVersion(target);
  if (targetText !== undefined || configuration !== undefined) {
    updates.push({
      ...(targetText === undefined ? {} : { engineVersion: targetText }),
      ...(configuration === undefined ? {} : { configuration }),
    });
  }
  if (updates.length === 0) return none(input, support, reasons);
  return {
    action: "update",
    currentEngineVersion: input.engineVersion,
    ...(targetText === undefined ? {} : { targetEngineVersion: targetText }),
    ...(configuration === undefined ? {} : { configuration }),
    updates,
    rebootRequired: targetText !== undefined || configuration !== undefined,
    reasons,
    support,
  };
}
