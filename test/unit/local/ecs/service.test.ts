import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ContainerDefinition,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StopTaskCommand,
  type Task,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEcsService } from "../../../../local/ecs/service.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

let dataDir: string;
let ecsService: ReturnType<typeof createEcsService>;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let ecs: ECSClient;

async function start() {
  ecsService = createEcsService({
    dataDir,
    region: "us-east-1",
    projectRoot: process.cwd(),
    taskEnvironment: { MQOPS_TEST_HANDED: "to-every-task" },
  });
  endpoint = await startLocalEndpoint([ecsService]);
  ecs = new ECSClient(endpoint.clientConfig);
  await ecsService.resume();
}

async function stop() {
  await endpoint.close();
  await ecsService.close();
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-ecs-"));
  await start();
});

afterEach(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Polls until `probe` returns a value that is not undefined (or false); fails after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const SLEEPER: ContainerDefinition = {
  name: "worker",
  image: "local/sleeper",
  entryPoint: ["sleep"],
  command: ["600"],
  memory: 64,
};

async function serviceWith(container: ContainerDefinition, desiredCount: number, serviceName = "workers") {
  await ecs.send(new CreateClusterCommand({ clusterName: "fleet" }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: "worker", containerDefinitions: [container] }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: "fleet",
      serviceName,
      taskDefinition: taskDefinition?.taskDefinitionArn,
      desiredCount,
    }),
  );
}

async function describeService(serviceName = "workers") {
  const { services } = await ecs.send(
    new DescribeServicesCommand({ cluster: "fleet", services: [serviceName] }),
  );
  const [service] = services ?? [];
  if (service === undefined) throw new Error(`no service ${serviceName}`);
  return service;
}

async function tasksOf(desiredStatus: "RUNNING" | "STOPPED" = "RUNNING"): Promise<Task[]> {
  const { taskArns = [] } = await ecs.send(
    new ListTasksCommand({ cluster: "fleet", serviceName: "workers", desiredStatus }),
  );
  if (taskArns.length === 0) return [];
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: "fleet", tasks: taskArns }));
  return tasks;
}

const pidOf = (task: Task) => Number(task.containers?.[0]?.runtimeId);

/** Waits until the service runs exactly `count` tasks, all RUNNING; returns their host pids. */
async function runningPids(count: number): Promise<number[]> {
  return waitFor(`${count} running tasks`, async () => {
    const service = await describeService();
    const tasks = await tasksOf();
    const running = tasks.filter((task) => task.lastStatus === "RUNNING");
    return service.runningCount === count && running.length === count && tasks.length === count
      ? running.map(pidOf)
      : undefined;
  });
}

describe("clusters", () => {
  it("creates, lists, describes and deletes a cluster with ECS's ARNs and failures", async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: "fleet" }));
    expect(cluster).toMatchObject({
      clusterArn: "arn:aws:ecs:us-east-1:000000000000:cluster/fleet",
      clusterName: "fleet",
      status: "ACTIVE",
      runningTasksCount: 0,
      activeServicesCount: 0,
    });
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([cluster?.clusterArn]);
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ["fleet", "nope"] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(["fleet"]);
    expect(described.failures).toEqual([
      { arn: "arn:aws:ecs:us-east-1:000000000000:cluster/nope", reason: "MISSING" },
    ]);
    const deleted = await ecs.send(new DeleteClusterCommand({ cluster: cluster?.clusterArn }));
    expect(deleted.cluster?.status).toBe("INACTIVE");
    expect((await ecs.send(new ListClustersCommand({}))).clusterArns).toEqual([]);
  });

  it("answers ClusterNotFoundException for an unknown cluster", async () => {
    await expect(ecs.send(new ListServicesCommand({ cluster: "nope" }))).rejects.toMatchObject({
      name: "ClusterNotFoundException",
      message: "Cluster not found.",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ecs.send(new DeleteClusterCommand({ cluster: "nope" }))).rejects.toMatchObject({
      name: "ClusterNotFoundException",
    });
  });

  it("refuses to delete a cluster that has an active service", async () => {
    await serviceWith(SLEEPER, 0);
    await expect(ecs.send(new DeleteClusterCommand({ cluster: "fleet" }))).rejects.toMatchObject({
      name: "ClusterContainsServicesException",
    });
  });
});

describe("task definitions", () => {
  it("numbers revisions per family and describes by family, family:revision and ARN", async () => {
    const first = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: "worker", containerDefinitions: [SLEEPER] }),
    );
    const second = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "worker",
        containerDefinitions: [{ ...SLEEPER, command: ["300"], stopTimeout: 5 }],
      }),
    );
    expect(first.taskDefinition?.taskDefinitionArn).toBe(
      "arn:aws:ecs:us-east-1:000000000000:task-definition/worker:1",
    );
    expect(second.taskDefinition?.revision).toBe(2);
    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "worker" }));
    expect(latest.taskDefinition?.containerDefinitions?.[0]).toMatchObject({
      name: "worker",
      command: ["300"],
      stopTimeout: 5,
      essential: true,
    });
    const byRevision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "worker:1" }));
    expect(byRevision.taskDefinition?.containerDefinitions?.[0]?.command).toEqual(["600"]);
    const byArn = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: second.taskDefinition?.taskDefinitionArn }),
    );
    expect(byArn.taskDefinition?.revision).toBe(2);
    const listed = await ecs.send(new ListTaskDefinitionsCommand({ sort: "DESC" }));
    expect(listed.taskDefinitionArns?.map((arn) => arn.split("/")[1])).toEqual(["worker:2", "worker:1"]);
  });

  it("answers ClientException for an unknown definition and a container without memory", async () => {
    await expect(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "nope:1" })),
    ).rejects.toMatchObject({
      name: "ClientException",
      message: "Unable to describe task definition.",
    });
    await expect(
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "worker",
          containerDefinitions: [{ name: "worker", image: "local/sleeper" }],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ClientException",
      message:
        "Invalid setting for container 'worker'. At least one of 'memory' or 'memoryReservation' must be specified.",
    });
  });
});

describe("the service scheduler", () => {
  it("runs three host processes for desiredCount 3 and none after scaling to 0", async () => {
    await serviceWith(SLEEPER, 0);
    expect(await describeService()).toMatchObject({
      serviceArn: "arn:aws:ecs:us-east-1:000000000000:service/fleet/workers",
      status: "ACTIVE",
      desiredCount: 0,
      runningCount: 0,
    });

    await ecs.send(new UpdateServiceCommand({ cluster: "fleet", service: "workers", desiredCount: 3 }));
    const pids = await runningPids(3);
    expect(new Set(pids).size).toBe(3);
    expect(pids.every(alive)).toBe(true);
    const scaledOut = await describeService();
    expect(scaledOut.deployments).toHaveLength(1);
    expect(scaledOut.deployments?.[0]).toMatchObject({ status: "PRIMARY", desiredCount: 3, runningCount: 3 });
    const tasks = await tasksOf();
    const startedEvent = scaledOut.events?.find((event) => event.message?.includes("has started"));
    expect(startedEvent?.message).toMatch(
      /^\(service workers\) has started 3 tasks: (\(task [0-9a-f]{32}\) ?){3}\.$/,
    );
    const startedIds = [...(startedEvent?.message ?? "").matchAll(/\(task ([0-9a-f]{32})\)/g)].map(
      (m) => m[1],
    );
    expect(startedIds.sort()).toEqual(tasks.map((task) => task.taskArn?.split("/")[2]).sort());
    expect(
      tasks.every((task) => task.taskArn?.startsWith("arn:aws:ecs:us-east-1:000000000000:task/fleet/")),
    ).toBe(true);
    await waitFor("the steady-state event", async () =>
      (await describeService()).events?.some(
        (event) => event.message === "(service workers) has reached a steady state.",
      ),
    );

    await ecs.send(new UpdateServiceCommand({ cluster: "fleet", service: "workers", desiredCount: 0 }));
    await waitFor("no process left", async () => !pids.some(alive));
    const stopped = await waitFor("three STOPPED tasks", async () => {
      const list = await tasksOf("STOPPED");
      return list.length === 3 && list.every((task) => task.lastStatus === "STOPPED") ? list : undefined;
    });
    for (const task of stopped) {
      expect(task.desiredStatus).toBe("STOPPED");
      expect(task.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);
      expect(task.containers?.[0]?.exitCode).toBe(143);
    }
    expect(await describeService()).toMatchObject({ runningCount: 0, pendingCount: 0, desiredCount: 0 });
  });

  it("replaces a task whose process dies, and reports the old one as ECS does", async () => {
    await serviceWith(SLEEPER, 1);
    const [pid = 0] = await runningPids(1);
    process.kill(pid, "SIGKILL");
    const [replacement = 0] = await waitFor("a replacement", async () => {
      const pids = (await tasksOf()).filter((task) => task.lastStatus === "RUNNING").map(pidOf);
      return pids.length === 1 && pids[0] !== pid ? pids : undefined;
    });
    expect(alive(replacement)).toBe(true);
    const [old] = await tasksOf("STOPPED");
    expect(old).toMatchObject({
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    });
    expect(old?.containers?.[0]?.exitCode).toBe(137);
    expect((await describeService()).deployments?.[0]?.failedTasks).toBe(1);
  });

  it("stops a task that ignores SIGTERM with SIGKILL after its stopTimeout", async () => {
    await serviceWith(
      { ...SLEEPER, entryPoint: ["sh", "-c"], command: ['trap "" TERM; sleep 600'], stopTimeout: 2 },
      1,
    );
    const [pid = 0] = await runningPids(1);
    const [task] = await tasksOf();
    const stoppedAt = Date.now();
    const { task: stopping } = await ecs.send(
      new StopTaskCommand({ cluster: "fleet", task: task?.taskArn, reason: "testing stopTimeout" }),
    );
    expect(stopping).toMatchObject({ desiredStatus: "STOPPED", stoppedReason: "testing stopTimeout" });
    await waitFor("the process to die", async () => !alive(pid));
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1900);
    const { tasks = [] } = await ecs.send(
      new DescribeTasksCommand({ cluster: "fleet", tasks: [task?.taskArn ?? ""] }),
    );
    const stopped = await waitFor("the STOPPED task", async () => {
      const { tasks: again = [] } = await ecs.send(
        new DescribeTasksCommand({ cluster: "fleet", tasks: [task?.taskArn ?? ""] }),
      );
      return again[0]?.lastStatus === "STOPPED" ? again[0] : undefined;
    });
    expect(tasks).toHaveLength(1);
    expect(stopped).toMatchObject({ stopCode: "UserInitiated", stoppedReason: "testing stopTimeout" });
    expect(stopped.containers?.[0]?.exitCode).toBe(137);
    // The service starts another one in its place.
    await runningPids(1);
  });

  it("runs the container with its environment and the local cloud's, logging to the data directory", async () => {
    await serviceWith(
      {
        ...SLEEPER,
        entryPoint: ["sh", "-c"],
        command: ['echo "greeting=$GREETING handed=$MQOPS_TEST_HANDED"; exec sleep 600'],
        environment: [{ name: "GREETING", value: "hello" }],
      },
      1,
    );
    await runningPids(1);
    const [task] = await tasksOf();
    const logFile = path.join(dataDir, "ecs", "tasks", `${task?.taskArn?.split("/")[2]}.log`);
    await waitFor(
      "the task's output",
      async () =>
        existsSync(logFile) && readFileSync(logFile, "utf8").includes("greeting=hello handed=to-every-task"),
    );
  });

  it("reports a command that cannot start as TaskFailedToStart", async () => {
    await serviceWith({ ...SLEEPER, entryPoint: ["/nonexistent/consumer"], command: [] }, 1);
    const failed = await waitFor("a failed task", async () => {
      const [task] = await tasksOf("STOPPED");
      return task;
    });
    expect(failed.stopCode).toBe("TaskFailedToStart");
    expect(failed.stoppedReason).toMatch(/^CannotStartContainerError: /);
  });
});

describe("services", () => {
  it("refuses to delete a service scaled above 0 unless forced, then drains it to INACTIVE", async () => {
    await serviceWith(SLEEPER, 2);
    const pids = await runningPids(2);
    await expect(
      ecs.send(new DeleteServiceCommand({ cluster: "fleet", service: "workers" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "The service cannot be stopped while it is scaled above 0.",
    });
    const { service } = await ecs.send(
      new DeleteServiceCommand({ cluster: "fleet", service: "workers", force: true }),
    );
    expect(service).toMatchObject({ status: "DRAINING", desiredCount: 0 });
    await waitFor("INACTIVE", async () => (await describeService()).status === "INACTIVE");
    expect(pids.some(alive)).toBe(false);
    expect((await ecs.send(new ListServicesCommand({ cluster: "fleet" }))).serviceArns).toEqual([]);
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: "fleet", service: "workers", desiredCount: 1 })),
    ).rejects.toMatchObject({ name: "ServiceNotActiveException", message: "Service was not ACTIVE." });
  });

  it("answers ECS's errors for unknown and duplicate services", async () => {
    await serviceWith(SLEEPER, 0);
    await expect(
      ecs.send(new UpdateServiceCommand({ cluster: "fleet", service: "nope", desiredCount: 1 })),
    ).rejects.toMatchObject({ name: "ServiceNotFoundException", message: "Service not found." });
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster: "fleet",
          serviceName: "workers",
          taskDefinition: "worker",
          desiredCount: 0,
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Creation of service was not idempotent.",
    });
    await expect(
      ecs.send(
        new CreateServiceCommand({
          cluster: "fleet",
          serviceName: "other",
          taskDefinition: "nope",
          desiredCount: 0,
        }),
      ),
    ).rejects.toMatchObject({ name: "ClientException" });
    const { failures } = await ecs.send(
      new DescribeServicesCommand({ cluster: "fleet", services: ["nope"] }),
    );
    expect(failures).toEqual([
      { arn: "arn:aws:ecs:us-east-1:000000000000:service/fleet/nope", reason: "MISSING" },
    ]);
    await expect(
      ecs.send(new StopTaskCommand({ cluster: "fleet", task: "0123456789abcdef0123456789abcdef" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "The referenced task was not found.",
    });
  });

  it("rolls a new task definition out: new tasks start before the old ones stop", async () => {
    await serviceWith(SLEEPER, 2);
    const oldPids = await runningPids(2);
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "worker",
        containerDefinitions: [{ ...SLEEPER, command: ["500"] }],
      }),
    );
    const { service } = await ecs.send(
      new UpdateServiceCommand({ cluster: "fleet", service: "workers", taskDefinition: "worker" }),
    );
    expect(service?.deployments?.map((d) => d.status)).toEqual(["PRIMARY", "ACTIVE"]);
    expect(service?.taskDefinition).toBe(taskDefinition?.taskDefinitionArn);
    const newPids = await waitFor("the new deployment alone", async () => {
      const described = await describeService();
      const tasks = await tasksOf();
      return described.deployments?.length === 1 &&
        tasks.length === 2 &&
        tasks.every(
          (task) =>
            task.taskDefinitionArn === taskDefinition?.taskDefinitionArn && task.lastStatus === "RUNNING",
        )
        ? tasks.map(pidOf)
        : undefined;
    });
    expect(newPids.some((pid) => oldPids.includes(pid))).toBe(false);
    await waitFor("the old processes to go", async () => !oldPids.some(alive));
  });
});

describe("durability", () => {
  it("brings services back at their desired count after a restart, and leaves no process on close", async () => {
    await serviceWith(SLEEPER, 2);
    const before = await runningPids(2);
    await stop();
    expect(before.some(alive)).toBe(false);

    await start();
    const after = await runningPids(2);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
    expect((await describeService()).desiredCount).toBe(2);
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: "worker" }),
    );
    expect(taskDefinition?.revision).toBe(1);
  });

  it("kills the tasks a local cloud that died left behind, then runs the service again", async () => {
    await stop();
    const crashing = spawn(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "support", "crashing-cloud.ts"), dataDir],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const orphan = await new Promise<number>((resolve, reject) => {
      let output = "";
      crashing.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.includes("\n")) resolve(Number(output.trim()));
      });
      crashing.once("exit", (code) => reject(new Error(`crashing-cloud exited with ${code}`)));
    });
    const exited = new Promise((resolve) => crashing.once("exit", resolve));
    crashing.kill("SIGKILL");
    await exited;
    expect(alive(orphan)).toBe(true);

    await start();
    await waitFor("the orphan to be killed", async () => !alive(orphan));
    const [pid] = await runningPids(1);
    expect(pid).not.toBe(orphan);
  }, 30_000);
});
