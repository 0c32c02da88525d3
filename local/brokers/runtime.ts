import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BrokerAlreadyRunningError, BrokerConfigurationError, BrokerStartError } from "./errors.js";
import { brokerDirectory, type InstanceLayout, instanceCount, instanceLayout } from "./layout.js";
import { acceptsConnections, allocateInstancePorts, isPortFree } from "./ports.js";
import { ActiveMqProcess, STOP_GRACE_MS, stopOrphan } from "./process.js";
import { renderActiveMqXml, renderExtraFiles, renderLog4jProperties } from "./render.js";
import { NODE_TIMERS, type SupervisionTimers } from "./supervision-timers.js";
import {
  DEFAULT_RESTART_POLICY,
  decideAfterExit,
  FRESH_SUPERVISION,
  mayScheduleRestart,
  type RestartPolicy,
  type SupervisionRecord,
} from "./supervisor.js";
import type {
  BrokerRunSpec,
  BrokerRuntime,
  BrokerUser,
  DeploymentMode,
  InstancePorts,
  InstanceStatus,
  KillOptions,
} from "./types.js";

export interface ActiveMqRuntimeOptions {
  /** Root of the brokers' files: `<dataDir>/<brokerId>/instance-<n>/…` (and `shared/` for a pair). */
  dataDir: string;
  /** How long `start` waits for the broker to accept connections. Default 60 s (cold JVMs on 2 cores). */
  startTimeoutMs?: number;
  /** The `java` executable. Default `java` from the PATH. */
  javaCommand?: string;
  /** When and how often an instance whose JVM dies on its own is restarted. */
  restartPolicy?: RestartPolicy;
  /** What schedules the supervisor's restarts and failover polls. Default Node's timers. */
  timers?: SupervisionTimers;
}

/** The user a cluster's network connectors log in to their peers as; its password is new on every start. */
export const NETWORK_USERNAME = "mqops-network-bridge";
/**
 * The user the local metrics collector (local/metrics) reads each broker's statistics as; its
 * password is new on every start. `+` is not among Amazon MQ's user-name characters
 * ([A-Za-z0-9._~-]), so no customer user can have this name.
 */
export const MONITOR_USERNAME = "mqops+monitor";

/** What the metrics collector needs to read a started broker: where its instances listen, and as whom. */
export interface MonitoringTarget {
  brokerId: string;
  brokerName: string;
  deploymentMode: DeploymentMode;
  /** `index` is 1-based (the suffix of Amazon MQ's `Broker` dimension). */
  instances: Array<{ index: number; host: string; stompPort: number }>;
  monitorUser: { username: string; password: string };
}

/** How often `start` checks whether the instances accept connections. */
const READY_POLL_MS = 100;
/** How often a dead instance of an active/standby pair checks whether its partner has taken over. */
const FAILOVER_POLL_MS = 250;
/** How long a restarted instance must keep running before the next one is restarted. */
const RESTART_SETTLE_MS = 1_500;

interface RunningInstance {
  index: number;
  ports: InstancePorts;
  layout: InstanceLayout;
  /** The current JVM; replaced when the supervisor restarts the instance. */
  process: ActiveMqProcess;
  spawnedAt: number;
  /** Last seen accepting connections on its OpenWire port. */
  active: boolean;
  supervision: SupervisionRecord;
  /** The pending step of a restart (waiting for a failover, then the backoff). */
  pendingRestart?: { cancel(): void };
  /** Set while `reboot` replaces this JVM on purpose: its exit is not a crash to supervise. */
  replacing?: boolean;
  /** The supervisor gave up restarting it (until the broker is stopped and started again). */
  gaveUp?: boolean;
}

interface RunningBroker {
  brokerName: string;
  deploymentMode: DeploymentMode;
  monitorUser: BrokerUser;
  instances: RunningInstance[];
  /** Set once `start` has resolved: from then on a JVM that exits is restarted. */
  supervised: boolean;
  /** Set as `stop`, `destroy`, `stopAll` or a failed `start` begins: nothing may be restarted. */
  stopping: boolean;
  /** Passwords, removed from any failure message (a JVM error could quote the configuration). */
  secrets: string[];
}

function expectedPorts(spec: BrokerRunSpec): void {
  const needed = instanceCount(spec.deploymentMode);
  if (spec.ports.length !== needed) {
    throw new BrokerConfigurationError(
      `a ${spec.deploymentMode} broker needs ports for ${needed} instance(s), got ${spec.ports.length}`,
    );
  }
}

function redact(text: string, secrets: string[]): string {
  return secrets
    .filter((secret) => secret !== "")
    .reduce((out, secret) => out.replaceAll(secret, "****"), text);
}

/** Writes the instance's files; they hold passwords, so they and their directory are private. */
function writeInstanceFiles(
  layout: InstanceLayout,
  activemqXml: string,
  extraFiles: Record<string, string> = {},
): void {
  mkdirSync(layout.dataDirectory, { recursive: true, mode: 0o700 });
  mkdirSync(layout.kahaDbDirectory, { recursive: true, mode: 0o700 });
  writeFileSync(layout.configFile, activemqXml, { mode: 0o600 });
  for (const [name, text] of Object.entries(extraFiles)) {
    writeFileSync(path.join(layout.dir, name), text, { mode: 0o600 });
  }
  writeFileSync(layout.log4jFile, renderLog4jProperties(layout.logFile), { mode: 0o600 });
}

/**
 * Amazon MQ brokers as real, supervised ActiveMQ JVMs on 127.0.0.1 (what each mode runs and how
 * restarts go: README.md, "The local cloud", Real brokers). JVMs a SIGKILLed Node left behind are
 * found by their pid files and killed by the next `start`, `stop` or `destroy` of their broker.
 */
export class ActiveMqRuntime implements BrokerRuntime {
  private readonly dataDir: string;
  private readonly startTimeoutMs: number;
  private readonly javaCommand: string;
  private readonly restartPolicy: RestartPolicy;
  private readonly timers: SupervisionTimers;
  private readonly brokers = new Map<string, RunningBroker>();
  /** Ports of brokers started before, so `status` of a stopped broker still lists its instances. */
  private readonly knownPorts = new Map<string, InstancePorts[]>();

  constructor(options: ActiveMqRuntimeOptions) {
    this.dataDir = options.dataDir;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.javaCommand = options.javaCommand ?? "java";
    this.restartPolicy = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
    this.timers = options.timers ?? NODE_TIMERS;
  }

  allocatePorts(mode: DeploymentMode): Promise<InstancePorts[]> {
    return allocateInstancePorts(instanceCount(mode));
  }

  async start(spec: BrokerRunSpec): Promise<void> {
    if (this.brokers.has(spec.brokerId)) throw new BrokerAlreadyRunningError(spec.brokerId);
    expectedPorts(spec);
    const networkUser: BrokerUser | undefined =
      spec.deploymentMode === "CLUSTER_MULTI_AZ"
        ? { username: NETWORK_USERNAME, password: randomBytes(24).toString("base64url"), groups: ["admins"] }
        : undefined;
    const monitorUser: BrokerUser = {
      username: MONITOR_USERNAME,
      password: randomBytes(24).toString("base64url"),
      groups: ["admins"],
    };
    // Render every instance before touching the disk: a bad configuration starts nothing.
    const plans = spec.ports.map((ports, index) => {
      const layout = instanceLayout(this.dataDir, spec.brokerId, spec.deploymentMode, index);
      const context = { instanceIndex: index, layout, ...(networkUser ? { networkUser } : {}), monitorUser };
      const activemqXml = renderActiveMqXml(spec, context);
      return { index, ports, layout, activemqXml, extraFiles: renderExtraFiles(spec, context) };
    });
    const broker: RunningBroker = {
      brokerName: spec.brokerName,
      deploymentMode: spec.deploymentMode,
      monitorUser,
      instances: [],
      supervised: false,
      stopping: false,
      secrets: [
        ...[...spec.users, ...(networkUser ? [networkUser] : []), monitorUser].map((user) => user.password),
        ...(spec.ldap === undefined ? [] : [spec.ldap.serviceAccountPassword]),
      ],
    };
    // Registered before spawning so that a concurrent start is refused and stopAll sees these JVMs.
    this.brokers.set(spec.brokerId, broker);
    this.knownPorts.set(spec.brokerId, spec.ports);
    try {
      const orphans = [];
      for (const plan of plans) orphans.push(await stopOrphan(plan.layout));
      // A killed JVM's last threads can still hold its sockets for a moment after it is gone.
      const portsWaitMs = orphans.some((pid) => pid !== undefined) ? STOP_GRACE_MS : 0;
      await this.ensurePortsFree(spec.ports, portsWaitMs);
      for (const plan of plans) writeInstanceFiles(plan.layout, plan.activemqXml, plan.extraFiles);
      this.failIfStopped(spec.brokerId, broker);
      for (const { index, ports, layout } of plans) {
        const instance: RunningInstance = {
          index,
          ports,
          layout,
          process: ActiveMqProcess.spawn(layout, this.javaCommand),
          spawnedAt: Date.now(),
          active: false,
          supervision: FRESH_SUPERVISION,
        };
        broker.instances.push(instance);
        this.watch(spec.brokerId, broker, instance);
      }
      // A standby waits for the store's lock and listens on nothing: one accepting instance is the
      // pair's readiness. A cluster is ready when every member is.
      const needed = spec.deploymentMode === "ACTIVE_STANDBY_MULTI_AZ" ? 1 : broker.instances.length;
      await this.waitUntilAccepting(spec.brokerId, broker, needed);
    } catch (error) {
      await this.stopBroker(spec.brokerId, broker);
      if (error instanceof BrokerStartError) throw error;
      throw new BrokerStartError(
        `broker ${spec.brokerId} could not be started: ${redact((error as Error).message, broker.secrets)}`,
        { cause: error },
      );
    }
    broker.supervised = true;
    // A JVM that exited after the readiness check and before now was not supervised yet.
    for (const instance of broker.instances) {
      if (!instance.process.running) this.onUnexpectedExit(spec.brokerId, broker, instance);
    }
  }

  async stop(brokerId: string): Promise<void> {
    const broker = this.brokers.get(brokerId);
    if (broker !== undefined) await this.stopBroker(brokerId, broker);
    await this.stopOrphans(brokerId);
  }

  /**
   * RebootBroker with `spec`: a pair one instance at a time, standby first, so one always serves
   * (README.md, "Maintenance and upgrades", Locally); anything else is stopped and started.
   * Rejects, leaving nothing running, when the broker cannot run on `spec`.
   */
  async reboot(spec: BrokerRunSpec): Promise<void> {
    const broker = this.brokers.get(spec.brokerId);
    if (broker === undefined || spec.deploymentMode !== "ACTIVE_STANDBY_MULTI_AZ" || !broker.supervised) {
      await this.stop(spec.brokerId);
      await this.start(spec);
      return;
    }
    expectedPorts(spec);
    const rendered = spec.ports.map((_, index) => {
      const layout = instanceLayout(this.dataDir, spec.brokerId, spec.deploymentMode, index);
      const activemqXml = renderActiveMqXml(spec, { instanceIndex: index, layout });
      const context = { instanceIndex: index, layout, monitorUser: broker.monitorUser };
      return { activemqXml, extraFiles: renderExtraFiles(spec, context) };
    });
    const ldapSecret = spec.ldap === undefined ? [] : [spec.ldap.serviceAccountPassword];
    broker.secrets = [
      ...new Set([...broker.secrets, ...spec.users.map((user) => user.password), ...ldapSecret]),
    ];
    try {
      await this.refresh(broker);
      const standbys = broker.instances.filter((instance) => !instance.active);
      const actives = broker.instances.filter((instance) => instance.active);
      for (const instance of [...standbys, ...actives]) {
        const files = rendered[instance.index] ?? { activemqXml: "", extraFiles: {} };
        await this.replaceInstance(spec.brokerId, broker, instance, files.activemqXml, files.extraFiles);
      }
      await this.waitUntilAccepting(spec.brokerId, broker, 1);
    } catch (error) {
      await this.stopBroker(spec.brokerId, broker);
      if (error instanceof BrokerStartError) throw error;
      throw new BrokerStartError(
        `broker ${spec.brokerId} could not be restarted: ${redact((error as Error).message, broker.secrets)}`,
        { cause: error },
      );
    }
  }

  /** Stops one instance's JVM and starts a new one on its rewritten files (same ports). */
  private async replaceInstance(
    brokerId: string,
    broker: RunningBroker,
    instance: RunningInstance,
    activemqXml: string,
    extraFiles: Record<string, string> = {},
  ): Promise<void> {
    instance.replacing = true;
    instance.pendingRestart?.cancel();
    try {
      await instance.process.stop();
      this.failIfStopped(brokerId, broker);
      writeInstanceFiles(instance.layout, activemqXml, extraFiles);
      instance.process = ActiveMqProcess.spawn(instance.layout, this.javaCommand);
      instance.spawnedAt = Date.now();
      instance.active = false;
      instance.supervision = FRESH_SUPERVISION;
      instance.gaveUp = false;
    } finally {
      instance.replacing = false;
    }
    this.watch(brokerId, broker, instance);
    // A JVM that cannot read its new configuration exits within a moment; one that waits for the
    // lock (or serves) is still running.
    await sleep(RESTART_SETTLE_MS);
    if (!instance.process.running) {
      throw new BrokerStartError(
        `broker ${brokerId} instance ${instance.index + 1} stopped (${instance.process.describeExit()}) after the restart: ${redact(instance.process.failureReason(), broker.secrets)}`,
      );
    }
  }

  async destroy(brokerId: string): Promise<void> {
    const directory = brokerDirectory(this.dataDir, brokerId);
    await this.stop(brokerId);
    rmSync(directory, { recursive: true, force: true });
    this.knownPorts.delete(brokerId);
  }

  /**
   * The instances as last checked (when `start` resolved, by `checkStatus`, and while a dead
   * instance waits for its partner to take over); pids are always current. A stopped broker lists its
   * instances without pids; one this runtime never started, none. `restarts` counts the JVMs the
   * supervisor started to replace dead ones since `start`; an instance it gave up on has no pid.
   */
  status(brokerId: string): InstanceStatus[] {
    const broker = this.brokers.get(brokerId);
    if (broker === undefined) {
      return (this.knownPorts.get(brokerId) ?? []).map((ports) => ({ ports, active: false }));
    }
    return broker.instances.map(({ ports, process, active, supervision, gaveUp }) => ({
      ports,
      active: active && process.running,
      ...(process.running && process.pid !== undefined ? { pid: process.pid } : {}),
      ...(supervision.restarts > 0 ? { restarts: supervision.restarts } : {}),
      ...(gaveUp === true ? { gaveUp: true } : {}),
    }));
  }

  /**
   * SIGKILL, as a crash would (`mqops chaos kill`, README.md "Hardening"); `exhaustRestarts` sets the
   * failure count one short of the limit so the supervisor gives up at once. Resolves once they exited.
   */
  async kill(brokerId: string, options: KillOptions = {}): Promise<number[]> {
    const broker = this.brokers.get(brokerId);
    if (broker === undefined || broker.stopping) return [];
    const chosen = broker.instances.filter(
      (instance) =>
        instance.process.running &&
        instance.process.pid !== undefined &&
        (options.instance === undefined || instance.index + 1 === options.instance),
    );
    for (const instance of chosen) {
      if (options.exhaustRestarts === true) {
        const consecutiveFailures = Math.max(0, this.restartPolicy.maxConsecutiveFailures - 1);
        instance.supervision = { ...instance.supervision, consecutiveFailures };
        // The run that ends now must not count as a stable one that resets the count.
        instance.spawnedAt = Date.now();
      }
      process.kill(instance.process.pid ?? 0, "SIGKILL");
    }
    await Promise.all(chosen.map((instance) => instance.process.exited));
    return chosen.map((instance) => instance.index + 1);
  }

  /** Checks the instances now instead of waiting for the next periodic check, then reports them. */
  async checkStatus(brokerId: string): Promise<InstanceStatus[]> {
    const broker = this.brokers.get(brokerId);
    if (broker !== undefined) await this.refresh(broker);
    return this.status(brokerId);
  }

  /**
   * Every broker whose start has resolved and that is not being stopped, with all its instances (the
   * collector finds out which one answers) and the monitoring user's credentials, for local/metrics.
   */
  monitoringTargets(): MonitoringTarget[] {
    return [...this.brokers.entries()]
      .filter(([, broker]) => broker.supervised && !broker.stopping)
      .map(([brokerId, broker]) => ({
        brokerId,
        brokerName: broker.brokerName,
        deploymentMode: broker.deploymentMode,
        instances: broker.instances.map((instance) => ({
          index: instance.index + 1,
          host: "127.0.0.1",
          stompPort: instance.ports.stomp,
        })),
        monitorUser: { username: broker.monitorUser.username, password: broker.monitorUser.password },
      }));
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.brokers.entries()].map(([brokerId, broker]) => this.stopBroker(brokerId, broker)),
    );
  }

  /** Kills JVMs of this broker left by an earlier Node process (any instance, whatever the mode). */
  private async stopOrphans(brokerId: string): Promise<void> {
    const mostInstances = instanceCount("CLUSTER_MULTI_AZ");
    for (let index = 0; index < mostInstances; index++) {
      // Pid and configuration files do not depend on the mode.
      await stopOrphan(instanceLayout(this.dataDir, brokerId, "SINGLE_INSTANCE", index));
    }
  }

  private async ensurePortsFree(ports: InstancePorts[], waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (const [index, instance] of ports.entries()) {
      for (const [protocol, port] of Object.entries(instance)) {
        while (!(await isPortFree(port)) && Date.now() < deadline) await sleep(READY_POLL_MS);
        if (!(await isPortFree(port))) {
          throw new BrokerStartError(
            `port ${port} (${protocol} of instance ${index + 1}) on 127.0.0.1 is already in use`,
          );
        }
      }
    }
  }

  private async refresh(broker: RunningBroker): Promise<void> {
    await Promise.all(
      broker.instances.map(async (instance) => {
        instance.active = instance.process.running && (await acceptsConnections(instance.ports.openwire));
      }),
    );
  }

  /** `stop` (or `stopAll`) was called while this start was under way: spawn nothing more. */
  private failIfStopped(brokerId: string, broker: RunningBroker): void {
    if (this.brokers.get(brokerId) !== broker) {
      throw new BrokerStartError(`broker ${brokerId} was stopped while it was starting`);
    }
  }

  /** Polls until `needed` instances accept OpenWire and STOMP; fails as soon as any JVM exits. */
  private async waitUntilAccepting(brokerId: string, broker: RunningBroker, needed: number): Promise<void> {
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      this.failIfStopped(brokerId, broker);
      const exited = broker.instances.find((instance) => !instance.process.running);
      if (exited !== undefined) {
        throw new BrokerStartError(
          `broker ${brokerId} instance ${exited.index + 1} stopped (${exited.process.describeExit()}) before accepting connections: ${redact(exited.process.failureReason(), broker.secrets)}`,
        );
      }
      const accepting = await Promise.all(
        broker.instances.map(
          async ({ ports }) =>
            (await acceptsConnections(ports.openwire)) && (await acceptsConnections(ports.stomp)),
        ),
      );
      broker.instances.forEach((instance, index) => {
        instance.active = accepting[index] === true;
      });
      if (accepting.filter(Boolean).length >= needed) return;
      if (Date.now() > deadline) {
        const waiting = broker.instances.find((_, index) => accepting[index] !== true);
        const log = waiting === undefined ? "" : `; its log: ${waiting.process.failureReason()}`;
        throw new BrokerStartError(
          `broker ${brokerId} did not accept connections within ${this.startTimeoutMs} ms${redact(log, broker.secrets)}`,
        );
      }
      await sleep(READY_POLL_MS);
    }
  }

  /** Standbys first: stopping the active one first would hand the lock to a standby being stopped. */
  private async stopBroker(brokerId: string, broker: RunningBroker): Promise<void> {
    // Synchronously, before any await: a restart checks this flag right before it spawns.
    broker.stopping = true;
    for (const instance of broker.instances) instance.pendingRestart?.cancel();
    // Which one holds the lock now (a failover may have happened since the last check).
    await this.refresh(broker);
    const standbys = broker.instances.filter((instance) => !instance.active);
    const actives = broker.instances.filter((instance) => instance.active);
    await Promise.all(standbys.map((instance) => instance.process.stop()));
    await Promise.all(actives.map((instance) => instance.process.stop()));
    for (const instance of broker.instances) instance.active = false;
    if (this.brokers.get(brokerId) === broker) this.brokers.delete(brokerId);
  }

  /** Reacts to the exit of the instance's current JVM (not of one it has since replaced). */
  private watch(brokerId: string, broker: RunningBroker, instance: RunningInstance): void {
    const jvm = instance.process;
    void jvm.exited.then(() => {
      if (instance.process !== jvm || instance.replacing === true) return;
      instance.active = false;
      this.onUnexpectedExit(brokerId, broker, instance);
    });
  }

  private mayRestart(brokerId: string, broker: RunningBroker): boolean {
    return broker.supervised && !broker.stopping && this.brokers.get(brokerId) === broker;
  }

  /** The JVM exited, or a restart attempt failed, while the broker is meant to run. */
  private onUnexpectedExit(brokerId: string, broker: RunningBroker, instance: RunningInstance): void {
    if (!this.mayRestart(brokerId, broker)) return;
    const decision = decideAfterExit(
      instance.supervision,
      Date.now() - instance.spawnedAt,
      this.restartPolicy,
    );
    instance.supervision = decision.record;
    if (decision.action === "give-up") {
      instance.gaveUp = true;
      return;
    }
    const exitedAt = Date.now();
    const awaitFailover = async () => {
      // Probed only while an instance waits for its partner to take over, not all the time.
      await this.refresh(broker);
      if (!this.mayRestart(brokerId, broker)) return;
      const partners = broker.instances
        .filter((other) => other !== instance)
        .map((other) => ({ running: other.process.running, active: other.active }));
      const waitedMs = Date.now() - exitedAt;
      if (mayScheduleRestart(broker.deploymentMode, partners, waitedMs, this.restartPolicy)) {
        this.schedule(instance, decision.delayMs, () => this.restart(brokerId, broker, instance));
      } else {
        this.schedule(instance, FAILOVER_POLL_MS, awaitFailover);
      }
    };
    void awaitFailover();
  }

  private schedule(instance: RunningInstance, delayMs: number, step: () => Promise<void>): void {
    instance.pendingRestart?.cancel();
    instance.pendingRestart = this.timers.after(delayMs, step);
  }

  /**
   * Spawns a new JVM on the instance's files, which still hold the rendered configuration (and the
   * ports). The ports are checked first: a SIGKILLed JVM's threads can hold them a moment longer.
   */
  private async restart(brokerId: string, broker: RunningBroker, instance: RunningInstance): Promise<void> {
    instance.pendingRestart = undefined;
    const deadline = Date.now() + STOP_GRACE_MS;
    const portsFree = async () =>
      (await isPortFree(instance.ports.openwire)) && (await isPortFree(instance.ports.stomp));
    let free = await portsFree();
    while (!free && Date.now() < deadline && this.mayRestart(brokerId, broker)) {
      await sleep(READY_POLL_MS);
      free = await portsFree();
    }
    // Checked after the last await and right before spawning: a stop that began meanwhile wins.
    if (!this.mayRestart(brokerId, broker)) return;
    if (!free) {
      instance.spawnedAt = Date.now();
      this.onUnexpectedExit(brokerId, broker, instance);
      return;
    }
    instance.spawnedAt = Date.now();
    try {
      instance.process = ActiveMqProcess.spawn(instance.layout, this.javaCommand);
    } catch {
      // Its files are gone or unwritable: a failed attempt like any other.
      this.onUnexpectedExit(brokerId, broker, instance);
      return;
    }
    instance.active = false;
    instance.supervision = { ...instance.supervision, restarts: instance.supervision.restarts + 1 };
    this.watch(brokerId, broker, instance);
  }
}
