/* What the service scheduler does next for one service, decided from its tasks. Pure. */

export interface ReconcileService {
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
  desiredCount: number;
  /** Deployment ids, PRIMARY first. */
  deploymentIds: string[];
}

export interface ReconcileTask {
  taskId: string;
  /** The deployment that started it. */
  startedBy: string;
  lastStatus: string;
  desiredStatus: "RUNNING" | "STOPPED";
  createdAt: number;
}

export interface ReconcilePlan {
  /** New tasks of the PRIMARY deployment. */
  start: number;
  stop: { taskId: string; deploymentId: string }[];
  /** Non-primary deployments with no task left: ECS drops them from the service. */
  finishedDeployments: string[];
}

/** ECS's defaults: a deployment may run up to 200% of the desired count and keeps 100% healthy. */
const MAXIMUM_PERCENT = 200;

/**
 * Keeps the PRIMARY deployment at the desired count (a DRAINING service at 0): starts the missing
 * tasks (unless `mayStart` is false: the scheduler is backing off a crash loop), stops the newest
 * surplus ones, and replaces older deployments' tasks once the PRIMARY ones run, so the service never
 * drops below its desired count during a deployment.
 */
export function reconcile(
  service: ReconcileService,
  tasks: ReconcileTask[],
  mayStart: boolean,
): ReconcilePlan {
  const [primary = "", ...older] = service.deploymentIds;
  const desired = service.status === "ACTIVE" ? service.desiredCount : 0;
  const wanted = tasks.filter((task) => task.desiredStatus === "RUNNING");
  const primaryTasks = wanted.filter((task) => task.startedBy === primary);
  const olderTasks = wanted.filter((task) => task.startedBy !== primary);
  const newestFirst = (a: ReconcileTask, b: ReconcileTask) => b.createdAt - a.createdAt;

  const stop: ReconcilePlan["stop"] = [];
  let start = 0;
  if (primaryTasks.length > desired) {
    for (const task of [...primaryTasks].sort(newestFirst).slice(0, primaryTasks.length - desired)) {
      stop.push({ taskId: task.taskId, deploymentId: task.startedBy });
    }
  } else if (mayStart) {
    const ceiling = Math.floor((desired * MAXIMUM_PERCENT) / 100);
    start = Math.max(0, Math.min(desired - primaryTasks.length, ceiling - wanted.length));
  }

  const primaryRunning = primaryTasks.filter((task) => task.lastStatus === "RUNNING").length;
  const surplusOld = Math.min(olderTasks.length, Math.max(0, primaryRunning + olderTasks.length - desired));
  for (const task of [...olderTasks].sort(newestFirst).slice(0, surplusOld)) {
    stop.push({ taskId: task.taskId, deploymentId: task.startedBy });
  }

  const live = tasks.filter((task) => task.lastStatus !== "STOPPED");
  const finishedDeployments = older.filter((id) => !live.some((task) => task.startedBy === id));
  return { start, stop, finishedDeployments };
}

/**
 * How long the scheduler waits before starting another task of a service whose tasks keep exiting
 * soon after they start (ECS throttles such services too): no wait for the first, then 1 s doubling
 * to 60 s.
 */
export function restartDelayMs(consecutiveQuickExits: number): number {
  if (consecutiveQuickExits <= 1) return 0;
  return Math.min(60_000, 1000 * 2 ** (consecutiveQuickExits - 2));
}

/** A task that exits on its own within this long of starting counts towards the back-off. */
export const QUICK_EXIT_MS = 10_000;
