import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBrokerCommand, DescribeBrokerCommand, MqClient } from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAws } from "../../functions/lib/aws-errors.js";
import { parseFaultPlan } from "../../local/faults/plan.js";
import { FaultInjector } from "../../local/faults/service.js";
import { createMqService, type MqService } from "../../local/mq/service.js";
import { startLocalEndpoint } from "../support/local-endpoint.js";
import { FakeRuntime } from "../unit/local/mq/fake-runtime.js";
import { brokerRequest } from "../unit/local/mq/harness.js";

/** Faults injected into the local cloud's Amazon MQ, seen through a real SDK client over HTTP. */

let dataDir: string;
let service: MqService;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: MqClient;
let brokerId: string;
const faults = new FaultInjector();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-faults-"));
  service = createMqService({ dataDir, runtime: new FakeRuntime() });
  await service.resume();
  endpoint = await startLocalEndpoint([faults.wrap(service)]);
  client = new MqClient(endpoint.clientConfig);
  brokerId = (await client.send(new CreateBrokerCommand(brokerRequest()))).BrokerId ?? "";
  await service.settled();
});

afterAll(async () => {
  client.destroy();
  await endpoint.close();
  await service.close?.();
  rmSync(dataDir, { recursive: true, force: true });
});

const describeBroker = (mq = client) => mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));

describe("fault injection into the local Amazon MQ", () => {
  it("answers an operation with the given AWS error the given number of times, then normally", async () => {
    faults.add({
      service: "mq",
      operation: "GET /v1/brokers/*",
      error: { status: 429, code: "TooManyRequestsException" },
      times: 2,
    });

    await expect(describeBroker()).rejects.toMatchObject({ name: "TooManyRequestsException" });
    await expect(describeBroker()).rejects.toMatchObject({ $metadata: { httpStatusCode: 429 } });
    await expect(describeBroker()).resolves.toMatchObject({ BrokerId: brokerId });
  });

  it("gives the handlers' named retryable errors: throttling and 5xx", async () => {
    faults.add({
      service: "mq",
      operation: "GET /v1/brokers/*",
      error: { status: 429, code: "TooManyRequestsException" },
      times: 1,
    });
    faults.add({
      service: "mq",
      operation: "GET /v1/brokers/*",
      error: { status: 500, code: "InternalServerErrorException" },
      times: 1,
    });

    await expect(callAws("DescribeBroker", () => describeBroker())).rejects.toMatchObject({
      name: "ThrottledError",
    });
    await expect(callAws("DescribeBroker", () => describeBroker())).rejects.toMatchObject({
      name: "TransientAwsError",
    });
  });

  it("lets the SDK's own retries ride out a transient fault", async () => {
    const retrying = new MqClient({ ...endpoint.clientConfig, maxAttempts: 3 });
    faults.add({
      service: "mq",
      operation: "GET /v1/brokers/*",
      error: { status: 503, code: "ServiceUnavailable" },
      times: 2,
    });

    await expect(describeBroker(retrying)).resolves.toMatchObject({ BrokerId: brokerId });
    retrying.destroy();
  });

  it("delays an operation", async () => {
    faults.add({ service: "mq", operation: "GET /v1/brokers/*", delayMs: 300, times: 1 });
    const started = Date.now();

    await describeBroker();

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("reads rules from MQOPS_FAULTS and names a bad one", () => {
    expect(
      parseFaultPlan(
        '[{"service":"states","operation":"StartExecution","error":{"status":400,"code":"ThrottlingException"},"times":1}]',
      ),
    ).toHaveLength(1);
    expect(() =>
      parseFaultPlan('[{"service":"mq","operation":"x","error":{"status":200,"code":"X"}}]'),
    ).toThrow(/MQOPS_FAULTS\[0\.error\.status\]/);
  });
});
