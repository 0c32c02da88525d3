import { spawnSync } from "node:child_process";
import { slapdInstalled } from "./directory.js";

const PACKAGES = ["slapd", "ldap-utils"];
const INSTALL = `DEBIAN_FRONTEND=noninteractive apt-get install -y ${PACKAGES.join(" ")}`;

/**
 * Debian's OpenLDAP server and client tools, for LDAP brokers' directory (`mqops ldap up`, the LDAP
 * integration test). As root they are installed non-interactively; anyone else is told what to run.
 */
export function ensureSlapd(log: (line: string) => void): void {
  if (slapdInstalled()) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    throw new Error(
      hasApt
        ? `OpenLDAP's slapd is not installed. Run: sudo apt-get update && sudo ${INSTALL}`
        : "OpenLDAP's slapd is not installed and this machine has no apt-get: install slapd and ldap-utils.",
    );
  }
  log("OpenLDAP's slapd is missing: installing Debian's slapd and ldap-utils (apt-get)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", ...PACKAGES],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status}).`);
  }
  if (!slapdInstalled()) throw new Error("apt-get installed slapd but /usr/sbin/slapd is still missing.");
}
