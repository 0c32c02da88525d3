import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const ACTIVEMQ_JAR = "/usr/share/activemq/bin/activemq.jar";
const INSTALL = "apt-get install -y activemq";

/**
 * Debian's `activemq` package (Apache ActiveMQ Classic 5.17.2) runs every local broker. When it is
 * missing, root installs it with apt-get; anyone else is told exactly what to run.
 */
export function ensureActiveMq(log: (line: string) => void): void {
  if (existsSync(ACTIVEMQ_JAR)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      hasApt
        ? `Apache ActiveMQ is not installed (${ACTIVEMQ_JAR} is missing). Run: sudo apt-get update && sudo ${INSTALL}`
        : `Apache ActiveMQ is not installed (${ACTIVEMQ_JAR} is missing) and this machine has no apt-get: install Debian's activemq package, or ActiveMQ 5.17 with its jar at that path.`,
    );
  }
  log("Apache ActiveMQ is missing: installing Debian's activemq package (apt-get, about a minute)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "activemq"],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status}).`);
  }
  if (!existsSync(ACTIVEMQ_JAR))
    throw new Error(`apt-get installed activemq but ${ACTIVEMQ_JAR} is still missing.`);
}

/** ActiveMQ 5.17 needs Java 11 or newer on the PATH. */
export function ensureJava(): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      "Java is not on the PATH: ActiveMQ needs Java 11+. On Debian: apt-get install -y default-jre-headless",
    );
  }
}
