import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { createCloudWatchService } from "../../../../local/cloudwatch/service.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

/** A moment on a minute boundary, so periods in tests are easy to read. */
export const T0 = Date.parse("2026-11-30T12:00:00Z");

/**
 * A local CloudWatch on a loopback endpoint with a clock the test moves, driven through the real
 * SDK client; `restart` closes it and starts a new one on the same data directory.
 */
export async function startCloudWatch() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-cloudwatch-"));
  const clock = { now: T0 + 30 * 60_000 };
  const open = async () => {
    const service = createCloudWatchService({ dataDir, region: "us-east-1", now: () => clock.now });
    const endpoint = await startLocalEndpoint([service]);
    return { service, endpoint, client: new CloudWatchClient(endpoint.clientConfig) };
  };
  let current = await open();
  return {
    clock,
    dataDir,
    get service() {
      return current.service;
    },
    get client() {
      return current.client;
    },
    get endpoint() {
      return current.endpoint;
    },
    async restart() {
      current.client.destroy();
      await current.endpoint.close();
      current = await open();
    },
    async close() {
      current.client.destroy();
      await current.endpoint.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const at = (minutes: number, seconds = 0) => new Date(T0 + minutes * 60_000 + seconds * 1000);
