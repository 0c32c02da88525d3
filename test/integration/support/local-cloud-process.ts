import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MqClient } from "@aws-sdk/client-mq";
import { signedFetch } from "../../../cli/signed-fetch.js";
import { readRunningCloud } from "../../../local/instance-lock.js";
import { PROJECT_ROOT } from "../../../local/states/lambda-runtime.js";

const MQOPS = path.join(PROJECT_ROOT, "cli/mqops.ts");

export const CLOUD_CREDENTIALS = {
  accessKeyId: "AKIAMQOPSINTEGRATION",
  secretAccessKey: "mqops-integration-secret-key-000000000000",
};

/**
 * `mqops up` as a child process on a data directory of its own and a free port, as a user runs it.
 * `stop()` sends SIGINT (Ctrl-C) and waits for it to exit.
 */
export class LocalCloudProcess {
  private child: ChildProcess | undefined;
  output = "";
  url = "";

  /** `extraEnv` is added to the cloud's environment and every `cli` call's (e.g. MQOPS_METRICS_PERIOD_SECONDS). */
  constructor(
    readonly dataDir: string,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  private env() {
    return {
      ...process.env,
      ...this.extraEnv,
      MQOPS_DATA_DIR: this.dataDir,
      MQOPS_PORT: "0",
      MQOPS_ACCESS_KEY_ID: CLOUD_CREDENTIALS.accessKeyId,
      MQOPS_SECRET_ACCESS_KEY: CLOUD_CREDENTIALS.secretAccessKey,
    };
  }

  async start(timeoutMs = 60_000): Promise<void> {
    this.output = "";
    const child = spawn(process.execPath, ["--import", "tsx", MQOPS, "up"], {
      cwd: PROJECT_ROOT,
      env: this.env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.output += chunk.toString();
    });
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const running = readRunningCloud(this.dataDir);
      if (running !== undefined && running.pid === child.pid && this.output.includes("local cloud is up")) {
        this.url = running.url;
        return;
      }
      if (child.exitCode !== null) throw new Error(`mqops up exited with ${child.exitCode}:\n${this.output}`);
      await sleep(100);
    }
    throw new Error(`mqops up did not come up within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Ctrl-C, then wait for the process to end (it stops every broker first). */
  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGINT");
    await Promise.race([exited, sleep(timeoutMs)]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }

  /** Last resort for a failed test: any JVM still running from this data directory is killed. */
  killLeftovers(): void {
    try {
      execFileSync("pkill", ["-9", "-f", `xbean:file:${this.dataDir}`]);
    } catch {
      // pkill exits 1 when nothing matched: nothing was left.
    }
  }

  /** Runs `mqops <args>` as a user would in another terminal, against this cloud's data directory. */
  cli(
    args: string[],
    env: Record<string, string> = {},
    timeoutMs = 120_000,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", MQOPS, ...args],
        { cwd: PROJECT_ROOT, env: { ...this.env(), ...env }, timeout: timeoutMs },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  mq(): MqClient {
    return new MqClient(this.clientConfig());
  }

  /** For any SDK v3 client of the local endpoint: `new CloudWatchClient(cloud.clientConfig())`. */
  clientConfig() {
    return { endpoint: this.url, region: "us-east-1", credentials: CLOUD_CREDENTIALS, maxAttempts: 1 };
  }

  /** The HTTP API, signed for execute-api as an IAM-authorized caller. */
  async api(
    method: string,
    apiPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await signedFetch(`${this.url}${apiPath}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: CLOUD_CREDENTIALS,
      region: "us-east-1",
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  /** Polls GET /executions/{id} until the execution ends. */
  async executionResult(executionId: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const { body } = await this.api("GET", `/executions/${executionId}`);
      if (body.status !== "RUNNING") return body;
      await sleep(500);
    }
    throw new Error(`execution ${executionId} still RUNNING after ${timeoutMs} ms`);
  }
}
