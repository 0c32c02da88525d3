import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startConsoleServer } from "../console/server.js";
import { consoleSources, type SourcesOptions } from "../console/sources.js";
import { resolveCredentials, resolveDataDir } from "../local/config.js";
import { readRunningCloud } from "../local/instance-lock.js";
import { CliError } from "./api.js";

/** Where SST writes a deploy's outputs (`api` is the HTTP API's URL): see docs/deploy.md. */
const SST_OUTPUTS = path.join(process.cwd(), ".sst", "outputs.json");

/**
 * What `mqops console --stage S` runs against: the stage's API (from `--api-url`, else the `api` output of
 * the last `sst deploy`) in its region, with the default AWS credential chain. Pure but for reading the
 * outputs file it is given.
 */
export function stageSources(
  values: { stage: string; "api-url"?: string; region?: string },
  env: NodeJS.ProcessEnv,
  readOutputs: () => string | undefined,
): SourcesOptions {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(values.stage))
    throw new CliError("console: --stage is a stage name, e.g. prod");
  let apiUrl = values["api-url"];
  if (apiUrl === undefined) {
    const outputs = readOutputs();
    const api = outputs === undefined ? undefined : (JSON.parse(outputs) as { api?: unknown }).api;
    if (typeof api !== "string") {
      throw new CliError("console: give --api-url (the `api` output of `sst deploy --stage <stage>`)");
    }
    apiUrl = api;
  }
  if (!/^https:\/\/[^\s/]+/.test(apiUrl))
    throw new CliError(`console: --api-url must be an https URL, not ${apiUrl}`);
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined) throw new CliError("console: give --region or set AWS_REGION");
  return { apiUrl, region, stage: values.stage, label: `stage ${values.stage} in ${region}` };
}

/** The running local cloud, found through its data directory, signed with the local credentials. */
function localSources(): SourcesOptions {
  const dataDir = resolveDataDir();
  const running = readRunningCloud(dataDir);
  if (running === undefined) {
    throw new CliError(
      `console: the local cloud is not running on ${dataDir}. Start it with \`npm start\` (it serves the console too), or give --stage.`,
    );
  }
  const { credentials } = resolveCredentials(dataDir, process.env);
  return {
    apiUrl: running.url,
    endpoint: running.url,
    region: running.region,
    credentials,
    stage: "local",
    label: `local cloud ${running.url}`,
  };
}

/**
 * `mqops console [--stage S --api-url URL --region R] [--port N]`: the web console on 127.0.0.1 until
 * Ctrl-C. Against a stage, the API and AWS are called from this process with the caller's own AWS
 * credentials; the browser gets pages, never a credential.
 */
export async function consoleCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      stage: { type: "string" },
      "api-url": { type: "string" },
      region: { type: "string" },
      port: { type: "string", default: "0" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError("console: --port is 0-65535");
  const options =
    values.stage === undefined
      ? localSources()
      : stageSources({ ...values, stage: values.stage }, process.env, () =>
          existsSync(SST_OUTPUTS) ? readFileSync(SST_OUTPUTS, "utf8") : undefined,
        );
  const sources = consoleSources(options);
  const server = await startConsoleServer({
    sources,
    port,
    onError: (error) => console.error(`[mqops console] ${(error as Error).stack ?? error}`),
  }).catch((error: unknown) => {
    sources.close();
    throw new CliError(`console: ${(error as Error).message}`);
  });
  console.log(`mqops console for ${options.label}:\n  ${server.tokenUrl}\nCtrl-C stops it.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close().finally(() => {
        sources.close();
        resolve();
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
