import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type BrokerState,
  CreateBrokerCommand,
  type CreateBrokerCommandInput,
  DescribeBrokerCommand,
  MqClient,
} from "@aws-sdk/client-mq";
import { createMqService, type MqService } from "../../../../local/mq/service.js";
import type { LocalService } from "../../../../local/server/service.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";
import { FakeRuntime } from "./fake-runtime.js";

export const PASSWORD = "Sup3r-Secret-Pa55word";

/** A CreateBroker request Amazon MQ accepts; tests override one member at a time. */
export function brokerRequest(overrides: Partial<CreateBrokerCommandInput> = {}): CreateBrokerCommandInput {
  return {
    BrokerName: `broker-${Math.random().toString(36).slice(2, 10)}`,
    EngineType: "ACTIVEMQ",
    EngineVersion: "5.18",
    AutoMinorVersionUpgrade: true,
    DeploymentMode: "SINGLE_INSTANCE",
    HostInstanceType: "mq.t3.micro",
    PubliclyAccessible: false,
    Users: [{ Username: "admin", Password: PASSWORD, ConsoleAccess: true }],
    ...overrides,
  };
}

/** The MQ service on a real local endpoint, a real MqClient, and a fake runtime, in a fresh data dir. */
export async function startMq(
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-mq-")),
  prepareRuntime: (runtime: FakeRuntime) => void = () => {},
) {
  const runtime = new FakeRuntime();
  prepareRuntime(runtime);
  const service: MqService = createMqService({ dataDir, runtime });
  await service.resume();
  // Records everything the service answered, errors included, so tests can search it for passwords.
  const wire: string[] = [];
  const recording: LocalService = {
    signingName: service.signingName,
    protocol: service.protocol,
    close: () => service.close?.() ?? Promise.resolve(),
    async handle(request) {
      try {
        const response = await service.handle(request);
        wire.push(String(response.body ?? ""));
        return response;
      } catch (error) {
        wire.push(error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error));
        throw error;
      }
    },
  };
  const endpoint = await startLocalEndpoint([recording]);
  const client = new MqClient(endpoint.clientConfig);
  return {
    dataDir,
    runtime,
    service,
    client,
    /** Every response body and error the service produced, as text. */
    wire,
    async close(removeData = true) {
      client.destroy();
      await endpoint.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
    async createBroker(overrides: Partial<CreateBrokerCommandInput> = {}) {
      const created = await client.send(new CreateBrokerCommand(brokerRequest(overrides)));
      return created.BrokerId ?? "";
    },
    async waitForState(brokerId: string, state: BrokerState) {
      await service.settled();
      const described = await client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
      if (described.BrokerState !== state) {
        throw new Error(`broker ${brokerId} is ${described.BrokerState}, expected ${state}`);
      }
      return described;
    },
  };
}

export type Mq = Awaited<ReturnType<typeof startMq>>;
