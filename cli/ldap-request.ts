import { readFileSync } from "node:fs";
import path from "node:path";
import { resolveDataDir } from "../local/config.js";
import { directoryMetadata, readRunningDirectory } from "../local/ldap/directory.js";
import { authorizationConfiguration } from "../local/ldap/seed.js";
import { CliError } from "./api.js";

/**
 * `mqops brokers create --ldap …` → the request's LDAP members. `local` is the directory `mqops ldap
 * up` runs (its service account, and, unless `--config` is given, a configuration whose
 * cachedLDAPAuthorizationMap reads its destination entries); anything else is a JSON file holding
 * Amazon MQ's LdapServerMetadataInput (camelCase members, as the API takes them).
 */
export function ldapRequest(value: string, config: string | undefined) {
  if (value !== "local") {
    let metadata: unknown;
    try {
      metadata = JSON.parse(readFileSync(value, "utf8"));
    } catch (error) {
      throw new CliError(`--ldap ${value}: not a readable JSON file (${(error as Error).message})`);
    }
    return { authenticationStrategy: "LDAP", ldapServerMetadata: metadata };
  }
  const dataDir = path.join(resolveDataDir(process.env, process.cwd()), "ldap");
  const running = readRunningDirectory(dataDir);
  if (running === undefined) {
    throw new CliError(
      `--ldap local: no directory runs on ${dataDir}. Start it in another terminal with: npx mqops ldap up`,
    );
  }
  return {
    authenticationStrategy: "LDAP",
    ldapServerMetadata: directoryMetadata(running.port, running.record),
    ...(config === undefined ? { activemqXml: authorizationConfiguration() } : {}),
  };
}
