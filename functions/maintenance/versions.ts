import { MAJOR_MINOR_ONLY_FROM as MAJOR_MINOR_ONLY_FROM_NAME } from "../lib/amazon-mq.js";

/**
 * ActiveMQ engine versions as Amazon MQ names and supports them (Amazon MQ Developer Guide,
 * "Managing Amazon MQ for ActiveMQ engine versions"). Pure.
 */

export interface EngineVersion {
  major: number;
  minor: number;
  /** Absent when only major.minor is known (`5.18`, as Amazon MQ names 5.18 and later). */
  patch?: number;
}

/**
 * End of support per major.minor. At least 90 days' notice; brokers still on the version are
 * upgraded by Amazon MQ within 45 days after the date; no new brokers within 30 days before it.
 */
export const END_OF_SUPPORT: Readonly<Record<string, string>> = {
  "5.15": "2024-09-16",
  "5.16": "2024-11-15",
  "5.17": "2025-06-16",
};
export const END_OF_SUPPORT_NOTICE_DAYS = 90;
export const FORCED_UPGRADE_WITHIN_DAYS = 45;
export const NO_NEW_BROKERS_DAYS = 30;

const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

/** `5.18.4` → {5, 18, 4}; undefined for anything that is not a version. */
export function parseVersion(text: string): EngineVersion | undefined {
  const match = VERSION.exec(text.trim());
  if (match === null) return undefined;
  const [, major = "", minor = "", patch] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    ...(patch === undefined ? {} : { patch: Number(patch) }),
  };
}

/** From 5.18 on, CreateBroker and UpdateBroker take major.minor only; a patch version is rejected. */
export const MAJOR_MINOR_ONLY_FROM: EngineVersion = parseVersion(MAJOR_MINOR_ONLY_FROM_NAME) ?? {
  major: 0,
  minor: 0,
};

export const majorMinor = (version: EngineVersion) => `${version.major}.${version.minor}`;

export function formatVersion(version: EngineVersion): string {
  return version.patch === undefined ? majorMinor(version) : `${majorMinor(version)}.${version.patch}`;
}

/** Compares major, then minor, then patch (an unknown patch compares equal to any). */
export function compareVersions(a: EngineVersion, b: EngineVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch === undefined || b.patch === undefined) return 0;
  return a.patch - b.patch;
}

export const sameMinor = (a: EngineVersion, b: EngineVersion) => a.major === b.major && a.minor === b.minor;

/** Whether Amazon MQ takes only major.minor for this version (5.18 and later). */
export const isMajorMinorOnly = (version: EngineVersion) =>
  compareVersions(version, MAJOR_MINOR_ONLY_FROM) >= 0;

/** The version as UpdateBroker must receive it: `5.18` for 5.18 and later, `5.17.6` before. */
export function apiVersion(version: EngineVersion): string {
  return isMajorMinorOnly(version) ? majorMinor(version) : formatVersion(version);
}

/** Whether a broker reports the version the plan asked for (major.minor; the patch too before 5.18). */
export function reportsVersion(reported: string, target: string): boolean {
  const a = parseVersion(reported);
  const b = parseVersion(target);
  if (a === undefined || b === undefined) return false;
  if (!sameMinor(a, b)) return false;
  return isMajorMinorOnly(b) || b.patch === undefined || a.patch === b.patch;
}

const DAY_MS = 86_400_000;

export type SupportStatus =
  | { status: "supported" }
  | { status: "notice"; endOfSupport: string; daysLeft: number }
  | { status: "ended"; endOfSupport: string; forcedUpgradeBy: string }
  | { status: "forced-upgrade-overdue"; endOfSupport: string; forcedUpgradeBy: string };

/** Where a version stands against its end of support on a given day. */
export function supportStatus(version: EngineVersion, now: Date): SupportStatus {
  const end = END_OF_SUPPORT[majorMinor(version)];
  if (end === undefined) return { status: "supported" };
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const forcedUpgradeBy = new Date(endMs + FORCED_UPGRADE_WITHIN_DAYS * DAY_MS).toISOString().slice(0, 10);
  const daysLeft = Math.ceil((endMs - now.getTime()) / DAY_MS);
  if (daysLeft > END_OF_SUPPORT_NOTICE_DAYS) return { status: "supported" };
  if (daysLeft > 0) return { status: "notice", endOfSupport: end, daysLeft };
  if (now.getTime() <= endMs + FORCED_UPGRADE_WITHIN_DAYS * DAY_MS) {
    return { status: "ended", endOfSupport: end, forcedUpgradeBy };
  }
  return { status: "forced-upgrade-overdue", endOfSupport: end, forcedUpgradeBy };
}

/** Whether a version has reached its end of support (no longer a target to move to). */
export function isEndOfSupport(version: EngineVersion, now: Date): boolean {
  const status = supportStatus(version, now).status;
  return status === "ended" || status === "forced-upgrade-overdue";
}
