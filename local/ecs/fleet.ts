import { randomInt, randomUUID } from "node:crypto";
import path from "node:path";
import { JsonStore } from "../store/json-store.js";
import { clusterArn, lastSegment, resourceName, serviceArn } from "./arns.js";
import {
  clusterContainsServices,
  clusterContainsTasks,
  clusterNotFound,
  invalidParameter,
  serviceNotActive,
  serviceNotFound,
} from "./errors.js";
import type {
  ClusterRecord,
  DeploymentRecord,
  EcsState,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord,
} from "./model.js";
import { QUICK_EXIT_MS, reconcile, restartDelayMs } from "./reconcile.js";
import { TaskDefinitions } from "./task-definitions.js";
import { Tasks } from "./tasks.js";

export interface FleetOptions {
  dataDir: string;
  region: string;
  projectRoot: string;
  taskEnvironment: Record<string, string>;
  now: () => number;
}

/** ECS keeps inactive services describable for about an hour. */
const RETENTION_MS = 60 * 60 * 1000;
/** ECS keeps a service's last 100 events. */
const MAX_EVENTS = 100;
const RECONCILE_INTERVAL_MS = 1_000;

const newDeploymentId = () =>
  `ecs-svc/${Array.from({ length: 19 }, (_, index) => randomInt(index === 0 ? 1 : 0, 10)).join("")}`;

/**
 * Clusters, services and their tasks, with the service scheduler: a pass (on every change and once a
 * second) keeps each service's PRIMARY deployment at its desired count with host processes. Clusters,
 * task definitions and services are durable (`<dataDir>/ecs/ecs.json`); tasks are not: after a
 * restart the services start theirs again.
 */
export class Fleet {
  readonly taskDefinitions: TaskDefinitions;
  private readonly state: EcsState;
  private readonly store: JsonStore<EcsState>;
  private readonly tasks: Tasks;
  private readonly backoff = new Map<string, { quickExits: number; nextStartAt: number }>();
  private running = false;
  private closed = false;
  private passQueued = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FleetOptions) {
    this.store = new JsonStore<EcsState>(path.join(options.dataDir, "ecs"), "ecs");
    this.state = this.store.load(() => ({ clusters: [], taskDefinitions: [], services: [] }));
    this.taskDefinitions = new TaskDefinitions(this.state.taskDefinitions, options.region, options.now);
    this.tasks = new Tasks({
      ...options,
      onUnrequestedStop: (task) => this.countFailure(task),
      onChange: () => this.schedulePass(),
    });
  }

  save(): void {
    this.store.save(this.state);
  }

  // Clusters

  createCluster(name: string, tags: ClusterRecord["tags"]): ClusterRecord {
    const existing = this.state.clusters.find((cluster) => cluster.clusterName === name);
    if (existing !== undefined) return existing; // CreateCluster is idempotent on ECS.
    const record = {
      clusterName: name,
      clusterArn: clusterArn(this.options.region, name),
      createdAt: this.options.now(),
      tags,
    };
    this.state.clusters.push(record);
    this.save();
    return record;
  }

  findCluster(reference: string | undefined): ClusterRecord | undefined {
    const name = resourceName(reference ?? "default", "cluster");
    return this.state.clusters.find((cluster) => cluster.clusterName === name);
  }

  cluster(reference: string | undefined): ClusterRecord {
    const cluster = this.findCluster(reference);
    if (cluster === undefined) throw clusterNotFound();
    return cluster;
  }

  clusters(): ClusterRecord[] {
    return [...this.state.clusters].sort((a, b) => a.clusterName.localeCompare(b.clusterName));
  }

  deleteCluster(reference: string | undefined): ClusterRecord {
    const cluster = this.cluster(reference);
    const name = cluster.clusterName;
    if (
      this.state.services.some((service) => service.clusterName === name && service.status !== "INACTIVE")
    ) {
      throw clusterContainsServices();
    }
    if (this.tasks.live().some((task) => task.clusterName === name)) throw clusterContainsTasks();
    this.state.clusters = this.state.clusters.filter((candidate) => candidate !== cluster);
    this.state.services = this.state.services.filter((service) => service.clusterName !== name);
    this.save();
    return cluster;
  }

  clusterCounts(name: string) {
    const live = this.tasks.live().filter((task) => task.clusterName === name);
    return {
      runningTasksCount: live.filter((task) => task.lastStatus === "RUNNING").length,
      pendingTasksCount: live.filter(isPending).length,
      activeServicesCount: this.state.services.filter(
        (service) => service.clusterName === name && service.status === "ACTIVE",
      ).length,
    };
  }

  // Services

  createService(
    cluster: ClusterRecord,
    serviceName: string,
    taskDefinition: TaskDefinitionRecord,
    desiredCount: number,
  ): ServiceRecord {
    const existing = this.findService(cluster.clusterName, serviceName);
    if (existing !== undefined && existing.status !== "INACTIVE") {
      throw invalidParameter("Creation of service was not idempotent.");
    }
    const now = this.options.now();
    const record: ServiceRecord = {
      serviceName,
      serviceArn: serviceArn(this.options.region, cluster.clusterName, serviceName),
      clusterName: cluster.clusterName,
      status: "ACTIVE",
      desiredCount,
      taskDefinition: taskDefinition.taskDefinitionArn,
      deployments: [this.deployment(taskDefinition.taskDefinitionArn, now)],
      events: [],
      createdAt: now,
      steady: false,
    };
    this.state.services = this.state.services.filter((service) => service !== existing);
    this.state.services.push(record);
    this.save();
    this.schedulePass();
    return record;
  }

  /** The ACTIVE or DRAINING service of that name, else the last INACTIVE one. */
  findService(clusterName: string, reference: string): ServiceRecord | undefined {
    const name = lastSegment(resourceName(reference, "service"));
    const named = this.state.services.filter(
      (service) => service.clusterName === clusterName && service.serviceName === name,
    );
    return named.find((service) => service.status !== "INACTIVE") ?? named[named.length - 1];
  }

  service(clusterName: string, reference: string): ServiceRecord {
    const service = this.findService(clusterName, reference);
    if (service === undefined) throw serviceNotFound();
    return service;
  }

  /** ACTIVE and DRAINING services of the cluster, by name. */
  services(clusterName: string): ServiceRecord[] {
    return this.state.services
      .filter((service) => service.clusterName === clusterName && service.status !== "INACTIVE")
      .sort((a, b) => a.serviceName.localeCompare(b.serviceName));
  }

  updateService(
    service: ServiceRecord,
    change: { desiredCount?: number; taskDefinition?: TaskDefinitionRecord; forceNewDeployment: boolean },
  ): ServiceRecord {
    if (service.status !== "ACTIVE") throw serviceNotActive();
    const now = this.options.now();
    if (change.desiredCount !== undefined) service.desiredCount = change.desiredCount;
    const newDefinition =
      change.taskDefinition !== undefined &&
      change.taskDefinition.taskDefinitionArn !== service.taskDefinition;
    if (change.taskDefinition !== undefined) service.taskDefinition = change.taskDefinition.taskDefinitionArn;
    if (newDefinition || change.forceNewDeployment) {
      service.deployments.unshift(this.deployment(service.taskDefinition, now));
    } else {
      const primary = service.deployments[0];
      if (primary !== undefined) primary.updatedAt = now;
    }
    service.steady = false;
    this.save();
    this.schedulePass();
    return service;
  }

  /** DeleteService: refused while scaled above 0 unless forced; drains, then becomes INACTIVE. */
  deleteService(service: ServiceRecord, force: boolean): ServiceRecord {
    if (service.status !== "ACTIVE") throw serviceNotActive();
    if (service.desiredCount > 0 && !force) {
      throw invalidParameter("The service cannot be stopped while it is scaled above 0.");
    }
    service.desiredCount = 0;
    service.status = "DRAINING";
    this.save();
    this.schedulePass();
    return service;
  }

  serviceCounts(service: ServiceRecord, deploymentId?: string) {
    const tasks = this.tasksOfService(service).filter(
      (task) => deploymentId === undefined || task.startedBy === deploymentId,
    );
    return {
      runningCount: tasks.filter((task) => task.lastStatus === "RUNNING").length,
      pendingCount: tasks.filter(isPending).length,
    };
  }

  // Tasks

  /** Tasks ECS still shows (running, stopping, or stopped within the last hour), oldest first. */
  allTasks(): TaskRecord[] {
    return this.tasks.all();
  }

  task(clusterName: string, reference: string): TaskRecord | undefined {
    return this.tasks.find(clusterName, reference);
  }

  stopTask(record: TaskRecord, reason: string | undefined): TaskRecord {
    this.tasks.stop(record.taskId, reason ?? "Task stopped by user", "UserInitiated");
    this.schedulePass();
    return record;
  }

  // Lifecycle

  /** Starts the scheduler: services come back at their desired count. */
  async resume(): Promise<void> {
    if (this.running || this.closed) return;
    this.tasks.killLeftovers();
    this.running = true;
    this.timer = setInterval(() => this.pass(), RECONCILE_INTERVAL_MS);
    this.timer.unref();
    this.pass();
  }

  /** Stops the scheduler and every task (SIGTERM, SIGKILL after at most 5 s); resolves once all exited. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.tasks.stopAll("Task stopped because the local cloud stopped");
  }

  private deployment(taskDefinition: string, now: number): DeploymentRecord {
    return { id: newDeploymentId(), taskDefinition, createdAt: now, updatedAt: now, failedTasks: 0 };
  }

  private tasksOfService(service: ServiceRecord): TaskRecord[] {
    const deployments = new Set(service.deployments.map((deployment) => deployment.id));
    return this.allTasks().filter(
      (task) =>
        task.clusterName === service.clusterName &&
        task.serviceName === service.serviceName &&
        (deployments.has(task.startedBy) || task.lastStatus !== "STOPPED"),
    );
  }

  private schedulePass(): void {
    if (this.passQueued) return;
    this.passQueued = true;
    setImmediate(() => {
      this.passQueued = false;
      this.pass();
    });
  }

  /** One scheduler pass over every service. */
  private pass(): void {
    if (!this.running || this.closed) return;
    const now = this.options.now();
    let changed = false;
    for (const service of this.state.services) {
      if (service.status === "INACTIVE") continue;
      try {
        changed = this.reconcileService(service, now) || changed;
      } catch (error) {
        // One service's trouble must not stop the scheduler (this runs from a timer) or the others.
        console.error(`[mqops ecs] ${service.serviceArn}: ${(error as Error).message}`);
      }
    }
    changed = this.prune(now) || changed;
    if (changed) this.save();
  }

  private reconcileService(service: ServiceRecord, now: number): boolean {
    const key = `${service.clusterName}/${service.serviceName}`;
    const backoff = this.backoff.get(key);
    const tasks = this.tasksOfService(service).filter((task) => task.lastStatus !== "STOPPED");
    const plan = reconcile(
      {
        status: service.status,
        desiredCount: service.desiredCount,
        deploymentIds: service.deployments.map((d) => d.id),
      },
      tasks,
      backoff === undefined || now >= backoff.nextStartAt,
    );
    let changed = false;
    const primary = service.deployments[0];
    if (plan.start > 0 && primary !== undefined) {
      const definition = this.taskDefinitions.resolve(primary.taskDefinition);
      const started = Array.from({ length: plan.start }, () =>
        this.tasks.start(
          { clusterName: service.clusterName, serviceName: service.serviceName, deploymentId: primary.id },
          definition,
        ),
      );
      this.addEvent(
        service,
        `has started ${started.length} tasks: ${started.map((id) => `(task ${id})`).join(" ")}.`,
      );
      changed = true;
    }
    if (plan.stop.length > 0) {
      for (const { taskId, deploymentId } of plan.stop) {
        this.tasks.stop(
          taskId,
          `Scaling activity initiated by (deployment ${deploymentId})`,
          "ServiceSchedulerInitiated",
        );
      }
      this.addEvent(
        service,
        `has stopped ${plan.stop.length} running tasks: ${plan.stop.map(({ taskId }) => `(task ${taskId})`).join(" ")}.`,
      );
      changed = true;
    }
    if (plan.finishedDeployments.length > 0) {
      service.deployments = service.deployments.filter((d) => !plan.finishedDeployments.includes(d.id));
      changed = true;
    }
    const live = this.tasksOfService(service).filter((task) => task.lastStatus !== "STOPPED");
    if (service.status === "DRAINING" && live.length === 0) {
      service.status = "INACTIVE";
      service.inactiveAt = now;
      return true;
    }
    const steady =
      service.status === "ACTIVE" &&
      service.deployments.length === 1 &&
      live.length === service.desiredCount &&
      live.every((task) => task.lastStatus === "RUNNING" && task.desiredStatus === "RUNNING");
    if (steady && !service.steady && primary !== undefined) {
      if (primary.completedAt === undefined) {
        primary.completedAt = now;
        this.addEvent(service, `(deployment ${primary.id}) deployment completed.`);
      }
      this.addEvent(service, "has reached a steady state.");
      changed = true;
    }
    if (steady !== service.steady) {
      service.steady = steady;
      changed = true;
    }
    return changed;
  }

  private addEvent(service: ServiceRecord, text: string): void {
    service.events.unshift({
      id: randomUUID(),
      createdAt: this.options.now(),
      message: `(service ${service.serviceName}) ${text}`,
    });
    service.events.length = Math.min(service.events.length, MAX_EVENTS);
  }

  private countFailure(record: TaskRecord): void {
    const now = this.options.now();
    const service = this.findService(record.clusterName, record.serviceName);
    const deployment = service?.deployments.find((candidate) => candidate.id === record.startedBy);
    if (deployment !== undefined) deployment.failedTasks += 1;
    const key = `${record.clusterName}/${record.serviceName}`;
    const quick = record.startedAt === undefined || now - record.startedAt < QUICK_EXIT_MS;
    const quickExits = quick ? (this.backoff.get(key)?.quickExits ?? 0) + 1 : 0;
    this.backoff.set(key, { quickExits, nextStartAt: now + restartDelayMs(quickExits) });
  }

  private prune(now: number): boolean {
    this.tasks.prune(now);
    const before = this.state.services.length;
    this.state.services = this.state.services.filter(
      (service) => service.inactiveAt === undefined || now - service.inactiveAt <= RETENTION_MS,
    );
    return this.state.services.length !== before;
  }
}

const isPending = (task: TaskRecord) => task.lastStatus === "PROVISIONING" || task.lastStatus === "PENDING";
