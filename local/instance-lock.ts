import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What a running local cloud writes into its data directory so the CLI (and a second `up`) can find it. */
export interface RunningCloudInfo {
  pid: number;
  url: string;
  region: string;
  startedAt: string;
}

const FILE = "cloud.json";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** The local cloud running on this data directory, if its process is still alive. */
export function readRunningCloud(dataDir: string): RunningCloudInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path.join(dataDir, FILE), "utf8")) as RunningCloudInfo;
    return alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Refuses a second local cloud on one data directory: two would run every broker twice. */
export function assertNotRunning(dataDir: string): void {
  const running = readRunningCloud(dataDir);
  if (running !== undefined && running.pid !== process.pid) {
    throw new Error(
      `A local cloud already runs on ${dataDir} (pid ${running.pid}, ${running.url}). Stop it, or set MQOPS_DATA_DIR and MQOPS_PORT to run another.`,
    );
  }
}

export function writeRunningCloud(dataDir: string, info: RunningCloudInfo): void {
  writeFileSync(path.join(dataDir, FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

export function clearRunningCloud(dataDir: string): void {
  rmSync(path.join(dataDir, FILE), { force: true });
}
