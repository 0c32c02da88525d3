import type {
  AuthenticationStrategy,
  BrokerState,
  BrokerStorageType,
  ChangeType,
  DeploymentMode,
} from "../../functions/lib/amazon-mq.js";
import type { InstancePorts } from "../brokers/types.js";
import { BrokerStateConflict } from "./exceptions.js";
import type { LdapRecord } from "./ldap.js";

export type { BrokerState, DeploymentMode } from "../../functions/lib/amazon-mq.js";

/**
 * The Amazon MQ control plane's durable state (one JSON file, mode 0600: it holds the users'
 * passwords) and the broker state machine's rules, pure.
 */

export interface WeeklyStartTime {
  dayOfWeek: string;
  timeOfDay: string;
  timeZone: string;
}

/** The strategies the local Amazon MQ runs (CONFIG_MANAGED is RabbitMQ's). */
export type BrokerAuthentication = typeof AuthenticationStrategy.SIMPLE | typeof AuthenticationStrategy.LDAP;

export interface UserSettings {
  password: string;
  consoleAccess: boolean;
  groups: string[];
  replicationUser: boolean;
}

export type PendingChange = ChangeType;

/**
 * A broker user. `active` is what the running broker has (absent for a user whose creation waits for
 * a reboot); `pending` is what the next reboot applies.
 */
export interface UserRecord {
  username: string;
  active?: UserSettings;
  pending?: { change: PendingChange; settings?: UserSettings };
}

export interface ConfigurationRef {
  id: string;
  revision: number;
}

export interface BrokerRecord {
  id: string;
  arn: string;
  name: string;
  created: string;
  state: BrokerState;
  /** Why the broker is CREATION_FAILED or CRITICAL_ACTION_REQUIRED, passwords masked. */
  problem?: { code: string; info: string };
  deploymentMode: DeploymentMode;
  engineVersion: string;
  pendingEngineVersion?: string;
  hostInstanceType: string;
  pendingHostInstanceType?: string;
  storageType: BrokerStorageType;
  autoMinorVersionUpgrade: boolean;
  publiclyAccessible: boolean;
  authenticationStrategy: BrokerAuthentication;
  /** LDAP brokers: the directory, the service account's password sealed (local/mq/ldap.ts). */
  ldapServerMetadata?: LdapRecord;
  configuration: { current: ConfigurationRef; history: ConfigurationRef[]; pending?: ConfigurationRef };
  encryptionOptions: { useAwsOwnedKey: boolean; kmsKeyId?: string };
  logs: { general: boolean; audit: boolean };
  maintenanceWindowStartTime: WeeklyStartTime;
  securityGroups: string[];
  subnetIds: string[];
  tags: Record<string, string>;
  users: UserRecord[];
  ports: InstancePorts[];
  creatorRequestId?: string;
  /** A digest of the CreateBroker request, to tell a retry from a different request with the same token. */
  requestDigest?: string;
  /** Cross-region data replication (CRDR), see replication.ts; absent for dataReplicationMode NONE. */
  replication?: ReplicationRecord;
}

export type ReplicationRole = "PRIMARY" | "REPLICA";

/** A broker's side of a CRDR pair; `pending` until a reboot applies it (the primary of a new replica). */
export interface ReplicationRecord {
  role: ReplicationRole;
  counterpart: { brokerId: string; region: string };
  pending?: boolean;
}

export interface RevisionRecord {
  revision: number;
  created: string;
  description: string;
  /** base64 of the `<broker>` XML, as the API carries it. */
  data: string;
}

export interface ConfigurationRecord {
  id: string;
  arn: string;
  name: string;
  created: string;
  engineVersion: string;
  authenticationStrategy: BrokerAuthentication;
  tags: Record<string, string>;
  revisions: RevisionRecord[];
}

export interface MqState {
  brokers: Record<string, BrokerRecord>;
  configurations: Record<string, ConfigurationRecord>;
}

export const emptyState = (): MqState => ({ brokers: {}, configurations: {} });

/** States in which the broker's settings may be changed (UpdateBroker) or it may be rebooted. */
const CHANGEABLE: readonly BrokerState[] = ["RUNNING", "CRITICAL_ACTION_REQUIRED"];
/** States DeleteBroker accepts: a broker with an operation in progress must finish it first. */
const DELETABLE: readonly BrokerState[] = ["RUNNING", "CREATION_FAILED", "CRITICAL_ACTION_REQUIRED"];

function refuse(broker: BrokerRecord, operation: string, allowed: readonly BrokerState[]): never {
  throw new BrokerStateConflict(broker.id, broker.state, operation, allowed);
}

export function assertCanUpdate(broker: BrokerRecord): void {
  if (!CHANGEABLE.includes(broker.state)) refuse(broker, "UpdateBroker", CHANGEABLE);
}

export function assertCanReboot(broker: BrokerRecord): void {
  if (!CHANGEABLE.includes(broker.state)) refuse(broker, "RebootBroker", CHANGEABLE);
}

export function assertCanDelete(broker: BrokerRecord): void {
  if (!DELETABLE.includes(broker.state)) refuse(broker, "DeleteBroker", DELETABLE);
}

/** User changes are staged in any state but while the broker is being deleted or failed to create. */
export function assertCanChangeUsers(broker: BrokerRecord, operation: string): void {
  const allowed: BrokerState[] = [
    "CREATION_IN_PROGRESS",
    "RUNNING",
    "REBOOT_IN_PROGRESS",
    "CRITICAL_ACTION_REQUIRED",
  ];
  if (!allowed.includes(broker.state)) refuse(broker, operation, allowed);
}

/** The users a broker has once its pending changes apply: what the runtime starts it with. */
export function effectiveUsers(broker: BrokerRecord): { username: string; settings: UserSettings }[] {
  return broker.users.flatMap((user) => {
    if (user.pending?.change === "DELETE") return [];
    const settings = user.pending?.settings ?? user.active;
    return settings === undefined ? [] : [{ username: user.username, settings }];
  });
}

/** Applies what UpdateBroker and the user APIs staged; RebootBroker calls it before restarting. */
export function applyPendingChanges(broker: BrokerRecord): void {
  const { configuration } = broker;
  if (configuration.pending !== undefined) {
    configuration.history.push(configuration.current);
    configuration.current = configuration.pending;
    configuration.pending = undefined;
  }
  if (broker.pendingEngineVersion !== undefined) {
    broker.engineVersion = broker.pendingEngineVersion;
    broker.pendingEngineVersion = undefined;
  }
  if (broker.pendingHostInstanceType !== undefined) {
    broker.hostInstanceType = broker.pendingHostInstanceType;
    broker.pendingHostInstanceType = undefined;
  }
  broker.users = effectiveUsers(broker).map(({ username, settings }) => ({ username, active: settings }));
  if (broker.replication?.pending === true) broker.replication = { ...broker.replication, pending: false };
}

/** Replaces every password of the broker's users in a message with asterisks. */
export function maskPasswords(broker: BrokerRecord, message: string): string {
  const passwords = broker.users.flatMap((user) =>
    [user.active?.password, user.pending?.settings?.password].filter(
      (password): password is string => password !== undefined && password !== "",
    ),
  );
  return passwords.reduce((text, password) => text.split(password).join("********"), message);
}
