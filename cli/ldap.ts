import path from "node:path";
import { parseArgs } from "node:util";
import { resolveDataDir } from "../local/config.js";
import { DEFAULT_LDAP_PORT, LdapDirectory } from "../local/ldap/directory.js";
import { DESTINATION_RULES, SEED_USERS } from "../local/ldap/seed.js";
import { CliError } from "./api.js";

/** Where `mqops ldap up` keeps the directory: `<MQOPS_DATA_DIR>/ldap`. */
export const ldapDataDir = () => path.join(resolveDataDir(process.env, process.cwd()), "ldap");

/**
 * With MQOPS_LDAP=1, `mqops up` runs the directory too (on `<data>/ldap`, MQOPS_LDAP_PORT or 3389) and
 * stops it with the cloud. Says where it is, and how to create a broker against it.
 */
export async function startDirectoryIfAsked(log: (line: string) => void): Promise<LdapDirectory | undefined> {
  if (process.env.MQOPS_LDAP !== "1") return undefined;
  const port = Number(process.env.MQOPS_LDAP_PORT ?? DEFAULT_LDAP_PORT);
  const directory = await LdapDirectory.start({ dataDir: ldapDataDir(), port }).catch((error: unknown) => {
    throw new CliError(`mqops up: the LDAP directory (MQOPS_LDAP=1): ${(error as Error).message}`);
  });
  log(
    `LDAP directory on ${directory.url} (users and passwords: ${directory.dataDir}/directory.json); create a broker with: npx mqops brokers create --name ldap-demo --ldap local`,
  );
  return directory;
}

/**
 * `mqops ldap up`: a real directory (OpenLDAP's slapd) on 127.0.0.1 for LDAP brokers, seeded once with
 * users, groups and ActiveMQ destination entries; in the foreground until Ctrl-C, which stops it.
 */
export async function ldapCommand(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb !== "up") throw new CliError("usage: mqops ldap up [--port 3389]", 2);
  const { values } = parseArgs({
    args: rest,
    options: { port: { type: "string", default: process.env.MQOPS_LDAP_PORT ?? String(DEFAULT_LDAP_PORT) } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port ${values.port}: not a port`);
  const log = (line: string) => console.error(`[mqops ldap] ${line}`);
  const directory = await LdapDirectory.start({ dataDir: ldapDataDir(), port }).catch((error: unknown) => {
    throw new CliError(`mqops ldap up: ${(error as Error).message}`);
  });
  const metadata = directory.metadata();
  const rules = DESTINATION_RULES.map(
    (rule) =>
      `  ${rule.kind.toLowerCase()} ${rule.pattern.padEnd(20)} admin: ${rule.admin.join(",") || "-"}  write: ${rule.write.join(",") || "-"}  read: ${rule.read.join(",") || "-"}`,
  );
  console.log(
    [
      "",
      `mqops LDAP directory (OpenLDAP slapd) is up on ${directory.url}`,
      `  data             ${directory.dataDir} (directory.json holds the passwords below, mode 0600)`,
      `  service account  ${metadata.serviceAccountUsername}`,
      `  users            ${metadata.userBase}, groups ${metadata.roleBase}`,
      "",
      "Users (password, groups):",
      ...SEED_USERS.map(
        (user) =>
          `  ${user.uid.padEnd(10)} ${directory.record.users[user.uid] ?? "?"}  ${user.groups.join(",").padEnd(15)} ${user.description}`,
      ),
      "",
      "Destinations (cachedLDAPAuthorizationMap entries):",
      ...rules,
      "",
      "Create a broker that authenticates and authorizes against it (another terminal, local cloud running):",
      "  npx mqops brokers create --name ldap-demo --ldap local",
      "",
      "Ctrl-C stops the directory.",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: stopping slapd...`);
      directory
        .stop()
        .catch((error: unknown) => log(`error while stopping: ${(error as Error).message}`))
        .finally(() => {
          log("stopped.");
          resolve();
        });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
