import type { ContainerDefinition } from "@aws-sdk/client-ecs";

/* The ECS resources the local service keeps. Times are epoch milliseconds. */

export interface ClusterRecord {
  clusterName: string;
  clusterArn: string;
  createdAt: number;
  tags: { key?: string; value?: string }[];
}

export interface TaskDefinitionRecord {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: "ACTIVE" | "INACTIVE";
  containerDefinitions: ContainerDefinition[];
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
  taskRoleArn?: string;
  executionRoleArn?: string;
  registeredAt: number;
  deregisteredAt?: number;
}

export interface DeploymentRecord {
  /** `ecs-svc/<19 digits>`, also each of its tasks' `startedBy`. */
  id: string;
  taskDefinition: string;
  createdAt: number;
  updatedAt: number;
  /** Tasks of this deployment that exited on their own. */
  failedTasks: number;
  /** Set once it first ran its desired count with no older deployment left. */
  completedAt?: number;
}

export interface ServiceEventRecord {
  id: string;
  createdAt: number;
  message: string;
}

export type ServiceStatus = "ACTIVE" | "DRAINING" | "INACTIVE";

export interface ServiceRecord {
  serviceName: string;
  serviceArn: string;
  clusterName: string;
  status: ServiceStatus;
  desiredCount: number;
  /** The task definition of the PRIMARY deployment. */
  taskDefinition: string;
  /** PRIMARY first; older ones (ACTIVE) are drained once the PRIMARY one is running. */
  deployments: DeploymentRecord[];
  /** Newest first, as DescribeServices lists them. */
  events: ServiceEventRecord[];
  createdAt: number;
  /** When DeleteService drained it to INACTIVE; it stays describable for an hour, as on ECS. */
  inactiveAt?: number;
  /** Whether the last event said the service had reached a steady state (it is said once). */
  steady: boolean;
}

export type TaskStatus = "PROVISIONING" | "PENDING" | "RUNNING" | "DEACTIVATING" | "STOPPING" | "STOPPED";

export interface TaskRecord {
  taskId: string;
  taskArn: string;
  clusterName: string;
  /** The service whose deployment started it. */
  serviceName: string;
  /** Its deployment's id. */
  startedBy: string;
  taskDefinitionArn: string;
  container: { name: string; image: string; containerArn: string };
  lastStatus: TaskStatus;
  desiredStatus: "RUNNING" | "STOPPED";
  createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: "TaskFailedToStart" | "EssentialContainerExited" | "UserInitiated" | "ServiceSchedulerInitiated";
  exitCode?: number;
  /** The host process id; DescribeTasks shows it as the container's `runtimeId`. */
  pid?: number;
  logFile: string;
}

/** What survives a restart of the local cloud: tasks do not, services start theirs again. */
export interface EcsState {
  clusters: ClusterRecord[];
  taskDefinitions: TaskDefinitionRecord[];
  services: ServiceRecord[];
}
