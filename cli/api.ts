import { resolveCredentials, resolveDataDir } from "../local/config.js";
import { readRunningCloud } from "../local/instance-lock.js";
import { signedFetch } from "./signed-fetch.js";

/** An error the CLI prints as one line and exits on, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Calls the local cloud's HTTP API (found through the data directory), signed with the local credentials. */
export async function callApi(method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const dataDir = resolveDataDir();
  const running = readRunningCloud(dataDir);
  if (running === undefined) {
    throw new CliError(
      `The local cloud is not running on ${dataDir}. Start it in another terminal with: npm start`,
    );
  }
  // Read only once a cloud runs: asking a stopped one must not generate credentials.
  const { credentials } = resolveCredentials(dataDir, process.env);
  let response: Response;
  try {
    response = await signedFetch(`${running.url}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials,
      region: running.region,
    });
  } catch (error) {
    throw new CliError(
      `The local cloud at ${running.url} does not answer (${(error as Error).cause ?? (error as Error).message}). Is \`npm start\` still running?`,
    );
  }
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { message: text };
  }
  return { status: response.status, body: parsed };
}

/** The body of a 2xx answer; anything else becomes a CliError with the API's own message and issues. */
export function expectOk(response: ApiResponse): Record<string, unknown> {
  if (response.status >= 200 && response.status < 300) return response.body;
  const { error, message, issues } = response.body as {
    error?: string;
    message?: string;
    issues?: { field: string; message: string }[];
  };
  const lines = [`${response.status} ${error ?? "Error"}: ${message ?? "the request failed"}`];
  for (const issue of issues ?? []) lines.push(`  ${issue.field}: ${issue.message}`);
  throw new CliError(lines.join("\n"));
}
