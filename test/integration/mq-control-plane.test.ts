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
const runtime = new ActiveMqRuntime({ dataDir: path.join(dataDir, "brokers") });
const service = createMqService({ dataDir: path.join(dataDir, "mq"), runtime });
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: MqClient;

beforeAll(async () => {
  await service.resume();
  endpoint = await startLocalEndpoint([service]);
  client = new MqClient(endpoint.clientConfig);
});

afterAll(async () => {
  client?.destroy();
  await endpoint?.close();
  await runtime.stopAll();
  rmSync(dataDir, { recursive: true, force: true });
});

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
      const created = await client.send(
        new CreateBrokerCommand({
          BrokerName: "integration",
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
      const running = await describeUntil(
        brokerId,
        (broker) => broker.BrokerState !== "CREATION_IN_PROGRESS",
      );
      expect(running.BrokerState).toBe("RUNNING");
      const port = stompPort(running);

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
      expect(await acceptsConnections(port)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});
