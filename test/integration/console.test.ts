import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../local/states/lambda-runtime.js";
import { LocalCloudProcess } from "./support/local-cloud-process.js";
import { StompSession } from "./support/stomp-client.js";

// The console in Debian's chromium (headless, through playwright-core) against `mqops up` as a user runs
// it: a provisioned broker with a queue that has metrics, its provisioning execution, and a failed one.
const TIMEOUT_MS = 180_000;
const TEST_TIMEOUT_MS = 60_000;
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = path.join(PROJECT_ROOT, "test-output", "console");
const USER = { username: "app", password: "Console-Test-Pass-42" };
const FAILED_INPUT_PASSWORD = "Never-Shown-Secret-7";
const QUEUE = "orders.in";
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-console-"));
const cloud = new LocalCloudProcess(dataDir, { MQOPS_METRICS_PERIOD_SECONDS: "10" });
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser: Browser;
let consoleUrl: URL;
let brokerId = "";
let provisioningArn = "";
let failedArn = "";

/** A workflow of the project's shape (`mqops-local-…`) whose Fail state ends it: a failed execution. */
const FAILING_DEFINITION = JSON.stringify({
  StartAt: "ValidateRequest",
  States: {
    ValidateRequest: { Type: "Pass", Next: "IsValid" },
    IsValid: {
      Type: "Choice",
      Choices: [{ Variable: "$.valid", BooleanEquals: true, Next: "Done" }],
      Default: "RejectRequest",
    },
    RejectRequest: {
      Type: "Fail",
      Error: "BrokerRequestInvalid",
      Cause: "The engine version is not offered.",
    },
    Done: { Type: "Succeed" },
  },
});

/** A signed-in page: the printed URL (token) once, then the cookie. CSP bypassed only to inject axe. */
async function signedIn(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  const response = await page.goto(consoleUrl.href);
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).searchParams.has("token")).toBe(false);
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The page at both widths, screenshot into test-output/console/, with no serious accessibility issue. */
async function atBothWidths(name: string, pathAndQuery: string, check: (page: Page) => Promise<void>) {
  for (const width of [1280, 390]) {
    const page = await signedIn(width);
    const response = await page.goto(new URL(pathAndQuery, consoleUrl).href);
    expect(response?.status()).toBe(200);
    await check(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }
}

beforeAll(async () => {
  expect(existsSync(CHROMIUM), "Debian's chromium (apt-get install -y chromium; .ci/run does it)").toBe(true);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await cloud.start();
  const printed = cloud.output.match(/console\s+(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)?.[1];
  expect(printed, cloud.output).toBeDefined();
  consoleUrl = new URL(printed ?? "");
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });

  const sfn = new SFNClient(cloud.clientConfig());
  const machine = await sfn.send(
    new CreateStateMachineCommand({
      name: "mqops-local-console-check",
      definition: FAILING_DEFINITION,
      roleArn: "arn:aws:iam::000000000000:role/console-check",
    }),
  );
  const failed = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machine.stateMachineArn,
      name: "rejected-request",
      input: JSON.stringify({
        valid: false,
        request: { users: [{ username: "x", password: FAILED_INPUT_PASSWORD }] },
      }),
    }),
  );
  failedArn = failed.executionArn ?? "";
  sfn.destroy();

  const started = await cloud.api("POST", "/brokers", {
    brokerName: "console-orders",
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode: "SINGLE_INSTANCE",
    hostInstanceType: "mq.m5.large",
    users: [USER],
  });
  expect(started.status).toBe(202);
  const execution = await cloud.executionResult(String(started.body.executionId));
  expect(execution.status).toBe("SUCCEEDED");
  provisioningArn = String(execution.executionArn);
  const output = execution.output as { brokerId: string; endpoints: { urls: Record<string, string> } };
  brokerId = output.brokerId;
  const stompPort = Number(output.endpoints.urls.stomp?.match(/:(\d+)/)?.[1]);
  const producer = await StompSession.connect(stompPort, USER);
  await producer.sendPersistent(QUEUE, ["one", "two", "three"]);
  await producer.close();
}, TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

describe("the console", () => {
  it(
    "is printed by mqops up and refuses every request without its token",
    async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const bare = await page.goto(new URL("/brokers", consoleUrl).href);
      expect(bare?.status()).toBe(403);
      const wrong = await page.goto(new URL("/brokers?token=not-the-token", consoleUrl).href);
      expect(wrong?.status()).toBe(403);
      const asset = await page.goto(new URL("/assets/console.js", consoleUrl).href);
      expect(asset?.status()).toBe(403);
      await context.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "answers 404 for unknown routes, 400 for bad parameters and 403 for a POST without CSRF token",
    async () => {
      const page = await signedIn(1280);
      expect((await page.goto(new URL("/queues", consoleUrl).href))?.status()).toBe(404);
      expect((await page.goto(new URL("/brokers/not-a-broker", consoleUrl).href))?.status()).toBe(400);
      expect((await page.goto(new URL("/executions?status=MAYBE", consoleUrl).href))?.status()).toBe(400);
      expect((await page.goto(new URL("/executions/arn%3Aaws%3Anope", consoleUrl).href))?.status()).toBe(400);
      const post = await page.request.post(new URL("/brokers", consoleUrl).href, {
        headers: { origin: consoleUrl.origin },
      });
      expect(post.status()).toBe(403);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "lists the broker with its state, mode, engine version and whether mqops manages it",
    async () => {
      await atBothWidths("brokers", "/brokers", async (page) => {
        const row = page.locator("#brokers tbody tr", { hasText: "console-orders" });
        await expect.poll(() => row.count()).toBe(1);
        const text = await row.textContent();
        expect(text).toContain("RUNNING");
        expect(text).toContain("SINGLE_INSTANCE");
        expect(text).toContain("5.18");
        expect(text).toMatch(/yes/);
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows the broker's endpoints, URLs to copy, configuration and its queue's metrics as a chart",
    async () => {
      await atBothWidths("broker", `/brokers/${brokerId}`, async (page) => {
        await expect
          .poll(() => page.locator(".copy__value").first().textContent())
          .toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
        expect(await page.locator(".facts").textContent()).toMatch(/revision 1/);
        // The collector publishes every 10 s; live refresh brings the queue in without a reload.
        await expect
          .poll(() => page.locator(".chart figcaption", { hasText: QUEUE }).count(), { timeout: 45_000 })
          .toBe(1);
        await expect.poll(() => page.locator(".chart canvas").count()).toBeGreaterThan(0);
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "lists the executions of every workflow and filters them by workflow and status",
    async () => {
      await atBothWidths("executions", "/executions", async (page) => {
        const table = page.locator("#executions");
        await expect.poll(() => table.textContent()).toContain("rejected-request");
        expect(await table.textContent()).toMatch(/provisioning\s+SUCCEEDED/);
      });
      const page = await signedIn(1280);
      await page.goto(new URL("/executions", consoleUrl).href);
      await page.selectOption("select[name=status]", "FAILED");
      await Promise.all([page.waitForURL(/status=FAILED/), page.click("button[type=submit]")]);
      const rows = await page.locator("#executions tbody tr").allTextContents();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toContain("FAILED");
      await page.goto(new URL("/executions?workflow=provisioning", consoleUrl).href);
      expect(await page.locator("#executions").textContent()).not.toContain("rejected-request");
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "draws a failed execution's graph with the failed state red, its error and cause, and no password",
    async () => {
      await atBothWidths("execution-failed", `/executions/${encodeURIComponent(failedArn)}`, async (page) => {
        const failedNode = page.locator('svg.graph g[data-state="RejectRequest"]');
        expect(await failedNode.getAttribute("class")).toContain("node--failed");
        expect(
          await failedNode
            .locator("rect")
            .evaluate(
              (rect) =>
                (
                  globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }
                ).getComputedStyle(rect).stroke,
            ),
        ).toBe("rgb(176, 25, 15)");
        expect(await page.locator('g[data-state="ValidateRequest"]').getAttribute("class")).toContain(
          "node--visited",
        );
        expect(await page.locator('g[data-state="Done"]').getAttribute("data-status")).toBe("not run");
        expect(await page.locator(".failure").textContent()).toContain("BrokerRequestInvalid");
        expect(await page.locator(".failure").textContent()).toContain("The engine version is not offered.");
        const html = await page.content();
        expect(html).not.toContain(FAILED_INPUT_PASSWORD);
        expect(html).toContain("********");
        expect(await page.locator(".history").textContent()).toContain("ExecutionFailed");
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "draws the provisioning execution's path with every state it ran and none failed",
    async () => {
      await atBothWidths(
        "execution-provisioning",
        `/executions/${encodeURIComponent(provisioningArn)}`,
        async (page) => {
          expect(await page.locator("svg.graph .node--failed").count()).toBe(0);
          expect(await page.locator("svg.graph .node--visited").count()).toBeGreaterThan(3);
          expect(await page.locator("svg.graph .edge--taken").count()).toBeGreaterThan(3);
          expect(await page.content()).not.toContain(USER.password);
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows a new execution on the executions page without a reload",
    async () => {
      const page = await signedIn(1280);
      await page.goto(new URL("/executions", consoleUrl).href);
      await page.evaluate("window.loadedOnce = true");
      const sfn = new SFNClient(cloud.clientConfig());
      const arn = failedArn.replace(/:execution:([^:]+):rejected-request$/, ":stateMachine:$1");
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn: arn, name: "live-one", input: '{"valid":true}' }),
      );
      sfn.destroy();
      await expect
        .poll(() => page.locator("#executions").textContent(), { timeout: 15_000 })
        .toContain("live-one");
      expect(await page.evaluate("window.loadedOnce")).toBe(true);
      await page.context().close();
    },
    TEST_TIMEOUT_MS,
  );
});
