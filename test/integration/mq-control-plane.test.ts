import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateBrokerCommand,
  CreateUserCommand,
  DeleteBrokerCommand,
  DescribeBrokerCommand,
  type DescribeBrokerResponse,
  MqClient,
  NotFoundException,
  RebootBrokerCommand,
} from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptsConnections } from "../../local/brokers/ports.js";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import { createMqService } from "../../local/mq/service.js";
import { startLocalEndpoint } from "../support/local-endpoint.js";
import { StompSession } from "./support/stomp-client.js";

// Real ActiveMQ JVMs (Debian's activemq 5.17.2, whatever engineVersion the broker is labelled with).
const TEST_TIMEOUT_MS = 180_000;
const ADMIN = { username: "admin", password: "Contr0l-Plane-Pa55" };
const LATER = { username: "later", password: "Added-Later-Pa55" };

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-mq-integration-"));
/** Every runtime started, so afterAll stops them all whatever a test left behind. */
const runtimes: ActiveMqRuntime[] = [];

/** One local cloud's Amazon MQ: the real runtime, the control plane and an MqClient on its endpoint. */
async function startControlPlane() {
  const runtime = new ActiveMqRuntime({ dataDir: path.join(dataDir, "brokers") });
  runtimes.push(runtime);
  const service = createMqService({ dataDir: path.join(dataDir, "mq"), runtime });
  await service.resume();
  const endpoint = await startLocalEndpoint([service]);
  const client = new MqClient(endpoint.clientConfig);
  return {
    client,
    /** What the local cloud does on shutdown: the endpoint closes and the brokers' JVMs stop. */
    async stop() {
      client.destroy();
      await endpoint.close();
    },
  };
}

let client: MqClient;
let stopFirst: () => Promise<void>;

beforeAll(async () => {
  const first = await startControlPlane();
  client = first.client;
  stopFirst = first.stop;
});

afterAll(async () => {
  await stopFirst?.();
  for (const runtime of runtimes) await runtime.stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

async function createRunningBroker(brokerName: string) {
  const created = await client.send(
    new CreateBrokerCommand({
      BrokerName: brokerName,
      EngineType: "ACTIVEMQ",
      EngineVersion: "5.18",
      AutoMinorVersionUpgrade: true,
      DeploymentMode: "SINGLE_INSTANCE",
      HostInstanceType: "mq.t3.micro",
      PubliclyAccessible: false,
      Users: [{ Username: ADMIN.username, Password: ADMIN.password }],
    }),
  );
  const brokerId = created.BrokerId ?? "";
  const running = await describeUntil(brokerId, (broker) => broker.BrokerState !== "CREATION_IN_PROGRESS");
  expect(running.BrokerState).toBe("RUNNING");
  return { brokerId, port: stompPort(running) };
}

async function deleteUntilGone(brokerId: string) {
  await client.send(new DeleteBrokerCommand({ BrokerId: brokerId }));
  const deadline = Date.now() + 60_000;
  let gone: unknown;
  while (gone === undefined && Date.now() < deadline) {
    gone = await client
      .send(new DescribeBrokerCommand({ BrokerId: brokerId }))
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    if (gone === undefined) await sleep(250);
  }
  expect(gone).toBeInstanceOf(NotFoundException);
}

async function describeUntil(brokerId: string, done: (broker: DescribeBrokerResponse) => boolean) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const broker = await client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    if (done(broker)) return broker;
    if (Date.now() > deadline) throw new Error(`broker ${brokerId} stayed ${broker.BrokerState}`);
    await sleep(250);
  }
}

function stompPort(broker: DescribeBrokerResponse): number {
  const endpoint = broker.BrokerInstances?.[0]?.Endpoints?.find((url) => url.startsWith("stomp://"));
  const port = Number(endpoint?.split(":").at(-1));
  if (!Number.isInteger(port))
    throw new Error(`no stomp endpoint in ${JSON.stringify(broker.BrokerInstances)}`);
  return port;
}

describe("the Amazon MQ control plane over the real ActiveMQ runtime", () => {
  it(
    "creates a broker that accepts its user over STOMP, applies a new user at reboot, and deletes it",
    async () => {
      // CreateBroker → CREATION_IN_PROGRESS → RUNNING
      const { brokerId, port } = await createRunningBroker("integration");

      // The endpoint DescribeBroker lists takes the user's credentials and carries messages.
      const session = await StompSession.connect(port, ADMIN);
      await session.sendPersistent("control-plane", ["hello"]);
      expect(await session.receive("control-plane", 1, 10_000)).toEqual(["hello"]);
      await session.close();

      // A user created on a running broker is pending: the broker refuses it until the reboot.
      await client.send(
        new CreateUserCommand({ BrokerId: brokerId, Username: LATER.username, Password: LATER.password }),
      );
      await expect(StompSession.connect(port, LATER)).rejects.toThrow();
      await client.send(new RebootBrokerCommand({ BrokerId: brokerId }));
      const rebooted = await describeUntil(brokerId, (broker) => broker.BrokerState !== "REBOOT_IN_PROGRESS");
      expect(rebooted.BrokerState).toBe("RUNNING");
      expect(stompPort(rebooted)).toBe(port);
      const later = await StompSession.connect(port, LATER);
      await later.close();

      // DeleteBroker → gone, and nothing listens on its port any more.
      await deleteUntilGone(brokerId);
      expect(await acceptsConnections(port)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "starts the broker again after the local cloud restarts, same port, persistent messages kept",
    async () => {
      const { brokerId, port } = await createRunningBroker("survivor");
      const before = await StompSession.connect(port, ADMIN);
      await before.sendPersistent("survives", ["kept across the restart"]);
      await before.close();

      await stopFirst();
      expect(await acceptsConnections(port)).toBe(false);
      const second = await startControlPlane();
      client = second.client;
      stopFirst = second.stop;

      const resumed = await describeUntil(brokerId, (broker) => broker.BrokerState === "RUNNING");
      expect(stompPort(resumed)).toBe(port);
      const after = await StompSession.connect(port, ADMIN);
      expect(await after.receive("survives", 1, 10_000)).toEqual(["kept across the restart"]);
      await after.close();
      await deleteUntilGone(brokerId);
    },
    TEST_TIMEOUT_MS,
  );
});
