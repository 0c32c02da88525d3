import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCloud, startLocalCloud } from "../../local/cloud.js";
import {
  type DrillCase,
  type DrillClients,
  type DrillTarget,
  drillClients,
  drillVerdict,
  FAILOVER_DRILL,
  PROVISIONING_DRILL,
  runDrillCase,
  runExecutionDrill,
} from "../../local/faults/drill.js";
import { FakeRuntime } from "../unit/local/mq/fake-runtime.js";
import { CLOUD_CREDENTIALS } from "./support/local-cloud-process.js";

// Every Task of the provisioning workflow with real faults injected into the local cloud (its HTTP API,
// Step Functions, Amazon MQ, Secrets Manager, DynamoDB and SNS over HTTP), the brokers on the control
// plane's fake runtime (no JVM adds anything here: test/integration/faults-local-cloud.test.ts has the
// real ones). One local cloud in this process; Wait and Retry pauses shortened to nothing.
const STATE_TABLE = "mqops-local-state";
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-faults-provisioning-"));
const runtime = new FakeRuntime();
let cloud: LocalCloud;
let target: DrillTarget;
let clients: DrillClients;

beforeAll(async () => {
  // The handlers' SDK clients then make one attempt per call, so the fault reaches the workflow's
  // Retry (the SDK's own retries would otherwise absorb a single throttle before the step saw it).
  process.env.AWS_MAX_ATTEMPTS = "1";
  cloud = await startLocalCloud(
    {
      host: "127.0.0.1",
      port: 0,
      region: "us-east-1",
      dataDir,
      credentials: CLOUD_CREDENTIALS,
      metricsPeriodSeconds: 60,
      credentialsSource: "environment",
    },
    { log: () => {} },
    { runtime, skipDelays: true },
  );
  target = { url: cloud.url, region: cloud.region, credentials: CLOUD_CREDENTIALS };
  clients = drillClients(target);
});

afterAll(async () => {
  clients?.destroy();
  await cloud?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("provisioning under injected faults", () => {
  it.each(PROVISIONING_DRILL.map((drill, index) => [drill.name, drill, index] as const))(
    "%s",
    async (_name, drill, index) => {
      const run = {
        brokerName: `drill-${index}`,
        clientToken: `drill-token-${index}`,
        stateTable: STATE_TABLE,
      };

      const outcome = await runDrillCase(target, clients, drill, run);

      expect(drillVerdict(drill, outcome), JSON.stringify(outcome)).toEqual([]);
      if (outcome.status === "FAILED" && outcome.brokerId !== undefined) {
        expect(runtime.isRunning(outcome.brokerId)).toBe(false);
        expect(runtime.destroys).toContain(outcome.brokerId);
      }
    },
  );

  it.each(FAILOVER_DRILL.map((drill, index) => [drill.name, drill, index] as const))(
    "%s",
    async (_name, drill, index) => {
      const outcome = await runExecutionDrill(target, clients, drill, {
        stateMachineArn: String(cloud.stateMachineArns.failover),
        name: `failover-drill-${index}`,
        input: { source: "schedule" },
      });

      expect(drillVerdict(drill, outcome), JSON.stringify(outcome)).toEqual([]);
    },
  );

  it("deletes a broker that ends CREATION_FAILED and ends in BrokerCreationFailedError", async () => {
    runtime.failNextStart(new Error("injected: the broker's JVM would not start"));
    const drill: DrillCase = {
      name: "CREATION_FAILED",
      step: "CheckBrokerState",
      rules: [],
      expected: { status: "FAILED", error: "BrokerCreationFailedError" },
    };

    const outcome = await runDrillCase(target, clients, drill, {
      brokerName: "drill-creation-failed",
      clientToken: "drill-token-creation-failed",
      stateTable: STATE_TABLE,
    });

    expect(drillVerdict(drill, outcome), JSON.stringify(outcome)).toEqual([]);
  });
});
