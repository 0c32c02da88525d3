import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { acceptsConnections } from "../../local/brokers/ports.js";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import type {
  BrokerRunSpec,
  DeploymentMode,
  InstancePorts,
  InstanceStatus,
} from "../../local/brokers/types.js";
import { StompSession } from "./support/stomp-client.js";

// Real ActiveMQ JVMs (Debian's activemq 5.17): each start takes 2–5 s on two cores.
const BROKER_TEST_TIMEOUT_MS = 90_000;

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-brokers-"));
const runtime = new ActiveMqRuntime({ dataDir });
const USER = { username: "app", password: `s3cret&<"pass'>`, groups: ["admins"] };

let brokerCount = 0;

async function brokerSpec(mode: DeploymentMode, configurationXml = ""): Promise<BrokerRunSpec> {
  brokerCount += 1;
  return {
    brokerId: `b-${brokerCount}`,
    brokerName: `test-${brokerCount}`,
    deploymentMode: mode,
    configurationXml,
    users: [USER],
    ports: await runtime.allocatePorts(mode),
  };
}

/** Whether any JVM still runs with a file of this directory on its command line. */
function javaRunningUnder(directory: string): boolean {
  try {
    execFileSync("pgrep", ["-f", `activemq.jar start xbean:file:${directory}`]);
    return true;
  } catch {
    return false;
  }
}

async function nothingAccepts(ports: InstancePorts[]): Promise<boolean> {
  const accepting = await Promise.all(
    ports.flatMap(({ openwire, stomp }) => [acceptsConnections(openwire), acceptsConnections(stomp)]),
  );
  return accepting.every((accepted) => !accepted);
}

function portsOf(spec: BrokerRunSpec, index: number): InstancePorts {
  const ports = spec.ports[index];
  if (ports === undefined) throw new Error(`${spec.brokerId} has no instance ${index + 1}`);
  return ports;
}

/** Polls until both of the instance's ports accept connections; resolves with the time it took. */
async function acceptingWithin(ports: InstancePorts, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await acceptsConnections(ports.openwire)) && (await acceptsConnections(ports.stomp))) {
      return Date.now() - started;
    }
    await sleep(50);
  }
  throw new Error(`127.0.0.1:${ports.openwire} did not accept connections within ${timeoutMs} ms`);
}

/** A SIGKILLed JVM's last threads may hold its sockets for a moment after the process is gone. */
async function refusedWithin(ports: InstancePorts[], timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await nothingAccepts(ports)) return true;
    await sleep(50);
  }
  return false;
}

/** Runs and is not a zombie waiting for its (new) parent to reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function deadWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return false;
}

/** A separate Node process that starts the broker with its own runtime, as `mqops up` would. */
async function startInChildNode(spec: BrokerRunSpec): Promise<{ child: ChildProcess; jvmPid: number }> {
  const script = path.join(import.meta.dirname, "support", "hold-broker.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, dataDir, JSON.stringify(spec)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("\n")) resolve(output.split("\n")[0] ?? "");
    });
    child.once("exit", (code) =>
      reject(new Error(`hold-broker exited with ${code} before the broker started`)),
    );
  });
  const [instance] = JSON.parse(line) as InstanceStatus[];
  if (instance?.pid === undefined) throw new Error(`hold-broker reported no JVM: ${line}`);
  return { child, jvmPid: instance.pid };
}

afterAll(async () => {
  await runtime.stopAll();
  expect(javaRunningUnder(dataDir)).toBe(false);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("SINGLE_INSTANCE", () => {
  let spec: BrokerRunSpec;

  it(
    "starts one broker that stores and delivers a persistent message",
    async () => {
      spec = await brokerSpec("SINGLE_INSTANCE");
      const started = Date.now();

      await runtime.start(spec);

      console.info(`single instance accepted connections ${Date.now() - started} ms after start`);
      const [instance] = runtime.status(spec.brokerId);
      expect(instance).toMatchObject({ ports: spec.ports[0], active: true, pid: expect.any(Number) });
      const configFile = path.join(dataDir, spec.brokerId, "instance-1", "activemq.xml");
      expect(statSync(configFile).mode & 0o777).toBe(0o600);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(true);
      const session = await StompSession.connect(spec.ports[0]?.stomp ?? 0, USER);
      await session.sendPersistent("orders", ["hello"]);
      expect(await session.receive("orders", 1, 10_000)).toEqual(["hello"]);
      await session.close();
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "answers statistics requests (the statistics plugin and its xstream/jettison classpath work)",
    async () => {
      const session = await StompSession.connect(portsOf(spec, 0).stomp, USER);
      await session.sendPersistent("stats.me", ["a", "b"]);

      await session.sendPersistent("ActiveMQ.Statistics.Destination.stats.me", [""], {
        "reply-to": "/queue/stats.reply",
      });
      const [reply] = await session.receive("stats.reply", 1, 10_000, { transformation: "jms-map-json" });
      await session.close();

      const entries = (JSON.parse(reply ?? "{}") as { map: { entry: Record<string, unknown>[] } }).map.entry;
      expect(entries).toContainEqual({ string: "size", long: 2 });
      expect(entries).toContainEqual({ string: ["brokerName", spec.brokerName] });
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "refuses clients with a wrong password",
    async () => {
      await expect(
        StompSession.connect(spec.ports[0]?.stomp ?? 0, { username: USER.username, password: "wrong" }),
      ).rejects.toThrow();
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "refuses to start a broker that is already running",
    async () => {
      await expect(runtime.start(spec)).rejects.toThrow(/already running/);
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "keeps persistent messages across stop and start",
    async () => {
      const sender = await StompSession.connect(spec.ports[0]?.stomp ?? 0, USER);
      await sender.sendPersistent("kept", ["one", "two", "three"]);
      await sender.close();

      await runtime.stop(spec.brokerId);
      expect(runtime.status(spec.brokerId)).toEqual([{ ports: spec.ports[0], active: false }]);
      expect(await nothingAccepts(spec.ports)).toBe(true);
      await runtime.start(spec);

      const receiver = await StompSession.connect(spec.ports[0]?.stomp ?? 0, USER);
      expect(await receiver.receive("kept", 3, 10_000)).toEqual(["one", "two", "three"]);
      await receiver.close();
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "writes the users' passwords into activemq.xml only, never into logs",
    async () => {
      const instanceDir = path.join(dataDir, spec.brokerId, "instance-1");
      const withPassword = readdirSync(instanceDir).filter(
        (name) =>
          name !== "data" && readFileSync(path.join(instanceDir, name), "utf8").includes(USER.password),
      );

      expect(withPassword).toEqual([]);
      expect(readFileSync(path.join(instanceDir, "activemq.xml"), "utf8")).toContain(
        'password="s3cret&amp;&lt;&quot;pass&apos;&gt;"',
      );
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "destroys the broker: its ports refuse connections and its directory is gone",
    async () => {
      await runtime.destroy(spec.brokerId);

      expect(await nothingAccepts(spec.ports)).toBe(true);
      expect(existsSync(path.join(dataDir, spec.brokerId))).toBe(false);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("start failures", () => {
  it(
    "rejects a configuration ActiveMQ refuses with its reason, and leaves no process",
    async () => {
      const spec = await brokerSpec(
        "SINGLE_INSTANCE",
        `<broker xmlns="http://activemq.apache.org/schema/core">
          <destinationPolicy><policyMap><policyEntries>
            <policyEntry queue=">"><pendingMessageLimitStrategy><constantPendingMessageLimitStrategy limit="lots"/></pendingMessageLimitStrategy></policyEntry>
          </policyEntries></policyMap></destinationPolicy>
        </broker>`,
      );

      const failure = runtime.start(spec);

      await expect(failure).rejects.toThrow(
        /instance 1 stopped .* before accepting connections: .*'lots' is not a valid value for 'integer'/,
      );
      await expect(failure).rejects.not.toThrow(USER.password);
      expect(runtime.status(spec.brokerId).map((instance) => instance.pid)).toEqual([undefined]);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
      expect(await nothingAccepts(spec.ports)).toBe(true);
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "rejects a broker whose port is taken, before starting any JVM",
    async () => {
      const spec = await brokerSpec("ACTIVE_STANDBY_MULTI_AZ");
      const squatter = createServer();
      const taken = spec.ports[1]?.stomp ?? 0;
      await new Promise<void>((resolve) => squatter.listen(taken, "127.0.0.1", resolve));

      try {
        await expect(runtime.start(spec)).rejects.toThrow(`port ${taken} (stomp of instance 2)`);
        expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
      } finally {
        squatter.close();
      }
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("stop while starting", () => {
  it(
    "makes the start reject and leaves no process",
    async () => {
      const spec = await brokerSpec("ACTIVE_STANDBY_MULTI_AZ");
      const starting = runtime.start(spec);
      await sleep(300);

      await runtime.stop(spec.brokerId);

      await expect(starting).rejects.toThrow(/stopped/);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
      expect(await nothingAccepts(spec.ports)).toBe(true);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("ACTIVE_STANDBY_MULTI_AZ", () => {
  it(
    "runs an active and a standby on one store; after kill -9 of the active the standby serves every message",
    async () => {
      const spec = await brokerSpec("ACTIVE_STANDBY_MULTI_AZ");
      const started = Date.now();
      await runtime.start(spec);
      console.info(`active/standby accepted connections ${Date.now() - started} ms after start`);

      const before = await runtime.checkStatus(spec.brokerId);
      expect(before.filter((instance) => instance.active)).toHaveLength(1);
      expect(before.every((instance) => instance.pid !== undefined)).toBe(true);
      const activeIndex = before.findIndex((instance) => instance.active);
      const standbyIndex = 1 - activeIndex;
      const activePid = before[activeIndex]?.pid ?? 0;
      expect(await acceptsConnections(portsOf(spec, standbyIndex).openwire)).toBe(false);

      const bodies = Array.from({ length: 500 }, (_, i) => `payment-${i}`);
      const sender = await StompSession.connect(portsOf(spec, activeIndex).stomp, USER);
      await sender.sendPersistent("payments", bodies);
      await sender.close();

      process.kill(activePid, "SIGKILL");
      const takeoverMs = await acceptingWithin(portsOf(spec, standbyIndex), 30_000);
      console.info(`standby accepted connections ${takeoverMs} ms after kill -9 of the active`);
      expect(takeoverMs).toBeLessThan(10_000);

      const after = await runtime.checkStatus(spec.brokerId);
      expect(after[standbyIndex]).toMatchObject({ active: true, pid: expect.any(Number) });
      expect(after[activeIndex]).toEqual({ ports: portsOf(spec, activeIndex), active: false });
      const receiver = await StompSession.connect(portsOf(spec, standbyIndex).stomp, USER);
      const received = await receiver.receive("payments", bodies.length, 30_000);
      await receiver.close();
      expect(new Set(received)).toEqual(new Set(bodies));

      await runtime.stop(spec.brokerId);
      expect(await nothingAccepts(spec.ports)).toBe(true);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("CLUSTER_MULTI_AZ", () => {
  it(
    "runs three networked brokers: a message sent to instance 1 reaches a consumer on instance 2",
    async () => {
      const spec = await brokerSpec("CLUSTER_MULTI_AZ");
      const started = Date.now();
      await runtime.start(spec);
      console.info(`cluster of 3 accepted connections ${Date.now() - started} ms after start`);

      const status = runtime.status(spec.brokerId);
      expect(status.map((instance) => instance.active)).toEqual([true, true, true]);
      expect(new Set(status.map((instance) => instance.pid)).size).toBe(3);

      const consumer = await StompSession.connect(portsOf(spec, 1).stomp, USER);
      const receiving = consumer.receive("events", 1, 30_000);
      const producer = await StompSession.connect(portsOf(spec, 0).stomp, USER);
      const sent = Date.now();
      await producer.sendPersistent("events", ["across the network"]);
      expect(await receiving).toEqual(["across the network"]);
      console.info(`message crossed from instance 1 to instance 2 in ${Date.now() - sent} ms`);
      await Promise.all([producer.close(), consumer.close()]);

      await runtime.destroy(spec.brokerId);
      expect(await nothingAccepts(spec.ports)).toBe(true);
      expect(existsSync(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("when the Node process that started a broker dies", () => {
  it(
    "its SIGTERM handler stops the JVMs it started, then exits as Node would have",
    async () => {
      const spec = await brokerSpec("SINGLE_INSTANCE");
      const { child, jvmPid } = await startInChildNode(spec);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

      child.kill("SIGTERM");

      expect(await exited).toBe(143);
      expect(await deadWithin(jvmPid, 10_000)).toBe(true);
      expect(await refusedWithin(spec.ports, 5_000)).toBe(true);
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "a JVM orphaned by SIGKILL of its Node parent is stopped by the next start of the broker",
    async () => {
      const spec = await brokerSpec("SINGLE_INSTANCE");
      const { child, jvmPid } = await startInChildNode(spec);
      child.kill("SIGKILL");
      if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
      expect(isAlive(jvmPid)).toBe(true);

      await runtime.start(spec);

      expect(isAlive(jvmPid)).toBe(false);
      expect(runtime.status(spec.brokerId)[0]).toMatchObject({ active: true, pid: expect.any(Number) });
      await runtime.destroy(spec.brokerId);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});
