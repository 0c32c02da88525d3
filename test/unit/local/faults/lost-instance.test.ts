import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateBrokerCommand,
  DescribeBrokerCommand,
  ListBrokersCommand,
  MqClient,
  RebootBrokerCommand,
} from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrokerRuntime, InstanceStatus } from "../../../../local/brokers/types.js";
import { createMqService, type MqService } from "../../../../local/mq/service.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";
import { FakeRuntime } from "../mq/fake-runtime.js";
import { brokerRequest } from "../mq/harness.js";

/** A runtime whose supervisor has given up on instance 2 of the brokers in `lost`, until they are stopped. */
const fake = new FakeRuntime();
const lost = new Set<string>();
const runtime: BrokerRuntime = {
  allocatePorts: (mode) => fake.allocatePorts(mode),
  start: (spec) => fake.start(spec),
  stop: async (brokerId) => {
    lost.delete(brokerId);
    await fake.stop(brokerId);
  },
  destroy: (brokerId) => fake.destroy(brokerId),
  stopAll: () => fake.stopAll(),
  status(brokerId): InstanceStatus[] {
    const ports = { openwire: 1, stomp: 2 };
    if (!fake.isRunning(brokerId)) return [];
    return [
      { ports, active: true, pid: 100 },
      lost.has(brokerId) ? { ports, active: false, gaveUp: true } : { ports, active: false, pid: 101 },
    ];
  },
};

let dataDir: string;
let service: MqService;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: MqClient;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-lost-"));
  service = createMqService({ dataDir, runtime });
  await service.resume();
  endpoint = await startLocalEndpoint([service]);
  client = new MqClient(endpoint.clientConfig);
});

afterAll(async () => {
  client.destroy();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a broker with an instance the runtime gave up restarting", () => {
  it("is CRITICAL_ACTION_REQUIRED with BROKER_INSTANCE_FAILED, keeps its instances listed, and a reboot clears it", async () => {
    const { BrokerId = "" } = await client.send(
      new CreateBrokerCommand(
        brokerRequest({ DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ", HostInstanceType: "mq.m5.large" }),
      ),
    );
    await service.settled();
    expect((await client.send(new DescribeBrokerCommand({ BrokerId }))).BrokerState).toBe("RUNNING");

    lost.add(BrokerId);
    const degraded = await client.send(new DescribeBrokerCommand({ BrokerId }));
    const listed = await client.send(new ListBrokersCommand({}));

    expect(degraded.BrokerState).toBe("CRITICAL_ACTION_REQUIRED");
    expect(degraded.ActionsRequired).toEqual([
      {
        ActionRequiredCode: "BROKER_INSTANCE_FAILED",
        ActionRequiredInfo: expect.stringContaining("Instance 2 of 2"),
      },
    ]);
    expect(degraded.BrokerInstances).toHaveLength(2);
    expect(listed.BrokerSummaries?.find((broker) => broker.BrokerId === BrokerId)?.BrokerState).toBe(
      "CRITICAL_ACTION_REQUIRED",
    );

    await client.send(new RebootBrokerCommand({ BrokerId }));
    await service.settled();
    const rebooted = await client.send(new DescribeBrokerCommand({ BrokerId }));
    expect(rebooted.BrokerState).toBe("RUNNING");
    expect(rebooted.ActionsRequired).toBeUndefined();
  });
});
