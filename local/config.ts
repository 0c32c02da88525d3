import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type MetricsPeriodSeconds, parseMetricsPeriod } from "./metrics/period.js";
import type { LocalCredentials } from "./server/sigv4.js";

export interface LocalCloudConfig {
  host: string;
  port: number;
  region: string;
  dataDir: string;
  credentials: LocalCredentials;
  /** How often brokers' counters become AWS/AmazonMQ metrics (MQOPS_METRICS_PERIOD_SECONDS: 60, or 10/30). */
  metricsPeriodSeconds: MetricsPeriodSeconds;
  /** Where the credentials came from, for the start banner. */
  credentialsSource: "environment" | "generated" | "data directory";
}

export const DEFAULT_PORT = 4566;
export const DEFAULT_DATA_DIR = ".mqops";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** An access key id shaped like AWS's (AKIA + 16), so tools that check the shape accept it. */
function generateCredentials(): LocalCredentials {
  const id = [...randomBytes(16)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join("");
  return {
    accessKeyId: `AKIA${id}`,
    secretAccessKey: randomBytes(30).toString("base64").replace(/[+/]/g, "x"),
  };
}

/**
 * The credentials requests must be signed with: MQOPS_ACCESS_KEY_ID / MQOPS_SECRET_ACCESS_KEY when
 * both are set, else the pair generated once into `<dataDir>/credentials.json` (mode 0600).
 */
export function resolveCredentials(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Pick<LocalCloudConfig, "credentials" | "credentialsSource"> {
  const accessKeyId = env.MQOPS_ACCESS_KEY_ID;
  const secretAccessKey = env.MQOPS_SECRET_ACCESS_KEY;
  if (
    accessKeyId !== undefined &&
    secretAccessKey !== undefined &&
    accessKeyId !== "" &&
    secretAccessKey !== ""
  ) {
    return { credentials: { accessKeyId, secretAccessKey }, credentialsSource: "environment" };
  }
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    throw new Error("Set both MQOPS_ACCESS_KEY_ID and MQOPS_SECRET_ACCESS_KEY, or neither.");
  }
  const file = path.join(dataDir, "credentials.json");
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return {
      credentials: JSON.parse(readFileSync(file, "utf8")) as LocalCredentials,
      credentialsSource: "data directory",
    };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const credentials = generateCredentials();
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { credentials, credentialsSource: "generated" };
}

function port(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PORT;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new Error(`MQOPS_PORT must be a port number (0-65535), not '${value}'.`);
  }
  return parsed;
}

/** The data directory: MQOPS_DATA_DIR, or `.mqops/` in the working directory. */
export const resolveDataDir = (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()) =>
  path.resolve(cwd, env.MQOPS_DATA_DIR ?? DEFAULT_DATA_DIR);

/** The local cloud's settings from the environment, with the defaults the README promises. */
export function resolveConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LocalCloudConfig {
  const dataDir = resolveDataDir(env, cwd);
  return {
    host: "127.0.0.1",
    port: port(env.MQOPS_PORT),
    region: env.MQOPS_REGION ?? "us-east-1",
    dataDir,
    metricsPeriodSeconds: parseMetricsPeriod(env.MQOPS_METRICS_PERIOD_SECONDS),
    ...resolveCredentials(dataDir, env),
  };
}
