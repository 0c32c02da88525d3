import {
  AuthenticationStrategy,
  BrokerState,
  BrokerStorageType,
  ChangeType,
  DataReplicationMode,
  DayOfWeek,
  DeploymentMode,
  EngineType,
  PromoteMode,
  SanitizationWarningReason,
} from "@aws-sdk/client-mq";

/**
 * Amazon MQ's documented rules for ActiveMQ brokers, declared once: the API (functions/) validates
 * requests with them and the local control plane (local/mq) enforces them. Pure. The enums are the
 * SDK's own; the rest is from the Amazon MQ API Reference and Developer Guide.
 */

export {
  AuthenticationStrategy,
  BrokerState,
  BrokerStorageType,
  ChangeType,
  DataReplicationMode,
  DayOfWeek,
  DeploymentMode,
  EngineType,
  PromoteMode,
  SanitizationWarningReason,
};

export const ENGINE_TYPE = EngineType.ACTIVEMQ;

/** ActiveMQ versions Amazon MQ creates brokers on (major.minor), oldest first. */
export const ENGINE_VERSIONS = ["5.18", "5.19"] as const;
export type SupportedEngineVersion = (typeof ENGINE_VERSIONS)[number];
/** Newest first, as DescribeBrokerEngineTypes and DescribeBrokerInstanceOptions list them. */
export const ENGINE_VERSIONS_NEWEST_FIRST: readonly SupportedEngineVersion[] = [...ENGINE_VERSIONS].reverse();
export const OLDEST_ENGINE_VERSION: SupportedEngineVersion = ENGINE_VERSIONS[0];
export const LATEST_ENGINE_VERSION: SupportedEngineVersion =
  ENGINE_VERSIONS[ENGINE_VERSIONS.length - 1] ?? OLDEST_ENGINE_VERSION;

/**
 * From this version on, CreateBroker and UpdateBroker take major.minor only (Amazon MQ applies the
 * patches) and autoMinorVersionUpgrade must be true.
 */
export const MAJOR_MINOR_ONLY_FROM: SupportedEngineVersion = OLDEST_ENGINE_VERSION;

/** `5.18.4` → `5.18`: Amazon MQ names 5.18 and later by major.minor. */
export const toMajorMinor = (version: string) => version.trim().split(".").slice(0, 2).join(".");

export const isSupportedEngineVersion = (version: string): version is SupportedEngineVersion =>
  (ENGINE_VERSIONS as readonly string[]).includes(version);

/** Compares two versions by major, then minor (patches are ignored). */
export function compareMajorMinor(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export const requiresAutoMinorVersionUpgrade = (version: string) =>
  compareMajorMinor(version, MAJOR_MINOR_ONLY_FROM) >= 0;

/** In the order the API's messages list them. */
export const DEPLOYMENT_MODES = [
  DeploymentMode.SINGLE_INSTANCE,
  DeploymentMode.ACTIVE_STANDBY_MULTI_AZ,
  DeploymentMode.CLUSTER_MULTI_AZ,
] as const;

/** The burstable type runs one instance only. */
export const SINGLE_INSTANCE_ONLY_HOST = "mq.t3.micro";
/** The smallest type every deployment mode runs on: mqops' default where a caller names none. */
export const DEFAULT_HOST_INSTANCE_TYPE = "mq.m5.large";
export const HOST_INSTANCE_TYPES = [
  SINGLE_INSTANCE_ONLY_HOST,
  DEFAULT_HOST_INSTANCE_TYPE,
  "mq.m5.xlarge",
  "mq.m5.2xlarge",
  "mq.m5.4xlarge",
] as const;
export type HostInstanceType = (typeof HOST_INSTANCE_TYPES)[number];

/** EFS is the default; EBS (lower latency, one instance) is for SINGLE_INSTANCE brokers only. */
export const STORAGE_TYPES = [BrokerStorageType.EFS, BrokerStorageType.EBS] as const;
export const DEFAULT_STORAGE_TYPE = BrokerStorageType.EFS;

/** Deployment modes a host type and storage type run, as DescribeBrokerInstanceOptions lists them. */
export function supportedDeploymentModes(host: string, storage: BrokerStorageType): DeploymentMode[] {
  if (host === SINGLE_INSTANCE_ONLY_HOST || storage === BrokerStorageType.EBS) {
    return [DeploymentMode.SINGLE_INSTANCE];
  }
  return [...DEPLOYMENT_MODES];
}

/** Subnets a deployment mode takes; none means Amazon MQ picks the default VPC's. */
export function subnetCountIssue(mode: DeploymentMode, count: number): string | undefined {
  if (mode === DeploymentMode.SINGLE_INSTANCE && count > 1) {
    return "must have at most one subnet for SINGLE_INSTANCE";
  }
  if (mode === DeploymentMode.ACTIVE_STANDBY_MULTI_AZ && count !== 0 && count !== 2) {
    return "must have exactly two subnets (in two Availability Zones) for ACTIVE_STANDBY_MULTI_AZ";
  }
  if (mode === DeploymentMode.CLUSTER_MULTI_AZ && count === 1) {
    return "must have at least two subnets for CLUSTER_MULTI_AZ";
  }
  return undefined;
}

export const AUTHENTICATION_STRATEGIES = [
  AuthenticationStrategy.SIMPLE,
  AuthenticationStrategy.LDAP,
] as const;

/** Monday first, as a week is counted for maintenance windows. */
export const DAYS_OF_WEEK = [
  DayOfWeek.MONDAY,
  DayOfWeek.TUESDAY,
  DayOfWeek.WEDNESDAY,
  DayOfWeek.THURSDAY,
  DayOfWeek.FRIDAY,
  DayOfWeek.SATURDAY,
  DayOfWeek.SUNDAY,
] as const;
/** maintenanceWindowStartTime.timeOfDay: 24-hour HH:MM. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Broker names: 1-50 of letters, digits, - and _. */
export const BROKER_NAME = /^[A-Za-z0-9_-]{1,50}$/;
/** Configuration names: 1-150 of letters, digits and - . _ ~. */
export const CONFIGURATION_NAME = /^[A-Za-z0-9._~-]{1,150}$/;
/** Usernames and group names: 2-100 of letters, digits and - . _ ~. */
export const USERNAME = /^[A-Za-z0-9._~-]{2,100}$/;
export const MAX_USERS = 250;
export const MAX_GROUPS_PER_USER = 20;
export const MAX_REPLICATION_USERS = 1;

/** Amazon MQ's password rules; the rule broken is named, never the password. */
export const PASSWORD = {
  minLength: 12,
  maxLength: 250,
  minUniqueCharacters: 4,
  /** Commas, colons and equal signs are refused. */
  forbidden: /[,:=]/,
} as const;

/** Tags, as Amazon MQ (and AWS generally) takes them. */
export const TAGS = { max: 50, keyMaxLength: 128, valueMaxLength: 256, reservedPrefix: "aws:" } as const;

/** Every list operation's maxResults: 5-100, 20 when omitted. */
export const MAX_RESULTS = { min: 5, max: 100, default: 20 } as const;

/** Configuration quota: revisions per configuration. */
export const MAX_REVISIONS_PER_CONFIGURATION = 300;

/**
 * Child elements of `<broker>` that Amazon MQ keeps in an ActiveMQ configuration; it removes any
 * other ("Elements permitted in Amazon MQ for ActiveMQ configurations").
 */
export const PERMITTED_BROKER_CHILDREN: ReadonlySet<string> = new Set([
  "destinationInterceptors",
  "destinationPolicy",
  "destinations",
  "networkConnectors",
  "persistenceAdapter",
  "plugins",
  "systemUsage",
  "transportConnectors",
]);

/** Attributes of `<broker>` Amazon MQ accepts in a configuration; it drops the others. */
export const PERMITTED_BROKER_ATTRIBUTES: ReadonlySet<string> = new Set([
  "advisorySupport",
  "allowTempAutoCreationOnSend",
  "cacheTempDestinations",
  "consumerSystemUsagePortion",
  "dedicatedTaskRunner",
  "deleteAllMessagesOnStartup",
  "enableStatistics",
  "keepDurableSubsActive",
  "maxPurgedDestinationsPerSweep",
  "maxSchedulerRepeatAllowed",
  "monitorConnectionSplits",
  "offlineDurableSubscriberTaskSchedule",
  "offlineDurableSubscriberTimeout",
  "persistenceThreadPriority",
  "populateJMSXUserID",
  "producerSystemUsagePortion",
  "rejectDurableConsumers",
  "rollbackOnlyOnAsyncException",
  "schedulePeriodForDestinationPurge",
  "schedulerSupport",
  "splitSystemUsageForProducersConsumers",
  "taskRunnerPriority",
  "timeBeforePurgeTempDestinations",
  "useAuthenticatedPrincipalForJMSXUserID",
  "useMirroredQueues",
  "useTempMirroredQueues",
  "useVirtualDestSubs",
  "useVirtualDestSubsOnCreation",
  "useVirtualTopics",
]);
