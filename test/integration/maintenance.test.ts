import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DescribeBrokerCommand, UpdateConfigurationCommand } from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveTraffic, type TrafficFigures } from "./support/live-traffic.js";
import { LocalCloudProcess } from "./support/local-cloud-process.js";
import { StompSession } from "./support/stomp-client.js";

// The whole local cloud (`mqops up` as a child process) with real JVMs: POST /brokers provisions
// three brokers, POST /maintenance upgrades them while an application keeps traffic on the pair.
const TIMEOUT_MS = 180_000;
const USER = { username: "app", password: "Integration-Pass-42" };
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-maintenance-"));
const cloud = new LocalCloudProcess(dataDir);

/** A configuration revision that starts but lets no client use any queue: the postcheck must fail. */
const BROKEN_XML = `<broker xmlns="http://activemq.apache.org/schema/core">
  <plugins>
    <authorizationPlugin>
      <map>
        <authorizationMap>
          <authorizationEntries>
            <authorizationEntry queue=">" read="nobody" write="nobody" admin="nobody"/>
          </authorizationEntries>
        </authorizationMap>
      </map>
    </authorizationPlugin>
  </plugins>
</broker>`;

interface Broker {
  brokerId: string;
  stompUrl: string;
}

async function provision(brokerName: string, extra: Record<string, unknown>): Promise<Broker> {
  const created = await cloud.api("POST", "/brokers", {
    brokerName,
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    users: [{ ...USER }],
    ...extra,
  });
  expect(created.status).toBe(202);
  const result = await cloud.executionResult(String(created.body.executionId));
  expect(result.status).toBe("SUCCEEDED");
  const output = result.output as { brokerId: string; endpoints: { urls: Record<string, string> } };
  return { brokerId: output.brokerId, stompUrl: output.endpoints.urls.stomp ?? "" };
}

const portsIn = (url: string) => [...url.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));

let pair: Broker;
let broken: Broker;
let skipped: Broker;
let figures: TrafficFigures;
let run: Record<string, unknown>;

beforeAll(async () => {
  process.env.MAINTENANCE_POLL_SECONDS = "1";
  await cloud.start();
  [pair, broken, skipped] = await Promise.all([
    provision("maint-a-pair", { deploymentMode: "ACTIVE_STANDBY_MULTI_AZ", hostInstanceType: "mq.m5.large" }),
    provision("maint-b-broken", { deploymentMode: "SINGLE_INSTANCE", hostInstanceType: "mq.t3.micro" }),
    provision("maint-c-skip", {
      deploymentMode: "SINGLE_INSTANCE",
      hostInstanceType: "mq.t3.micro",
      tags: { "mqops:maintenance": "skip" },
    }),
  ]);
  // The broken broker has a queue with a message, and a new revision nobody may use a queue with.
  const [brokenPort = 0] = portsIn(broken.stompUrl);
  const session = await StompSession.connect(brokenPort, USER);
  await session.sendPersistent("orders", ["order-1"]);
  await session.close();
  const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: broken.brokerId }));
  await cloud.mq().send(
    new UpdateConfigurationCommand({
      ConfigurationId: described.Configurations?.Current?.Id ?? "",
      Data: Buffer.from(BROKEN_XML).toString("base64"),
      Description: "denies every queue to every user",
    }),
  );

  const traffic = new LiveTraffic(pair.stompUrl, USER, "maintenance.traffic");
  traffic.start();
  while (traffic.receivedCount < 20) await sleep(100);
  const started = await cloud.api("POST", "/maintenance", {
    brokerIds: [pair.brokerId, broken.brokerId, skipped.brokerId],
    targetEngineVersion: "5.19",
  });
  expect(started.status).toBe(202);
  const id = String(started.body.maintenanceId);
  const deadline = Date.now() + 120_000;
  do {
    await sleep(1_000);
    run = (await cloud.api("GET", `/maintenance/${id}`)).body;
  } while (run.status === "RUNNING" && Date.now() < deadline);
  // A little traffic after the run, then everything confirmed must have arrived.
  const receivedByRunEnd = traffic.receivedCount;
  while (traffic.receivedCount < receivedByRunEnd + 10) await sleep(100);
  figures = await traffic.stop();
}, TIMEOUT_MS);

afterAll(async () => {
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const brokerRecord = (brokerId: string) =>
  (run.brokers as Record<string, unknown>[]).find((broker) => broker.brokerId === brokerId);

describe("maintenance on the local cloud, real brokers", () => {
  it("upgrades the active/standby pair to 5.19 under live traffic with no message lost", async () => {
    expect(brokerRecord(pair.brokerId)).toMatchObject({ status: "COMPLETED", role: "canary" });
    const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: pair.brokerId }));
    expect(described.EngineVersion).toBe("5.19");
    expect(described.PendingEngineVersion).toBeUndefined();
    expect(described.BrokerState).toBe("RUNNING");
    expect(figures.confirmed).toBeGreaterThan(100);
    expect(figures.lost).toBe(0);
    expect(figures.failedSends).toBe(0);
  });

  it("rolls back a broken configuration revision with a reboot, and reports it with a runbook", async () => {
    expect(brokerRecord(broken.brokerId)).toMatchObject({
      status: "ROLLED_BACK",
      error: "MaintenancePostcheckFailedError",
    });
    expect(brokerRecord(broken.brokerId)?.runbook).toEqual(
      expect.arrayContaining([expect.stringContaining("rolled back to revision 1")]),
    );
    const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: broken.brokerId }));
    expect(described.Configurations?.Current?.Revision).toBe(1);
    expect(described.BrokerState).toBe("RUNNING");
    // The broker serves again, its queue and message still there.
    const [port = 0] = portsIn(broken.stompUrl);
    const session = await StompSession.connect(port, USER);
    expect(await session.receive("orders", 1, 5_000)).toEqual(["order-1"]);
    await session.close();
  });

  it("leaves a broker tagged mqops:maintenance=skip alone and reports it skipped", async () => {
    expect(brokerRecord(skipped.brokerId)).toMatchObject({ status: "SKIPPED" });
    const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: skipped.brokerId }));
    expect(described.EngineVersion).toBe("5.18");
  });

  it("ends the run FAILED (a broker was rolled back), with every broker's outcome", () => {
    expect(run).toMatchObject({
      status: "FAILED",
      error: { error: "MaintenanceFailedError" },
      summary: { completed: 1, rolledBack: 1, skipped: 1 },
    });
  });
});
