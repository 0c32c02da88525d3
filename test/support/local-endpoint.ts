import { startServer } from "../../local/server/server.js";
import type { LocalService } from "../../local/server/service.js";

/** Credentials every test endpoint accepts; anything else gets AWS's 403. */
export const TEST_CREDENTIALS = {
  accessKeyId: "AKIAMQOPSLOCALTEST01",
  secretAccessKey: "mqops-local-test-secret-key-0000000000000",
};

/**
 * Serves the given emulated services on a free loopback port; `clientConfig` is what an AWS SDK v3
 * client needs to talk to them (endpoint, region, the local credentials).
 */
export async function startLocalEndpoint(services: LocalService[], region = "us-east-1") {
  const server = await startServer({ port: 0, credentials: TEST_CREDENTIALS, services });
  return {
    url: server.url,
    close: server.close,
    clientConfig: { endpoint: server.url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 },
  };
}
