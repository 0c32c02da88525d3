/**
 * A stand-in for a local cloud that dies without cleaning up: it starts the ECS service on the data
 * directory given as argument, runs a service of one `sleep` task, prints the task's pid and waits to
 * be killed (SIGKILL, so no exit handler runs and the task is left behind).
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { createEcsService } from "../../../../../local/ecs/service.js";
import { startLocalEndpoint } from "../../../../support/local-endpoint.js";

const [dataDir = ""] = process.argv.slice(2);
const service = createEcsService({ dataDir, region: "us-east-1", projectRoot: process.cwd() });
const endpoint = await startLocalEndpoint([service]);
await service.resume();
const ecs = new ECSClient(endpoint.clientConfig);
await ecs.send(new CreateClusterCommand({ clusterName: "fleet" }));
await ecs.send(
  new RegisterTaskDefinitionCommand({
    family: "worker",
    containerDefinitions: [
      { name: "worker", image: "local/sleeper", entryPoint: ["sleep"], command: ["600"], memory: 64 },
    ],
  }),
);
await ecs.send(
  new CreateServiceCommand({
    cluster: "fleet",
    serviceName: "workers",
    taskDefinition: "worker",
    desiredCount: 1,
  }),
);
for (;;) {
  const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: "fleet" }));
  const { tasks = [] } =
    taskArns.length === 0
      ? {}
      : await ecs.send(new DescribeTasksCommand({ cluster: "fleet", tasks: taskArns }));
  const pid = tasks[0]?.lastStatus === "RUNNING" ? tasks[0].containers?.[0]?.runtimeId : undefined;
  if (pid !== undefined) {
    console.log(pid);
    break;
  }
  await sleep(50);
}
await new Promise(() => undefined);
