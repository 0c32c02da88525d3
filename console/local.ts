import { type ConsoleServer, startConsoleServer } from "./server.js";
import { consoleSources } from "./sources.js";

/**
 * The console of a local cloud: its HTTP API, Step Functions and CloudWatch on the local endpoint, signed
 * with the local credentials server-side, on a free loopback port of its own (the endpoint's port takes
 * only SigV4-signed requests).
 */
export async function startLocalConsole(options: {
  endpointUrl: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  host: string;
  onError: (error: unknown) => void;
}): Promise<ConsoleServer> {
  const sources = consoleSources({
    apiUrl: options.endpointUrl,
    endpoint: options.endpointUrl,
    region: options.region,
    credentials: options.credentials,
    stage: "local",
    label: `local cloud ${options.endpointUrl}`,
  });
  const server = await startConsoleServer({ sources, host: options.host, onError: options.onError });
  return {
    ...server,
    close: async () => {
      await server.close();
      sources.close();
    },
  };
}
