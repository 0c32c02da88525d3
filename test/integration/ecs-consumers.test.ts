import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type Task,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import type { BrokerRunSpec } from "../../local/brokers/types.js";
import { createEcsService } from "../../local/ecs/service.js";
import { startLocalEndpoint } from "../support/local-endpoint.js";
import { StompSession } from "./support/stomp-client.js";

// One active/standby pair (two JVMs) for the whole file: `mqops load` and ECS tasks of the image
// mqops/consumer talk to it through its failover URL, as they would to an Amazon MQ broker.
const TIMEOUT_MS = 120_000;
const USER = { username: "loader", password: "pa:ss&word-not-in-logs" };

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-ecs-consumers-"));
const runtime = new ActiveMqRuntime({ dataDir: path.join(dataDir, "brokers") });
let spec: BrokerRunSpec;
let url: string;
let ecsService: ReturnType<typeof createEcsService>;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let ecs: ECSClient;

beforeAll(async () => {
  spec = {
    brokerId: "b-consumers",
    brokerName: "consumers",
    deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
    configurationXml: "",
    users: [USER],
    ports: await runtime.allocatePorts("ACTIVE_STANDBY_MULTI_AZ"),
  };
  await runtime.start(spec);
  url = `failover:(${spec.ports.map((ports) => `stomp://127.0.0.1:${ports.stomp}`).join(",")})`;
  ecsService = createEcsService({ dataDir, region: "us-east-1", projectRoot: process.cwd() });
  endpoint = await startLocalEndpoint([ecsService]);
  ecs = new ECSClient(endpoint.clientConfig);
  await ecsService.resume();
}, TIMEOUT_MS);

afterAll(async () => {
  await endpoint?.close();
  await ecsService?.close();
  await runtime.stopAll();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function activeStompPort(): number | undefined {
  const active = runtime.status(spec.brokerId).find((instance) => instance.active);
  return active?.ports.stomp;
}

/** The queue's size from the broker's statistics plugin; undefined while the broker does not answer. */
async function queueSize(queue: string): Promise<number | undefined> {
  const port = activeStompPort();
  if (port === undefined) return undefined;
  try {
    const session = await StompSession.connect(port, USER);
    try {
      await session.sendPersistent(`ActiveMQ.Statistics.Destination.${queue}`, [""], {
        "reply-to": `/queue/stats.${queue}`,
      });
      const [reply] = await session.receive(`stats.${queue}`, 1, 5_000, { transformation: "jms-map-json" });
      const entries = (JSON.parse(reply ?? "{}") as { map: { entry: { string: unknown; long?: number }[] } })
        .map.entry;
      return entries.find((entry) => entry.string === "size")?.long;
    } finally {
      await session.close();
    }
  } catch {
    return undefined;
  }
}

/** `mqops load` as a child process; resolves with its exit code and output. */
function runLoad(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; output: string }>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/mqops.ts", "load", "--url", url, ...args], {
    env: { ...process.env, MQ_USERNAME: USER.username, MQ_PASSWORD: USER.password },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, output })),
  );
  return { child, done };
}

async function tasks(desiredStatus: "RUNNING" | "STOPPED"): Promise<Task[]> {
  const { taskArns = [] } = await ecs.send(
    new ListTasksCommand({ cluster: "consumers", serviceName: "orders-consumers", desiredStatus }),
  );
  if (taskArns.length === 0) return [];
  return (await ecs.send(new DescribeTasksCommand({ cluster: "consumers", tasks: taskArns }))).tasks ?? [];
}

async function scaleTo(count: number): Promise<number[]> {
  await ecs.send(
    new UpdateServiceCommand({ cluster: "consumers", service: "orders-consumers", desiredCount: count }),
  );
  return waitFor(`${count} running consumers`, async () => {
    const { services = [] } = await ecs.send(
      new DescribeServicesCommand({ cluster: "consumers", services: ["orders-consumers"] }),
    );
    const running = await tasks("RUNNING");
    return services[0]?.runningCount === count && running.length === count
      ? running.map((task) => Number(task.containers?.[0]?.runtimeId))
      : undefined;
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const logOf = (task: Task) =>
  readFileSync(path.join(dataDir, "ecs", "tasks", `${task.taskArn?.split("/")[2]}.log`), "utf8");

describe("mqops load and ECS consumer tasks on a real broker", () => {
  it(
    "mqops load sends persistent messages through the failover URL and prints them, not the password",
    async () => {
      const { done } = runLoad(["--queue", "orders", "--rate", "200/s", "--for", "1s"]);
      const { code, output } = await done;
      expect(code).toBe(0);
      expect(output).toContain("total: sent 200 persistent messages to orders");
      expect(output).not.toContain(USER.password);
      expect(await waitFor("the queue's size", () => queueSize("orders"))).toBe(200);
    },
    TIMEOUT_MS,
  );

  it(
    "UpdateService 0 → 3 gives three consumer processes that drain the queue, and 3 → 0 leaves none",
    async () => {
      await ecs.send(new CreateClusterCommand({ clusterName: "consumers" }));
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "orders-consumer",
          containerDefinitions: [
            {
              name: "consumer",
              image: "mqops/consumer",
              memory: 128,
              environment: [
                { name: "MQOPS_BROKER_URL", value: url },
                { name: "MQOPS_QUEUE", value: "orders" },
                { name: "MQOPS_SERVICE_MS", value: "10" },
                { name: "MQ_USERNAME", value: USER.username },
                { name: "MQ_PASSWORD", value: USER.password },
              ],
            },
          ],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster: "consumers",
          serviceName: "orders-consumers",
          taskDefinition: "orders-consumer",
          desiredCount: 0,
        }),
      );

      const pids = await scaleTo(3);
      expect(pids.every(alive)).toBe(true);
      await waitFor("the queue to drain", async () => (await queueSize("orders")) === 0);

      await scaleTo(0);
      await waitFor("no consumer process left", async () => !pids.some(alive));
      const stopped = await waitFor("three stopped consumers", async () => {
        const list = await tasks("STOPPED");
        return list.length === 3 && list.every((task) => task.lastStatus === "STOPPED") ? list : undefined;
      });
      // SIGTERM: each finished its message, disconnected and exited 0; together they processed all 200.
      expect(stopped.map((task) => task.containers?.[0]?.exitCode)).toEqual([0, 0, 0]);
      const logs = stopped.map(logOf);
      const processed = logs.map((log) =>
        Number(/stopped: processed (\d+) messages/.exec(log)?.[1] ?? "NaN"),
      );
      expect(processed.reduce((sum, count) => sum + count, 0)).toBe(200);
      expect(logs.join("\n")).not.toContain(USER.password);
    },
    TIMEOUT_MS,
  );

  it(
    "consumers and the producer ride through a failover of the active instance",
    async () => {
      await scaleTo(2);
      await waitFor("both consumers connected", async () =>
        (await tasks("RUNNING")).every((task) => logOf(task).includes("connected to")),
      );
      const { done } = runLoad(["--queue", "orders", "--rate", "100/s", "--for", "4s"]);
      await waitFor("messages on the queue", async () => ((await queueSize("orders")) ?? 0) > 0);
      const active = runtime.status(spec.brokerId).find((instance) => instance.active);
      expect(active?.pid).toBeDefined();
      process.kill(active?.pid ?? 0, "SIGKILL");

      const { code, output } = await done;
      expect(code).toBe(0);
      expect(output).toContain("total: sent 400 persistent messages to orders");
      await waitFor("the queue to drain after the failover", async () => (await queueSize("orders")) === 0);
      const running = await tasks("RUNNING");
      expect(running).toHaveLength(2);
      expect(running.map(logOf).join("\n")).toContain("connection lost");
      await scaleTo(0);
    },
    TIMEOUT_MS,
  );
});
