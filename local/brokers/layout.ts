import path from "node:path";
import type { DeploymentMode } from "./types.js";

/** Where one broker instance keeps its files. */
export interface InstanceLayout {
  /** `<dataDir>/<brokerId>/instance-<n>`: everything the instance owns. */
  dir: string;
  /** The rendered Spring/xbean configuration; holds the users' passwords, so mode 0600. */
  configFile: string;
  log4jFile: string;
  /** Where log4j writes the broker's log. */
  logFile: string;
  /** The JVM's own stdout and stderr (launcher messages, errors before log4j is up). */
  consoleFile: string;
  /** The running JVM's pid, so a JVM orphaned by a killed Node process can be found and stopped. */
  pidFile: string;
  /** The broker's `dataDirectory` (scheduler, temporary store). */
  dataDirectory: string;
  /** KahaDB's directory: shared by both instances of an active/standby pair. */
  kahaDbDirectory: string;
}

/** Broker ids become directory names that `destroy` deletes: letters, digits, '-', '_' and '.' only. */
const SAFE_BROKER_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The broker's directory under the runtime's data directory; refuses ids that could escape it. */
export function brokerDirectory(dataDir: string, brokerId: string): string {
  if (!SAFE_BROKER_ID.test(brokerId)) {
    throw new Error(`broker id ${JSON.stringify(brokerId)} is not usable as a directory name`);
  }
  return path.join(dataDir, brokerId);
}

export function instanceLayout(
  dataDir: string,
  brokerId: string,
  mode: DeploymentMode,
  instanceIndex: number,
): InstanceLayout {
  const brokerDir = brokerDirectory(dataDir, brokerId);
  const dir = path.join(brokerDir, `instance-${instanceIndex + 1}`);
  const dataDirectory = path.join(dir, "data");
  return {
    dir,
    configFile: path.join(dir, "activemq.xml"),
    log4jFile: path.join(dir, "log4j.properties"),
    logFile: path.join(dir, "activemq.log"),
    consoleFile: path.join(dir, "console.log"),
    pidFile: path.join(dir, "jvm.pid"),
    dataDirectory,
    kahaDbDirectory:
      mode === "ACTIVE_STANDBY_MULTI_AZ"
        ? path.join(brokerDir, "shared", "kahadb")
        : path.join(dataDirectory, "kahadb"),
  };
}

/** How many broker instances (JVMs) a deployment mode runs. */
export function instanceCount(mode: DeploymentMode): number {
  switch (mode) {
    case "SINGLE_INSTANCE":
      return 1;
    case "ACTIVE_STANDBY_MULTI_AZ":
      return 2;
    case "CLUSTER_MULTI_AZ":
      return 3;
  }
}
