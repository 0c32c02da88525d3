import {
  AuthenticationStrategy,
  BROKER_NAME,
  BrokerStorageType,
  CONFIGURATION_NAME,
  DAYS_OF_WEEK,
  DEFAULT_STORAGE_TYPE,
  DEPLOYMENT_MODES,
  DeploymentMode,
  ENGINE_TYPE,
  ENGINE_VERSIONS_NEWEST_FIRST,
  HOST_INSTANCE_TYPES,
  isSupportedEngineVersion,
  LATEST_ENGINE_VERSION,
  MAJOR_MINOR_ONLY_FROM,
  MAX_GROUPS_PER_USER,
  MAX_RESULTS,
  PASSWORD,
  requiresAutoMinorVersionUpgrade,
  SINGLE_INSTANCE_ONLY_HOST,
  STORAGE_TYPES,
  TAGS,
  TIME_OF_DAY,
  toMajorMinor,
  USERNAME,
} from "../../functions/lib/amazon-mq.js";
import { DEFAULT_TIME_ZONE, isMaintenanceTimeZone, TIME_ZONE_RULE } from "../../functions/lib/time-zone.js";
import { BadRequestException, InvalidParameter, MissingParameter } from "./exceptions.js";
import type { Fields } from "./fields.js";
import type { BrokerAuthentication, UserSettings, WeeklyStartTime } from "./state.js";

/**
 * Amazon MQ's input rules, pure: each check returns the value it accepts or throws a
 * BadRequestException naming the member (errorAttribute) and what is wrong with it.
 */

export function brokerName(value: string, attribute = "brokerName"): string {
  if (!BROKER_NAME.test(value)) {
    throw new InvalidParameter(
      attribute,
      `must be 1-50 characters of letters, digits, '-' and '_'; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function configurationName(value: string, attribute = "name"): string {
  if (!CONFIGURATION_NAME.test(value)) {
    throw new InvalidParameter(
      attribute,
      `must be 1-150 characters of letters, digits and - . _ ~; got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** This local Amazon MQ runs ActiveMQ only; RabbitMQ brokers are refused. */
export function engineType(value: string | undefined, attribute = "engineType"): typeof ENGINE_TYPE {
  if (value === undefined) throw new MissingParameter(attribute);
  if (value.toUpperCase() !== ENGINE_TYPE) {
    throw new InvalidParameter(
      attribute,
      `${JSON.stringify(value)} is not supported: the local Amazon MQ runs ACTIVEMQ brokers only`,
    );
  }
  return ENGINE_TYPE;
}

/** Accepts major.minor or a full version (5.18.4) and keeps major.minor, as Amazon MQ does since 5.18. */
export function engineVersion(value: string | undefined, attribute = "engineVersion"): string {
  if (value === undefined) return LATEST_ENGINE_VERSION;
  const majorMinor = toMajorMinor(value);
  if (!isSupportedEngineVersion(majorMinor)) {
    throw new InvalidParameter(
      attribute,
      `${JSON.stringify(value)} is not supported for ACTIVEMQ; supported: ${ENGINE_VERSIONS_NEWEST_FIRST.join(", ")}`,
    );
  }
  return majorMinor;
}

/** Amazon MQ requires automatic minor version upgrades for ActiveMQ 5.18 and later. */
export function autoMinorVersionUpgrade(value: boolean | undefined, version: string): boolean {
  if (value === false && requiresAutoMinorVersionUpgrade(version)) {
    throw new InvalidParameter(
      "autoMinorVersionUpgrade",
      `must be true for ActiveMQ ${version} (required for ${MAJOR_MINOR_ONLY_FROM} and later)`,
    );
  }
  return true;
}

export function deploymentMode(value: string | undefined): DeploymentMode {
  if (value === undefined) throw new MissingParameter("deploymentMode");
  const mode = DEPLOYMENT_MODES.find((candidate) => candidate === value);
  if (mode === undefined) {
    throw new InvalidParameter(
      "deploymentMode",
      `${JSON.stringify(value)} is not valid; use one of ${DEPLOYMENT_MODES.join(", ")}`,
    );
  }
  return mode;
}

export function hostInstanceType(value: string | undefined, mode: DeploymentMode): string {
  if (value === undefined) throw new MissingParameter("hostInstanceType");
  if (!(HOST_INSTANCE_TYPES as readonly string[]).includes(value)) {
    throw new InvalidParameter(
      "hostInstanceType",
      `${JSON.stringify(value)} is not available for ACTIVEMQ; use one of ${HOST_INSTANCE_TYPES.join(", ")}`,
    );
  }
  if (value === SINGLE_INSTANCE_ONLY_HOST && mode !== DeploymentMode.SINGLE_INSTANCE) {
    throw new InvalidParameter(
      "hostInstanceType",
      `${SINGLE_INSTANCE_ONLY_HOST} supports SINGLE_INSTANCE only, not ${mode}`,
    );
  }
  return value;
}

export function storageType(value: string | undefined, mode: DeploymentMode): BrokerStorageType {
  const type =
    value === undefined ? DEFAULT_STORAGE_TYPE : STORAGE_TYPES.find((candidate) => candidate === value);
  if (type === undefined) {
    throw new InvalidParameter(
      "storageType",
      `${JSON.stringify(value)} is not valid; use ${STORAGE_TYPES.join(" or ")}`,
    );
  }
  if (type === BrokerStorageType.EBS && mode !== DeploymentMode.SINGLE_INSTANCE) {
    throw new InvalidParameter(
      "storageType",
      `EBS supports SINGLE_INSTANCE only; ${mode} needs EFS (shared storage)`,
    );
  }
  return type;
}

export function authenticationStrategy(value: string | undefined): BrokerAuthentication {
  if (value === undefined || value === AuthenticationStrategy.SIMPLE) return AuthenticationStrategy.SIMPLE;
  if (value === AuthenticationStrategy.LDAP) return AuthenticationStrategy.LDAP;
  throw new InvalidParameter(
    "authenticationStrategy",
    `${JSON.stringify(value)} is not valid; use SIMPLE or LDAP`,
  );
}

export function maintenanceWindow(fields: Fields | undefined): WeeklyStartTime | undefined {
  if (fields === undefined) return undefined;
  const day = fields.requiredString("dayOfWeek");
  if (!(DAYS_OF_WEEK as readonly string[]).includes(day)) {
    throw new BadRequestException(
      `dayOfWeek ${JSON.stringify(day)} is not a day; use one of ${DAYS_OF_WEEK.join(", ")}.`,
      fields.attribute("dayOfWeek"),
    );
  }
  const time = fields.requiredString("timeOfDay");
  if (!TIME_OF_DAY.test(time)) {
    throw new BadRequestException(
      `timeOfDay ${JSON.stringify(time)} must be HH:MM (24-hour).`,
      fields.attribute("timeOfDay"),
    );
  }
  const timeZone = fields.string("timeZone") ?? DEFAULT_TIME_ZONE;
  if (!isMaintenanceTimeZone(timeZone)) {
    throw new BadRequestException(
      `timeZone ${JSON.stringify(timeZone.slice(0, 64))} is not valid: it ${TIME_ZONE_RULE}.`,
      fields.attribute("timeZone"),
    );
  }
  return { dayOfWeek: day, timeOfDay: time, timeZone };
}

export function username(value: string, attribute = "username"): string {
  if (!USERNAME.test(value)) {
    throw new InvalidParameter(
      attribute,
      `must be 2-100 characters of letters, digits and - . _ ~ (${value.length} characters given)`,
    );
  }
  return value;
}

/** Amazon MQ's password rules. The message describes the rule broken, never the password. */
export function password(value: string | undefined, attribute = "password"): string {
  if (value === undefined || value === "") throw new MissingParameter(attribute);
  if (value.length < PASSWORD.minLength || value.length > PASSWORD.maxLength) {
    throw new InvalidParameter(
      attribute,
      `must be ${PASSWORD.minLength}-${PASSWORD.maxLength} characters long`,
    );
  }
  if (new Set(value).size < PASSWORD.minUniqueCharacters) {
    throw new InvalidParameter(
      attribute,
      `must contain at least ${PASSWORD.minUniqueCharacters} unique characters`,
    );
  }
  if (PASSWORD.forbidden.test(value)) {
    throw new InvalidParameter(attribute, "must not contain commas, colons or equal signs (, : =)");
  }
  return value;
}

export function groups(value: string[] | undefined, attribute = "groups"): string[] {
  if (value === undefined) return [];
  if (value.length > MAX_GROUPS_PER_USER) {
    throw new InvalidParameter(attribute, `must have at most ${MAX_GROUPS_PER_USER} groups`);
  }
  for (const group of value) {
    if (!USERNAME.test(group)) {
      throw new InvalidParameter(
        attribute,
        `entry ${JSON.stringify(group)} must be 2-100 characters of letters, digits and - . _ ~`,
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
  if (entries.length > TAGS.max) throw new InvalidParameter(attribute, `must have at most ${TAGS.max} tags`);
  for (const [key, tagValue] of entries) {
    if (key.length < 1 || key.length > TAGS.keyMaxLength) {
      throw new InvalidParameter(
        attribute,
        `key ${JSON.stringify(key)} must be 1-${TAGS.keyMaxLength} characters`,
      );
    }
    if (key.toLowerCase().startsWith(TAGS.reservedPrefix)) {
      throw new InvalidParameter(
        attribute,
        `key ${JSON.stringify(key)} must not start with ${TAGS.reservedPrefix}`,
      );
    }
    if (tagValue.length > TAGS.valueMaxLength) {
      throw new InvalidParameter(
        attribute,
        `value for ${JSON.stringify(key)} must be at most ${TAGS.valueMaxLength} characters`,
      );
    }
  }
  return { ...value };
}

/** maxResults as every Amazon MQ list takes it: an integer from 5 to 100, 20 when omitted. */
export function maxResults(query: URLSearchParams): number {
  const raw = query.get("maxResults");
  if (raw === null) return MAX_RESULTS.default;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MAX_RESULTS.min || value > MAX_RESULTS.max) {
    throw new InvalidParameter(
      "maxResults",
      `must be an integer from ${MAX_RESULTS.min} to ${MAX_RESULTS.max}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** Base64 of a configuration revision, decoded; refuses what is not base64. */
export function base64Data(value: string, attribute = "data"): string {
  const compact = value.replace(/\s+/g, "");
  if (compact === "" || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new InvalidParameter(attribute, "must be the configuration's XML encoded in base64");
  }
  return Buffer.from(compact, "base64").toString("utf8");
}
