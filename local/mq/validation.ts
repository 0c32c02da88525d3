import { DEFAULT_TIME_ZONE, isMaintenanceTimeZone, TIME_ZONE_RULE } from "../../functions/lib/time-zone.js";
import { badRequest } from "../server/aws-error.js";
import {
  DEPLOYMENT_MODES,
  ENGINE_TYPE,
  HOST_INSTANCE_TYPES,
  LATEST_ENGINE_VERSION,
  STORAGE_TYPES,
  SUPPORTED_ENGINE_VERSIONS,
} from "./engine-types.js";
import type { Fields } from "./fields.js";
import type { DeploymentMode, UserSettings } from "./state.js";

/**
 * Amazon MQ's input rules, pure: each check returns the value it accepts or throws a
 * BadRequestException naming the member (errorAttribute) and what is wrong with it.
 */

const BROKER_NAME = /^[A-Za-z0-9_-]{1,50}$/;
const CONFIGURATION_NAME = /^[A-Za-z0-9._~-]{1,150}$/;
const USERNAME = /^[A-Za-z0-9._~-]{2,100}$/;
const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
export const MAX_USERS = 250;

export function brokerName(value: string, attribute = "brokerName"): string {
  if (!BROKER_NAME.test(value)) {
    throw badRequest(
      `${attribute} must be 1-50 characters of letters, digits, '-' and '_'; got ${JSON.stringify(value)}.`,
      attribute,
    );
  }
  return value;
}

export function configurationName(value: string, attribute = "name"): string {
  if (!CONFIGURATION_NAME.test(value)) {
    throw badRequest(
      `${attribute} must be 1-150 characters of letters, digits and - . _ ~; got ${JSON.stringify(value)}.`,
      attribute,
    );
  }
  return value;
}

/** This local Amazon MQ runs ActiveMQ only; RabbitMQ brokers are refused. */
export function engineType(value: string | undefined, attribute = "engineType"): typeof ENGINE_TYPE {
  if (value === undefined) throw badRequest(`${attribute} is required.`, attribute);
  if (value.toUpperCase() !== ENGINE_TYPE) {
    throw badRequest(
      `${attribute} ${JSON.stringify(value)} is not supported: the local Amazon MQ runs ACTIVEMQ brokers only.`,
      attribute,
    );
  }
  return ENGINE_TYPE;
}

/** Accepts major.minor or a full version (5.18.4) and keeps major.minor, as Amazon MQ does since 5.18. */
export function engineVersion(value: string | undefined, attribute = "engineVersion"): string {
  if (value === undefined) return LATEST_ENGINE_VERSION;
  const majorMinor = value.trim().split(".").slice(0, 2).join(".");
  if (!(SUPPORTED_ENGINE_VERSIONS as readonly string[]).includes(majorMinor)) {
    throw badRequest(
      `${attribute} ${JSON.stringify(value)} is not supported for ACTIVEMQ; supported: ${SUPPORTED_ENGINE_VERSIONS.join(", ")}.`,
      attribute,
    );
  }
  return majorMinor;
}

export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Amazon MQ requires automatic minor version upgrades for ActiveMQ 5.18 and later. */
export function autoMinorVersionUpgrade(value: boolean | undefined, version: string): boolean {
  if (value === false && compareVersions(version, "5.18") >= 0) {
    throw badRequest(
      `autoMinorVersionUpgrade must be true for ActiveMQ ${version} (required for 5.18 and later).`,
      "autoMinorVersionUpgrade",
    );
  }
  return true;
}

export function deploymentMode(value: string | undefined): DeploymentMode {
  if (value === undefined) throw badRequest("deploymentMode is required.", "deploymentMode");
  const mode = DEPLOYMENT_MODES.find((candidate) => candidate === value);
  if (mode === undefined) {
    throw badRequest(
      `deploymentMode ${JSON.stringify(value)} is not valid; use one of ${DEPLOYMENT_MODES.join(", ")}.`,
      "deploymentMode",
    );
  }
  return mode;
}

export function hostInstanceType(value: string | undefined, mode: DeploymentMode): string {
  if (value === undefined) throw badRequest("hostInstanceType is required.", "hostInstanceType");
  if (!(HOST_INSTANCE_TYPES as readonly string[]).includes(value)) {
    throw badRequest(
      `hostInstanceType ${JSON.stringify(value)} is not available for ACTIVEMQ; use one of ${HOST_INSTANCE_TYPES.join(", ")}.`,
      "hostInstanceType",
    );
  }
  if (value === "mq.t3.micro" && mode !== "SINGLE_INSTANCE") {
    throw badRequest(
      `hostInstanceType mq.t3.micro supports SINGLE_INSTANCE only, not ${mode}.`,
      "hostInstanceType",
    );
  }
  return value;
}

export function storageType(value: string | undefined, mode: DeploymentMode): "EBS" | "EFS" {
  const type = value === undefined ? "EFS" : STORAGE_TYPES.find((candidate) => candidate === value);
  if (type === undefined) {
    throw badRequest(
      `storageType ${JSON.stringify(value)} is not valid; use ${STORAGE_TYPES.join(" or ")}.`,
      "storageType",
    );
  }
  if (type === "EBS" && mode !== "SINGLE_INSTANCE") {
    throw badRequest(
      `storageType EBS supports SINGLE_INSTANCE only; ${mode} needs EFS (shared storage).`,
      "storageType",
    );
  }
  return type;
}

export function authenticationStrategy(value: string | undefined): "SIMPLE" | "LDAP" {
  if (value === undefined || value === "SIMPLE") return "SIMPLE";
  if (value === "LDAP") return "LDAP";
  throw badRequest(
    `authenticationStrategy ${JSON.stringify(value)} is not valid; use SIMPLE or LDAP.`,
    "authenticationStrategy",
  );
}

export interface WeeklyStartTime {
  dayOfWeek: string;
  timeOfDay: string;
  timeZone: string;
}

export function maintenanceWindow(fields: Fields | undefined): WeeklyStartTime | undefined {
  if (fields === undefined) return undefined;
  const day = fields.requiredString("dayOfWeek");
  if (!DAYS.includes(day)) {
    throw badRequest(
      `dayOfWeek ${JSON.stringify(day)} is not a day; use one of ${DAYS.join(", ")}.`,
      fields.attribute("dayOfWeek"),
    );
  }
  const time = fields.requiredString("timeOfDay");
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
    throw badRequest(
      `timeOfDay ${JSON.stringify(time)} must be HH:MM (24-hour).`,
      fields.attribute("timeOfDay"),
    );
  }
  const timeZone = fields.string("timeZone") ?? DEFAULT_TIME_ZONE;
  if (!isMaintenanceTimeZone(timeZone)) {
    throw badRequest(
      `timeZone ${JSON.stringify(timeZone.slice(0, 64))} is not valid: it ${TIME_ZONE_RULE}.`,
      fields.attribute("timeZone"),
    );
  }
  return { dayOfWeek: day, timeOfDay: time, timeZone };
}

export function username(value: string, attribute = "username"): string {
  if (!USERNAME.test(value)) {
    throw badRequest(
      `${attribute} must be 2-100 characters of letters, digits and - . _ ~ (${value.length} characters given).`,
      attribute,
    );
  }
  return value;
}

/** Amazon MQ's password rules. The message describes the rule broken, never the password. */
export function password(value: string | undefined, attribute = "password"): string {
  if (value === undefined || value === "") throw badRequest(`${attribute} is required.`, attribute);
  if (value.length < 12 || value.length > 250) {
    throw badRequest(`${attribute} must be 12-250 characters long.`, attribute);
  }
  if (new Set(value).size < 4) {
    throw badRequest(`${attribute} must contain at least 4 unique characters.`, attribute);
  }
  if (/[,:=]/.test(value)) {
    throw badRequest(`${attribute} must not contain commas, colons or equal signs (, : =).`, attribute);
  }
  return value;
}

export function groups(value: string[] | undefined, attribute = "groups"): string[] {
  if (value === undefined) return [];
  if (value.length > 20) throw badRequest(`${attribute} must have at most 20 groups.`, attribute);
  for (const group of value) {
    if (!USERNAME.test(group)) {
      throw badRequest(
        `${attribute} entry ${JSON.stringify(group)} must be 2-100 characters of letters, digits and - . _ ~.`,
        attribute,
      );
    }
  }
  return [...value];
}

/** A user as CreateBroker or CreateUser takes it. */
export function newUser(fields: Fields, name: string): UserSettings & { username: string } {
  return {
    username: username(name, fields.attribute("username")),
    password: password(fields.string("password"), fields.attribute("password")),
    consoleAccess: fields.boolean("consoleAccess") ?? false,
    groups: groups(fields.stringList("groups"), fields.attribute("groups")),
    replicationUser: fields.boolean("replicationUser") ?? false,
  };
}

export function tags(value: Record<string, string> | undefined, attribute = "tags"): Record<string, string> {
  if (value === undefined) return {};
  const entries = Object.entries(value);
  if (entries.length > 50) throw badRequest(`${attribute} must have at most 50 tags.`, attribute);
  for (const [key, tagValue] of entries) {
    if (key.length < 1 || key.length > 128) {
      throw badRequest(`${attribute} key ${JSON.stringify(key)} must be 1-128 characters.`, attribute);
    }
    if (key.toLowerCase().startsWith("aws:")) {
      throw badRequest(`${attribute} key ${JSON.stringify(key)} must not start with aws:.`, attribute);
    }
    if (tagValue.length > 256) {
      throw badRequest(
        `${attribute} value for ${JSON.stringify(key)} must be at most 256 characters.`,
        attribute,
      );
    }
  }
  return { ...value };
}

/** maxResults as every Amazon MQ list takes it: an integer from 5 to 100, 20 when omitted. */
export function maxResults(query: URLSearchParams): number {
  const raw = query.get("maxResults");
  if (raw === null) return 20;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 5 || value > 100) {
    throw badRequest(
      `maxResults must be an integer from 5 to 100; got ${JSON.stringify(raw)}.`,
      "maxResults",
    );
  }
  return value;
}

/** Base64 of a configuration revision, decoded; refuses what is not base64. */
export function base64Data(value: string, attribute = "data"): string {
  const compact = value.replace(/\s+/g, "");
  if (compact === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw badRequest(`${attribute} must be the configuration's XML encoded in base64.`, attribute);
  }
  return Buffer.from(compact, "base64").toString("utf8");
}
