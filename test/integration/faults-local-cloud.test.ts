import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeBrokerCommand, type MqClient, RebootBrokerCommand } from "@aws-sdk/client-mq";
import { DescribeExecutionCommand, type HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "../../local/brokers/ports.js";
import { drillClients, historyWhenEnded, leftoversOf } from "../../local/faults/drill.js";
import { readRunningCloud } from "../../local/instance-lock.js";
import { CLOUD_CREDENTIALS, LocalCloudProcess } from "./support/local-cloud-process.js";
import { pidsMatching, until } from "./support/wait.js";

// `mqops up` with real ActiveMQ JVMs, its faults set from MQOPS_FAULTS and driven with `mqops chaos`
// as a user would from another terminal: a permanent fault after a JVM started (nothing left: no
// process, no open port), an instance killed for good (DescribeBroker shows it), and the cloud
// stopped in the middle of a provisioning step (the re-run keeps the first run's deadline).
const TIMEOUT_MS = 120_000;
const STATE_TABLE = "mqops-local-state";
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-faults-cloud-"));
const cloud = new LocalCloudProcess(dataDir, {
  // A 500 on the first CreateBroker, from the start: the SDK's and the workflow's retries ride it out.
  MQOPS_FAULTS: JSON.stringify([
    {
      service: "mq",
      operation: "POST /v1/brokers",
      error: { status: 500, code: "InternalServerErrorException" },
      times: 1,
    },
  ]),
});
let mq: MqClient;
let sfn: SFNClient;

const request = (brokerName: string, clientToken: string) => ({
  brokerName,
  clientToken,
  engineType: "ACTIVEMQ",
  engineVersion: "5.18",
  deploymentMode: "SINGLE_INSTANCE",
  hostInstanceType: "mq.m5.large",
  users: [{ username: "app", password: "Fault-Drill-Pass-42" }],
});

const brokerJvms = (brokerId: string) =>
  pidsMatching(`xbean:file:${path.join(dataDir, "brokers", brokerId)}/`);
const portsIn = (urls: unknown) =>
  [...JSON.stringify(urls).matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));

/** A state's output (the whole state after its ResultPath) each time it exited, parsed. */
const exits = (events: HistoryEvent[], state: string) =>
  events
    .filter((event) => event.stateExitedEventDetails?.name === state)
    .map((event) => JSON.parse(event.stateExitedEventDetails?.output ?? "{}") as Record<string, unknown>);

async function provision(brokerName: string, clientToken: string) {
  const started = await cloud.api("POST", "/brokers", request(brokerName, clientToken));
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return String(started.body.executionArn);
}

async function chaos(...args: string[]) {
  const result = await cloud.cli(["chaos", ...args]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  await cloud.start();
  mq = cloud.mq();
  sfn = new SFNClient(cloud.clientConfig());
}, TIMEOUT_MS);

afterAll(async () => {
  mq?.destroy();
  sfn?.destroy();
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

describe("faults in the local cloud with real brokers", () => {
  let running = "";

  it(
    "applies MQOPS_FAULTS from the start and provisions through them",
    async () => {
      expect(await chaos("list")).toContain(
        "mq POST /v1/brokers → 500 InternalServerErrorException (1 left)",
      );

      const events = await historyWhenEnded(sfn, await provision("fault-steady", "fault-steady-1"), 90_000);

      expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
      expect(await chaos("list")).toMatch(/No fault rules\.\nFaults applied since the start: 1/);
      running = String(exits(events, "Provisioned")[0]?.brokerId);
      expect(brokerJvms(running)).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    "compensates a permanent fault after the broker's JVM started: no process, port, broker or record left",
    async () => {
      await chaos(
        "add",
        "--service",
        "mq",
        "--operation",
        "POST /v1/tags/*",
        "--error",
        "403:ForbiddenException",
        "--times",
        "1",
      );

      const events = await historyWhenEnded(sfn, await provision("fault-tags", "fault-tags-1"), 90_000);

      expect(events.at(-1)?.executionFailedEventDetails?.error).toBe("ProvisioningFailedError");
      const [endpoints = {}] = exits(events, "ReadEndpoints");
      const brokerId = String((endpoints.broker as { brokerId?: string } | undefined)?.brokerId);
      const ports = portsIn((endpoints.endpoints as { urls?: unknown } | undefined)?.urls);
      expect(ports.length).toBeGreaterThanOrEqual(2);
      const clients = drillClients({ url: cloud.url, region: "us-east-1", credentials: CLOUD_CREDENTIALS });
      try {
        expect(
          await leftoversOf(clients, {
            brokerName: "fault-tags",
            clientToken: "fault-tags-1",
            brokerId,
            stateTable: STATE_TABLE,
          }),
        ).toEqual([]);
      } finally {
        clients.destroy();
      }
      expect(brokerJvms(brokerId)).toEqual([]);
      for (const port of ports) expect(await isPortFree(port), `port ${port}`).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    "shows an instance the local cloud gave up restarting as CRITICAL_ACTION_REQUIRED until a reboot",
    async () => {
      expect(await chaos("kill", running, "--for-good")).toContain("Killed instance(s) 1");

      const broken = await mq.send(new DescribeBrokerCommand({ BrokerId: running }));
      expect(broken.BrokerState).toBe("CRITICAL_ACTION_REQUIRED");
      expect(broken.ActionsRequired).toEqual([
        expect.objectContaining({ ActionRequiredCode: "BROKER_INSTANCE_FAILED" }),
      ]);
      expect(brokerJvms(running)).toEqual([]);
      const listed = await cloud.api("GET", "/brokers");
      expect(listed.body.brokers).toContainEqual(
        expect.objectContaining({ brokerId: running, brokerState: "CRITICAL_ACTION_REQUIRED" }),
      );

      await mq.send(new RebootBrokerCommand({ BrokerId: running }));
      await until("the rebooted broker RUNNING", async () => {
        const described = await mq.send(new DescribeBrokerCommand({ BrokerId: running }));
        return described.BrokerState === "RUNNING" ? described : undefined;
      });
      expect(brokerJvms(running)).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    "re-runs a provisioning the cloud stopped in the middle of, with the first run's deadline",
    async () => {
      await chaos(
        "add",
        "--service",
        "mq",
        "--operation",
        "GET /v1/brokers/*",
        "--stop-cloud",
        "--times",
        "1",
      );
      const executionArn = await provision("fault-stopped", "fault-stopped-1");
      await until("the local cloud to stop", async () =>
        readRunningCloud(dataDir) === undefined ? true : undefined,
      );

      await cloud.start();
      sfn.destroy();
      sfn = new SFNClient(cloud.clientConfig());
      const events = await historyWhenEnded(sfn, executionArn, 90_000);

      expect(events.at(-1)?.type).toBe("ExecutionSucceeded");
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described.redriveCount).toBe(1);
      const deadlines = exits(events, "ValidateRequest").map(
        (state) => (state.validation as { deadline?: string }).deadline,
      );
      expect(deadlines).toHaveLength(2);
      expect(deadlines[1]).toBe(deadlines[0]);
      const brokerId = String(exits(events, "Provisioned")[0]?.brokerId);
      expect(brokerJvms(brokerId)).toHaveLength(1);
    },
    TIMEOUT_MS,
  );
});
