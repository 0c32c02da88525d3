import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../../local/config.js";
import { assertNotRunning, clearRunningCloud, writeRunningCloud } from "../../../local/instance-lock.js";

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), "mqops-config-"));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe("resolveConfig", () => {
  it("defaults to 127.0.0.1:4566, .mqops/ and us-east-1, and generates credentials once, readable by the owner only", () => {
    const first = resolveConfig({}, cwd);
    expect(first).toMatchObject({
      host: "127.0.0.1",
      port: 4566,
      region: "us-east-1",
      credentialsSource: "generated",
    });
    expect(first.dataDir).toBe(path.join(cwd, ".mqops"));
    expect(first.credentials.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(statSync(path.join(first.dataDir, "credentials.json")).mode & 0o777).toBe(0o600);

    const second = resolveConfig({}, cwd);
    expect(second.credentials).toEqual(first.credentials);
    expect(second.credentialsSource).toBe("data directory");
  });

  it("takes the port, data directory, region and credentials from MQOPS_* variables", () => {
    const config = resolveConfig(
      {
        MQOPS_PORT: "4600",
        MQOPS_DATA_DIR: "other",
        MQOPS_REGION: "eu-west-1",
        MQOPS_ACCESS_KEY_ID: "AKIAEXAMPLE",
        MQOPS_SECRET_ACCESS_KEY: "secret",
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 4600,
      region: "eu-west-1",
      dataDir: path.join(cwd, "other"),
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret" },
      credentialsSource: "environment",
    });
  });

  it.each([
    [{ MQOPS_PORT: "http" }, "MQOPS_PORT must be a port number"],
    [{ MQOPS_PORT: "70000" }, "MQOPS_PORT must be a port number"],
    [{ MQOPS_ACCESS_KEY_ID: "AKIAEXAMPLE" }, "Set both MQOPS_ACCESS_KEY_ID and MQOPS_SECRET_ACCESS_KEY"],
  ])("refuses %o with a clear message", (env, message) => {
    expect(() => resolveConfig(env, cwd)).toThrow(message);
  });
});

describe("one local cloud per data directory", () => {
  it("refuses a second cloud while the first one's process lives, and allows it once it is gone", () => {
    const info = {
      url: "http://127.0.0.1:1",
      region: "us-east-1",
      startedAt: "",
    };
    writeRunningCloud(cwd, { ...info, pid: process.ppid });
    expect(() => assertNotRunning(cwd)).toThrow(/A local cloud already runs on .* \(pid \d+/);

    writeRunningCloud(cwd, { ...info, pid: 2 ** 22 + 1 });
    expect(() => assertNotRunning(cwd)).not.toThrow();
    clearRunningCloud(cwd);
    expect(() => assertNotRunning(cwd)).not.toThrow();
  });
});
