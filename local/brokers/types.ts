import type { DeploymentMode } from "../../functions/lib/amazon-mq.js";
import type { LdapServerMetadata } from "../../functions/lib/ldap-server-metadata.js";

/**
 * The contract between the Amazon MQ control plane (local/mq) and the real ActiveMQ processes
 * (local/brokers). The control plane owns the state (what Amazon MQ's API shows); the runtime owns
 * processes, ports on 127.0.0.1 and data directories.
 */
export type { DeploymentMode };

export interface BrokerUser {
  username: string;
  password: string;
  groups?: string[];
  consoleAccess?: boolean;
}

/** The loopback ports one broker instance listens on. Allocated once, kept for the broker's life. */
export interface InstancePorts {
  openwire: number;
  stomp: number;
}

/**
 * An LDAP broker's directory (Amazon MQ's LdapServerMetadata, with the service account's password):
 * the runtime renders ActiveMQ's JAAS LDAPLoginModule from it and points the configuration's
 * cachedLDAPAuthorizationMap at the same directory. Hosts are reached over plain LDAP (port 389
 * unless given): the local brokers have no TLS.
 */
export interface BrokerLdap extends LdapServerMetadata {
  serviceAccountPassword: string;
}

export interface BrokerRunSpec {
  brokerId: string;
  brokerName: string;
  deploymentMode: DeploymentMode;
  /** The configuration revision's data: Amazon MQ's `<broker>` element (activemq.xml), decoded. */
  configurationXml: string;
  users: BrokerUser[];
  /** Set for an LDAP broker: clients authenticate against this directory, not against `users`. */
  ldap?: BrokerLdap;
  /** From `allocatePorts`, stored by the control plane so endpoints never change across restarts. */
  ports: InstancePorts[];
  /**
   * Cross-region data replication (local/mq/replication.ts): every message sent to a queue is also
   * copied to the topic `<prefix><queue>` (ActiveMQ's mirrored queues), which the control plane's
   * one-way bridge forwards to the replica.
   */
  mirrorQueuesPrefix?: string;
}

export interface InstanceStatus {
  ports: InstancePorts;
  /** The JVM's pid while it runs. */
  pid?: number;
  /** Holds the KahaDB lock and accepts connections (the standby of an active/standby pair does not). */
  active: boolean;
  /** JVMs the runtime started to replace this instance's dead ones since the broker was started. */
  restarts?: number;
  /** The instance died and the runtime gave up restarting it: it stays down until the broker is restarted. */
  gaveUp?: boolean;
}

/** What `kill` is asked to do (fault injection). */
export interface KillOptions {
  /** 1-based instance number; every running instance when absent. */
  instance?: number;
  /** Use up the instance's restarts first, so the runtime gives up on it at once. */
  exhaustRestarts?: boolean;
}

export interface BrokerRuntime {
  /** Free loopback ports for the mode's instances: 1 for SINGLE_INSTANCE, 2 for ACTIVE_STANDBY_MULTI_AZ, 3 for CLUSTER_MULTI_AZ. */
  allocatePorts(mode: DeploymentMode): Promise<InstancePorts[]>;
  /**
   * Renders activemq.xml from the spec and starts the processes. Resolves once the broker accepts
   * connections (one instance of an active/standby pair, every instance of a cluster); rejects with
   * a message that says why when it cannot start (bad configuration, port taken), leaving nothing running.
   */
  start(spec: BrokerRunSpec): Promise<void>;
  /**
   * Restarts a running broker with a new spec (RebootBroker): an active/standby pair one instance
   * at a time, standby first, so it keeps serving. Optional: without it a reboot is stop then start.
   */
  reboot?(spec: BrokerRunSpec): Promise<void>;
  /** Stops the broker's processes (SIGTERM, then SIGKILL); keeps its data (messages survive). */
  stop(brokerId: string): Promise<void>;
  /** Stops, then deletes the broker's data directory. */
  destroy(brokerId: string): Promise<void>;
  status(brokerId: string): InstanceStatus[];
  /** Stops every process it started; called on shutdown and from process exit handlers. */
  stopAll(): Promise<void>;
  /**
   * Kills instances with SIGKILL, as a crash would (fault injection, `mqops chaos kill`); resolves
   * with the 1-based numbers of the instances killed, none when the broker does not run. Optional.
   */
  kill?(brokerId: string, options?: KillOptions): Promise<number[]>;
}
