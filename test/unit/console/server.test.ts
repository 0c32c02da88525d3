import { request as httpRequest } from "node:http";
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieName, csrfToken } from "../../../console/auth.js";
import { type ConsoleServer, startConsoleServer } from "../../../console/server.js";
import type { ConsoleSources } from "../../../console/sources.js";

const TOKEN = "unit-test-token-unit-test-token-0000000000";
const BROKER_ID = "b-12345678-1234-1234-1234-123456789012";
const BROKER = {
  brokerId: BROKER_ID,
  brokerName: "orders<x>",
  brokerState: "RUNNING",
  deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
  engineType: "ACTIVEMQ",
  engineVersion: "5.18",
  instances: [{ endpoints: ["tcp://10.0.0.1:61617"] }, { endpoints: ["tcp://10.0.0.2:61617"] }],
  urls: { openwire: "failover:(tcp://10.0.0.1:61617,tcp://10.0.0.2:61617)" },
  maintenanceWindowStartTime: { DayOfWeek: "SUNDAY", TimeOfDay: "02:00", TimeZone: "UTC" },
  pendingChanges: { engineVersion: "5.19", users: [] },
  tags: { "mqops:managed": "true" },
};

const AUTOSCALING = {
  settings: { minConsumers: 1, maxConsumers: 8 },
  fleet: { status: "ACTIVE", desired: 3, running: 2 },
  alarms: [{ kind: "scale-out", alarmName: "a", state: "ALARM", stateReason: "backlog grows" }],
  decisions: [
    { at: 1796083200, detail: { action: "scale-out", desired: 3, reason: "arrivals exceed service" } },
  ],
};

const sfn = new SFNClient({ region: "us-east-1" });
const cloudwatch = new CloudWatchClient({ region: "us-east-1" });
const sfnMock = mockClient(sfn);
const cloudwatchMock = mockClient(cloudwatch);
const apiCalls: string[] = [];
const sources: ConsoleSources = {
  sfn,
  cloudwatch,
  stateMachinePrefix: "mqops-test-",
  label: "unit test",
  async api(path) {
    apiCalls.push(path);
    if (path === "/brokers") return { status: 200, body: { brokers: [{ brokerId: BROKER_ID }] } };
    if (path === `/brokers/${BROKER_ID}`) return { status: 200, body: BROKER };
    if (path === `/brokers/${BROKER_ID}/queues/jobs/autoscaling`) return { status: 200, body: AUTOSCALING };
    return { status: 404, body: { message: "Broker not found" } };
  },
  close() {},
};

let server: ConsoleServer;
const cookie = () => `${cookieName(Number(new URL(server.url).port))}=${TOKEN}`;
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { cookie: cookie(), ...headers }, redirect: "manual" });

beforeAll(async () => {
  sfnMock.on(ListStateMachinesCommand).resolves({
    stateMachines: [
      {
        name: "mqops-test-provisioning",
        stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-provisioning",
        type: "STANDARD",
        creationDate: new Date(),
      },
      {
        name: "someone-else",
        stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:someone-else",
        type: "STANDARD",
        creationDate: new Date(),
      },
    ],
  });
  sfnMock.on(ListExecutionsCommand).resolves({
    executions: [
      {
        executionArn: "arn:aws:states:us-east-1:123456789012:execution:mqops-test-provisioning:run-1",
        stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-provisioning",
        name: "run-1",
        status: "FAILED",
        startDate: new Date("2026-12-01T00:00:00Z"),
        stopDate: new Date("2026-12-01T00:01:05Z"),
      },
    ],
  });
  cloudwatchMock.on(ListMetricsCommand).resolves({ Metrics: [] });
  cloudwatchMock.on(ListMetricsCommand, { Dimensions: [{ Name: "Broker", Value: "orders<x>-1" }] }).resolves({
    Metrics: [
      {
        Namespace: "AWS/AmazonMQ",
        MetricName: "QueueSize",
        Dimensions: [
          { Name: "Broker", Value: "orders<x>-1" },
          { Name: "Queue", Value: "jobs" },
        ],
      },
    ],
  });
  cloudwatchMock.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: "q0_2_0", Timestamps: [new Date("2026-12-01T00:01:00Z")], Values: [7], StatusCode: "Complete" },
    ],
  });
  server = await startConsoleServer({ sources, token: TOKEN });
});

afterAll(async () => {
  await server.close();
});

describe("the console server", () => {
  it("listens on loopback only", async () => {
    await expect(startConsoleServer({ sources, host: "0.0.0.0" })).rejects.toThrow(/loopback only/);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.tokenUrl).toBe(`${server.url}/?token=${TOKEN}`);
  });

  it("turns the printed URL into an HttpOnly SameSite cookie and refuses requests without it", async () => {
    const first = await fetch(server.tokenUrl, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/brokers");
    expect(first.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    expect((await fetch(`${server.url}/brokers`)).status).toBe(403);
    expect((await fetch(`${server.url}/assets/console.js`)).status).toBe(403);
  });

  it("refuses a Host header other than its own loopback address (DNS rebinding)", async () => {
    const status = (host: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        const request = httpRequest(
          `${server.url}/brokers`,
          { headers: { host, cookie: cookie() } },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.on("error", reject);
        request.end();
      });
    expect(await status(`evil.example:${new URL(server.url).port}`)).toBe(403);
    expect(await status(new URL(server.url).host)).toBe(200);
  });

  it("lists brokers with escaped names, engine version, pending version, window and managed", async () => {
    const response = await get("/brokers");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const text = await response.text();
    expect(text).toContain("orders&lt;x&gt;");
    expect(text).not.toContain("orders<x>");
    expect(text).toContain("→ 5.19 pending");
    expect(text).toContain("SUNDAY 02:00 UTC");
    expect(text).toContain(`content="${csrfToken(TOKEN)}"`);
  });

  it("shows a broker's failover URL to copy, and 400 for a malformed ID, 404 for an unknown one", async () => {
    const page = await (await get(`/brokers/${BROKER_ID}`)).text();
    expect(page).toContain('data-copy="failover:(tcp://10.0.0.1:61617,tcp://10.0.0.2:61617)"');
    expect(page).toContain("<figcaption>jobs</figcaption>");
    expect(page).toContain("&quot;QueueSize&quot;:[7]");
    expect(page).toMatch(/<strong>2<\/strong> running of <strong>3<\/strong> desired/);
    expect(page).toContain("bounds 1–8");
    expect(page).toContain("arrivals exceed service");
    expect((await get("/brokers/orders")).status).toBe(400);
    expect((await get("/brokers/b-00000000-0000-0000-0000-000000000000")).status).toBe(404);
  });

  it("lists the project's executions only, with workflow, status and duration; bad filters are 400s", async () => {
    const text = await (await get("/executions?status=FAILED")).text();
    expect(text).toContain("run-1");
    expect(text).toContain("provisioning");
    expect(text).toContain("1 min 05 s");
    expect(text).not.toContain("someone-else");
    expect((await get("/executions?status=DONE")).status).toBe(400);
    expect((await get("/executions?workflow=someone-else")).status).toBe(400);
    expect((await get("/executions/not-an-arn")).status).toBe(400);
  });

  it("answers 404 for unknown routes and assets", async () => {
    expect((await get("/queues")).status).toBe(404);
    expect((await get("/brokers/a/b")).status).toBe(404);
    expect((await get("/assets/../package.json")).status).toBe(404);
    expect((await get("/assets/uPlot.iife.min.js")).status).toBe(200);
  });

  it("refuses state-changing requests without the CSRF token and origin", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/brokers`, { method: "POST", headers: { cookie: cookie(), ...headers } });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: server.url })).status).toBe(403);
    expect((await post({ origin: "http://evil.example", "x-csrf-token": csrfToken(TOKEN) })).status).toBe(
      403,
    );
    // With both, the request reaches routing: no console page changes state yet.
    expect((await post({ origin: server.url, "x-csrf-token": csrfToken(TOKEN) })).status).toBe(405);
  });
});
