import { clusterArn } from "./arns.js";
import type { Fleet } from "./fleet.js";
import type { ClusterRecord, ServiceRecord, TaskDefinitionRecord, TaskRecord } from "./model.js";

/* ECS's JSON shapes for the records (AWS JSON 1.1 timestamps are epoch seconds). */

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function clusterView(cluster: ClusterRecord, fleet: Fleet, status: "ACTIVE" | "INACTIVE" = "ACTIVE") {
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status,
    registeredContainerInstancesCount: 0,
    ...fleet.clusterCounts(cluster.clusterName),
    statistics: [],
    tags: cluster.tags,
    settings: [{ name: "containerInsights", value: "disabled" }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

export function taskDefinitionView(record: TaskDefinitionRecord) {
  return {
    taskDefinitionArn: record.taskDefinitionArn,
    family: record.family,
    revision: record.revision,
    status: record.status,
    containerDefinitions: record.containerDefinitions,
    cpu: record.cpu,
    memory: record.memory,
    networkMode: record.networkMode,
    taskRoleArn: record.taskRoleArn,
    executionRoleArn: record.executionRoleArn,
    requiresCompatibilities: record.requiresCompatibilities,
    compatibilities: ["EC2"],
    volumes: [],
    placementConstraints: [],
    requiresAttributes: [],
    registeredAt: seconds(record.registeredAt),
    deregisteredAt: seconds(record.deregisteredAt),
  };
}

export function serviceView(service: ServiceRecord, fleet: Fleet, region: string) {
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: clusterArn(region, service.clusterName),
    loadBalancers: [],
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    ...fleet.serviceCounts(service),
    launchType: "EC2",
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: service.deployments.map((deployment, index) => ({
      id: deployment.id,
      status: index === 0 ? "PRIMARY" : "ACTIVE",
      taskDefinition: deployment.taskDefinition,
      desiredCount: index === 0 && service.status === "ACTIVE" ? service.desiredCount : 0,
      ...fleet.serviceCounts(service, deployment.id),
      failedTasks: deployment.failedTasks,
      createdAt: seconds(deployment.createdAt),
      updatedAt: seconds(deployment.updatedAt),
      launchType: "EC2",
      rolloutState: deployment.completedAt === undefined ? "IN_PROGRESS" : "COMPLETED",
      rolloutStateReason:
        deployment.completedAt === undefined ? "ECS deployment in progress." : "ECS deployment completed.",
    })),
    events: service.events.map((event) => ({
      id: event.id,
      createdAt: seconds(event.createdAt),
      message: event.message,
    })),
    createdAt: seconds(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    schedulingStrategy: "REPLICA",
    deploymentController: { type: "ECS" },
    enableECSManagedTags: false,
    propagateTags: "NONE",
    enableExecuteCommand: false,
  };
}

export function taskView(task: TaskRecord, clusterArn: string) {
  return {
    taskArn: task.taskArn,
    clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    launchType: "EC2",
    startedBy: task.startedBy,
    group: `service:${task.serviceName}`,
    connectivity: "CONNECTED",
    containers: [
      {
        containerArn: task.container.containerArn,
        taskArn: task.taskArn,
        name: task.container.name,
        image: task.container.image,
        lastStatus:
          task.lastStatus === "STOPPED" ? "STOPPED" : task.lastStatus === "RUNNING" ? "RUNNING" : "PENDING",
        exitCode: task.exitCode,
        reason: task.stopCode === "TaskFailedToStart" ? task.stoppedReason : undefined,
        // Locally a container is a host process: its runtime id is the process id.
        runtimeId: task.pid === undefined ? undefined : String(task.pid),
      },
    ],
    overrides: { containerOverrides: [{ name: task.container.name }], inferenceAcceleratorOverrides: [] },
    createdAt: seconds(task.createdAt),
    startedAt: seconds(task.startedAt),
    stoppingAt: seconds(task.stoppingAt),
    stoppedAt: seconds(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    version: 1,
    tags: [],
  };
}
