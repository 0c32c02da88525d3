import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acceptsConnections } from "../../local/brokers/ports.js";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import type { BrokerRunSpec, DeploymentMode, InstancePorts } from "../../local/brokers/types.js";
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
