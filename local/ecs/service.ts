import { jsonService } from "../server/json-service.js";
import type { LocalService } from "../server/service.js";
import { clusterArn, serviceArn, taskArn } from "./arns.js";
import { invalidParameter } from "./errors.js";
import { Fleet } from "./fleet.js";
import type { ClusterRecord } from "./model.js";
import {
  checkName,
  optionalInteger,
  optionalString,
  optionalStringList,
  paginate,
  requiredString,
} from "./validation.js";
import { clusterView, serviceView, taskDefinitionView, taskView } from "./wire.js";

export { CONSUMER_IMAGE } from "./container-command.js";

export interface EcsServiceOptions {
  dataDir: string;
  region: string;
  /** Where `cli/mqops.ts` is: tasks of the `mqops/consumer` image run `mqops consume` from here. */
  projectRoot: string;
  /** Handed to every task (e.g. AWS_ENDPOINT_URL, MQOPS_DATA_DIR); a container's `environment` wins. */
  taskEnvironment?: Record<string, string>;
  now?: () => number;
}

const MAX_DESIRED_COUNT = 5000;
const TASK_STATUSES = new Set(["RUNNING", "PENDING", "STOPPED"]);

/**
 * Amazon ECS (AWS JSON 1.1, `AmazonEC2ContainerServiceV20141113.<Operation>`, signing name `ecs`):
 * clusters, task definitions and services whose tasks run as host processes (see fleet.ts and
 * container-command.ts). Call `resume()` once the endpoint the tasks talk to is up: it starts the
 * service scheduler, which brings the services of a previous run back to their desired count.
 * `close()` stops the scheduler and every task.
 */
export function createEcsService(
  options: EcsServiceOptions,
): LocalService & { resume(): Promise<void>; close(): Promise<void> } {
  const { region } = options;
  const fleet = new Fleet({
    dataDir: options.dataDir,
    region,
    projectRoot: options.projectRoot,
    taskEnvironment: options.taskEnvironment ?? {},
    now: options.now ?? Date.now,
  });
  const clusterOf = (input: Record<string, unknown>): ClusterRecord =>
    fleet.cluster(optionalString(input, "cluster"));

  const service = jsonService({
    signingName: "ecs",
    targetPrefix: "AmazonEC2ContainerServiceV20141113",
    version: "1.1",
    close: () => fleet.close(),
    operations: {
      CreateCluster(input) {
        const name = checkName(
          optionalString(input, "clusterName") ?? "default",
          "Cluster",
          invalidParameter,
        );
        const tags = Array.isArray(input.tags) ? (input.tags as ClusterRecord["tags"]) : [];
        return { cluster: clusterView(fleet.createCluster(name, tags), fleet) };
      },
      ListClusters(input) {
        const arns = fleet.clusters().map((cluster) => cluster.clusterArn);
        const { page, nextToken } = paginate(arns, input, "ListClusters", 100);
        return { clusterArns: page, nextToken };
      },
      DescribeClusters(input) {
        const references = optionalStringList(input, "clusters") ?? ["default"];
        const clusters = [];
        const failures = [];
        for (const reference of references) {
          const cluster = fleet.findCluster(reference);
          if (cluster === undefined) {
            failures.push({
              arn: reference.startsWith("arn:") ? reference : clusterArn(region, reference),
              reason: "MISSING",
            });
          } else {
            clusters.push(clusterView(cluster, fleet));
          }
        }
        return { clusters, failures };
      },
      DeleteCluster(input) {
        return {
          cluster: clusterView(fleet.deleteCluster(requiredString(input, "cluster")), fleet, "INACTIVE"),
        };
      },
      RegisterTaskDefinition(input) {
        const record = fleet.taskDefinitions.register(input);
        fleet.save();
        return { taskDefinition: taskDefinitionView(record), tags: [] };
      },
      DescribeTaskDefinition(input) {
        const record = fleet.taskDefinitions.resolve(requiredString(input, "taskDefinition"));
        return { taskDefinition: taskDefinitionView(record), tags: [] };
      },
      DeregisterTaskDefinition(input) {
        const record = fleet.taskDefinitions.deregister(requiredString(input, "taskDefinition"));
        fleet.save();
        return { taskDefinition: taskDefinitionView(record) };
      },
      ListTaskDefinitions(input) {
        const arns = fleet.taskDefinitions.list(input);
        const listing = `ListTaskDefinitions:${JSON.stringify([input.familyPrefix, input.status, input.sort])}`;
        const { page, nextToken } = paginate(arns, input, listing, 100);
        return { taskDefinitionArns: page, nextToken };
      },
      CreateService(input) {
        const cluster = clusterOf(input);
        const serviceName = checkName(requiredString(input, "serviceName"), "Service", invalidParameter);
        const definition = fleet.taskDefinitions.resolve(requiredString(input, "taskDefinition"));
        if (input.schedulingStrategy !== undefined && input.schedulingStrategy !== "REPLICA") {
          throw invalidParameter("The local ECS runs REPLICA services only.");
        }
        const desiredCount = optionalInteger(input, "desiredCount", 0, MAX_DESIRED_COUNT);
        if (desiredCount === undefined) {
          throw invalidParameter("desiredCount is required when schedulingStrategy is REPLICA.");
        }
        const record = fleet.createService(cluster, serviceName, definition, desiredCount);
        return { service: serviceView(record, fleet, region) };
      },
      UpdateService(input) {
        const cluster = clusterOf(input);
        const record = fleet.service(cluster.clusterName, requiredString(input, "service"));
        const reference = optionalString(input, "taskDefinition");
        const updated = fleet.updateService(record, {
          desiredCount: optionalInteger(input, "desiredCount", 0, MAX_DESIRED_COUNT),
          taskDefinition: reference === undefined ? undefined : fleet.taskDefinitions.resolve(reference),
          forceNewDeployment: input.forceNewDeployment === true,
        });
        return { service: serviceView(updated, fleet, region) };
      },
      DescribeServices(input) {
        const cluster = clusterOf(input);
        const references = optionalStringList(input, "services") ?? [];
        if (references.length === 0 || references.length > 10) {
          throw invalidParameter("services should have between 1 and 10 items.");
        }
        const services = [];
        const failures = [];
        for (const reference of references) {
          const record = fleet.findService(cluster.clusterName, reference);
          if (record === undefined) {
            failures.push({
              arn: reference.startsWith("arn:")
                ? reference
                : serviceArn(region, cluster.clusterName, reference),
              reason: "MISSING",
            });
          } else {
            services.push(serviceView(record, fleet, region));
          }
        }
        return { services, failures };
      },
      ListServices(input) {
        const cluster = clusterOf(input);
        const arns = fleet.services(cluster.clusterName).map((record) => record.serviceArn);
        const { page, nextToken } = paginate(arns, input, `ListServices:${cluster.clusterName}`, 10);
        return { serviceArns: page, nextToken };
      },
      DeleteService(input) {
        const cluster = clusterOf(input);
        const record = fleet.service(cluster.clusterName, requiredString(input, "service"));
        return { service: serviceView(fleet.deleteService(record, input.force === true), fleet, region) };
      },
      ListTasks(input) {
        const cluster = clusterOf(input);
        const serviceName = optionalString(input, "serviceName");
        const service =
          serviceName === undefined ? undefined : fleet.service(cluster.clusterName, serviceName);
        const family = optionalString(input, "family");
        const startedBy = optionalString(input, "startedBy");
        const desiredStatus = optionalString(input, "desiredStatus") ?? "RUNNING";
        if (!TASK_STATUSES.has(desiredStatus))
          throw invalidParameter(`Invalid desiredStatus: ${desiredStatus}`);
        const arns = fleet
          .allTasks()
          .filter((task) => task.clusterName === cluster.clusterName)
          .filter((task) => service === undefined || task.serviceName === service.serviceName)
          .filter(
            (task) => family === undefined || task.taskDefinitionArn.includes(`:task-definition/${family}:`),
          )
          .filter((task) => startedBy === undefined || task.startedBy === startedBy)
          // ECS lists PENDING tasks under RUNNING too: their desired status is RUNNING.
          .filter((task) =>
            desiredStatus === "PENDING"
              ? task.lastStatus === "PROVISIONING" || task.lastStatus === "PENDING"
              : task.desiredStatus === desiredStatus,
          )
          .map((task) => task.taskArn);
        const listing = `ListTasks:${JSON.stringify([cluster.clusterName, serviceName, family, startedBy, desiredStatus])}`;
        const { page, nextToken } = paginate(arns, input, listing, 100);
        return { taskArns: page, nextToken };
      },
      DescribeTasks(input) {
        const cluster = clusterOf(input);
        const references = optionalStringList(input, "tasks") ?? [];
        if (references.length === 0) throw invalidParameter("Tasks cannot be empty.");
        if (references.length > 100) throw invalidParameter("tasks should have at most 100 items.");
        const arnOfCluster = clusterArn(region, cluster.clusterName);
        const tasks = [];
        const failures = [];
        for (const reference of references) {
          const task = fleet.task(cluster.clusterName, reference);
          if (task === undefined) {
            failures.push({
              arn: reference.startsWith("arn:") ? reference : taskArn(region, cluster.clusterName, reference),
              reason: "MISSING",
            });
          } else {
            tasks.push(taskView(task, arnOfCluster));
          }
        }
        return { tasks, failures };
      },
      StopTask(input) {
        const cluster = clusterOf(input);
        const task = fleet.task(cluster.clusterName, requiredString(input, "task"));
        if (task === undefined) throw invalidParameter("The referenced task was not found.");
        const stopped = fleet.stopTask(task, optionalString(input, "reason"));
        return { task: taskView(stopped, clusterArn(region, cluster.clusterName)) };
      },
    },
  });
  return {
    ...service,
    resume: () => fleet.resume(),
    close: () => fleet.close(),
  };
}
