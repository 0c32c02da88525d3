import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { containerArn, lastSegment, resourceName, taskArn } from "./arns.js";
import { hostCommand } from "./container-command.js";
import { type HostProcess, startHostProcess } from "./host-process.js";
import type { TaskDefinitionRecord, TaskRecord } from "./model.js";
import { TaskPidFile } from "./orphans.js";

export interface TasksOptions {
  dataDir: string;
  region: string;
  projectRoot: string;
  taskEnvironment: Record<string, string>;
  now: () => number;
  /** A task stopped without being asked to (its process exited or never started). */
  onUnrequestedStop(task: TaskRecord): void;
  /** A task changed state: the scheduler should look again. */
  onChange(): void;
}

/** ECS keeps stopped tasks describable for about an hour. */
const RETENTION_MS = 60 * 60 * 1000;
/** On close the tasks do not get their full stopTimeout: the local cloud is going away. */
const CLOSE_GRACE_MS = 5_000;

interface LiveTask {
  record: TaskRecord;
  process?: HostProcess;
  stopTimeoutMs: number;
}

/**
 * The tasks of every service and their host processes: started in their own process group, logged to
 * `<dataDir>/ecs/tasks/<id>.log`, stopped with SIGTERM and then SIGKILL after the container's
 * stopTimeout, and reported as ECS reports them (lastStatus, stoppedReason, stopCode, exitCode).
 */
export class Tasks {
  private readonly tasks = new Map<string, LiveTask>();
  private readonly pidFile: TaskPidFile;
  private readonly tasksDir: string;

  constructor(private readonly options: TasksOptions) {
    this.tasksDir = path.join(options.dataDir, "ecs", "tasks");
    mkdirSync(this.tasksDir, { recursive: true, mode: 0o700 });
    this.pidFile = new TaskPidFile(path.join(this.tasksDir, "running.json"));
  }

  /** Tasks ECS still shows (running, stopping, or stopped within the last hour), oldest first. */
  all(): TaskRecord[] {
    return [...this.tasks.values()].map((task) => task.record);
  }

  live(): TaskRecord[] {
    return this.all().filter((task) => task.lastStatus !== "STOPPED");
  }

  find(clusterName: string, reference: string): TaskRecord | undefined {
    const task = this.tasks.get(lastSegment(resourceName(reference, "task")));
    return task?.record.clusterName === clusterName ? task.record : undefined;
  }

  /** Kills the processes a previous run of the local cloud left behind (it died without closing). */
  killLeftovers(): void {
    this.pidFile.killLeftovers();
  }

  /** Starts a task of the service's deployment; returns its id. */
  start(
    service: { clusterName: string; serviceName: string; deploymentId: string },
    definition: TaskDefinitionRecord,
  ): string {
    const { region } = this.options;
    const taskId = randomBytes(16).toString("hex");
    const arn = taskArn(region, service.clusterName, taskId);
    const [container] = definition.containerDefinitions;
    const record: TaskRecord = {
      taskId,
      taskArn: arn,
      clusterName: service.clusterName,
      serviceName: service.serviceName,
      startedBy: service.deploymentId,
      taskDefinitionArn: definition.taskDefinitionArn,
      container: {
        name: container?.name ?? "",
        image: container?.image ?? "",
        containerArn: containerArn(region, service.clusterName, taskId, randomUUID()),
      },
      lastStatus: "PROVISIONING",
      desiredStatus: "RUNNING",
      createdAt: this.options.now(),
      logFile: path.join(this.tasksDir, `${taskId}.log`),
    };
    const command =
      container === undefined
        ? { error: "CannotStartContainerError: the task definition has no container" }
        : hostCommand(container, {
            projectRoot: this.options.projectRoot,
            nodePath: process.execPath,
            baseEnvironment: process.env,
            taskEnvironment: this.options.taskEnvironment,
            // The task's ARN in its environment tells its process apart from a reused pid (orphans.ts).
            extraEnvironment: { MQOPS_ECS_TASK_ARN: arn, MQOPS_ECS_CLUSTER: service.clusterName },
          });
    const live: LiveTask = { record, stopTimeoutMs: "error" in command ? 0 : command.stopTimeoutMs };
    this.tasks.set(taskId, live);
    if ("error" in command) {
      this.finish(live, { exitCode: 127, error: command.error });
      return taskId;
    }
    const hostProcess = startHostProcess(command, record.logFile);
    live.process = hostProcess;
    record.lastStatus = "PENDING";
    record.pid = hostProcess.pid;
    if (hostProcess.pid !== undefined) this.pidFile.add(arn, hostProcess.pid);
    void hostProcess.started.then((ok) => {
      if (ok && record.lastStatus === "PENDING") {
        record.lastStatus = "RUNNING";
        record.startedAt = this.options.now();
        this.options.onChange();
      }
    });
    void hostProcess.exited.then((exit) => {
      this.finish(live, exit);
      this.options.onChange();
    });
    return taskId;
  }

  /** Asks the task to stop: SIGTERM, SIGKILL after its container's stopTimeout. */
  stop(taskId: string, reason: string, stopCode: TaskRecord["stopCode"]): void {
    const live = this.tasks.get(taskId);
    if (live === undefined || live.record.lastStatus === "STOPPED") return;
    if (live.record.desiredStatus === "RUNNING") this.markStopping(live.record, reason, stopCode);
    live.process?.stop(live.stopTimeoutMs);
  }

  /** Stops every task (SIGKILL after at most 5 s); resolves once all have exited. */
  async stopAll(reason: string): Promise<void> {
    const exits: Promise<unknown>[] = [];
    for (const live of this.tasks.values()) {
      if (live.record.lastStatus === "STOPPED") continue;
      if (live.record.desiredStatus === "RUNNING")
        this.markStopping(live.record, reason, "ServiceSchedulerInitiated");
      live.process?.stop(Math.min(live.stopTimeoutMs, CLOSE_GRACE_MS));
      if (live.process !== undefined) exits.push(live.process.exited);
    }
    await Promise.all(exits);
  }

  /** Forgets tasks stopped more than an hour ago, as ECS does. */
  prune(now: number): void {
    for (const [id, task] of this.tasks) {
      if (task.record.stoppedAt !== undefined && now - task.record.stoppedAt > RETENTION_MS)
        this.tasks.delete(id);
    }
  }

  private markStopping(record: TaskRecord, reason: string, stopCode: TaskRecord["stopCode"]): void {
    record.desiredStatus = "STOPPED";
    record.lastStatus = "STOPPING";
    record.stoppingAt = this.options.now();
    record.stoppedReason = reason;
    record.stopCode = stopCode;
  }

  /** The task's process is gone (or never started): STOPPED, with why, as ECS reports it. */
  private finish(live: LiveTask, exit: { exitCode: number; error?: string }): void {
    const { record } = live;
    const now = this.options.now();
    const requested = record.desiredStatus === "STOPPED";
    if (!requested) {
      record.desiredStatus = "STOPPED";
      record.stoppingAt = now;
      if (exit.error !== undefined) {
        record.stopCode = "TaskFailedToStart";
        record.stoppedReason = exit.error.startsWith("CannotStartContainerError")
          ? exit.error
          : `CannotStartContainerError: ${exit.error}`;
      } else {
        record.stopCode = "EssentialContainerExited";
        record.stoppedReason = "Essential container in task exited";
      }
    }
    record.lastStatus = "STOPPED";
    record.stoppedAt = now;
    if (exit.error === undefined) record.exitCode = exit.exitCode;
    this.pidFile.remove(record.taskArn);
    if (!requested) this.options.onUnrequestedStop(record);
  }
}
