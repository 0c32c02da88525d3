import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { acceptsConnections, freeLoopbackPort, isPortFree } from "../brokers/ports.js";
import {
  GROUP_BASE,
  ROOT_DN,
  SEED_USERS,
  SERVICE_ACCOUNT_DN,
  SUFFIX,
  seedLdif,
  sshaHash,
  USER_BASE,
  userDn,
  userEntry,
} from "./seed.js";

/**
 * A real directory for LDAP brokers: Debian's OpenLDAP `slapd`, one process on 127.0.0.1, with its
 * database, configuration and passwords under `<dataDir>` (created and seeded on first start; kept
 * after, so the passwords printed once stay valid). `stop()` ends it; so does this Node process's exit.
 */

export const SLAPD = "/usr/sbin/slapd";
const SLAPADD = "/usr/sbin/slapadd";
export const DEFAULT_LDAP_PORT = 3389;
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

/** What the data directory keeps about the directory: the passwords it was seeded with (mode 0600). */
export interface DirectoryRecord {
  rootPassword: string;
  serviceAccountPassword: string;
  users: Record<string, string>;
}

export interface DirectoryOptions {
  /** Where slapd keeps everything: `<MQOPS_DATA_DIR>/ldap` for `mqops ldap up`. */
  dataDir: string;
  /** 127.0.0.1 port; 0 picks a free one. */
  port: number;
}

/** What a broker's `ldapServerMetadata` needs to authenticate against this directory. */
export interface DirectoryMetadata {
  hosts: string[];
  userBase: string;
  userSearchMatching: string;
  userSearchSubtree: boolean;
  roleBase: string;
  roleName: string;
  roleSearchMatching: string;
  roleSearchSubtree: boolean;
  serviceAccountUsername: string;
  serviceAccountPassword: string;
}

const generated = () => `${randomBytes(12).toString("base64url")}-Aa9`;

/** Whether Debian's slapd is installed (`apt-get install -y slapd ldap-utils`). */
export function slapdInstalled(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD);
}

function slapdConfig(dir: string, rootPassword: string): string {
  return [
    "include /etc/ldap/schema/core.schema",
    "include /etc/ldap/schema/cosine.schema",
    "include /etc/ldap/schema/inetorgperson.schema",
    `pidfile ${path.join(dir, "slapd.pid")}`,
    "modulepath /usr/lib/ldap",
    "moduleload back_mdb",
    "database mdb",
    `suffix "${SUFFIX}"`,
    `rootdn "${ROOT_DN}"`,
    `rootpw ${sshaHash(rootPassword)}`,
    `directory ${path.join(dir, "db")}`,
    "maxsize 67108864",
    "index objectClass,uid,cn,member eq",
    // Passwords are only ever compared (bind); the service account reads everything else; nobody else
    // reads anything (brokers search as the service account, then bind as the user).
    "access to attrs=userPassword by anonymous auth by * none",
    `access to * by dn.exact="${SERVICE_ACCOUNT_DN}" read by * none`,
    "",
  ].join("\n");
}

function loadRecord(file: string): DirectoryRecord | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as DirectoryRecord;
}

/** The pid slapd recorded, if that process still runs (a directory left by a killed Node process). */
function leftoverPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(path.dirname(pidFile)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

const RUNNING_FILE = "running.json";

/** The `ldapServerMetadata` of a broker that authenticates against the directory on `port`. */
export function directoryMetadata(port: number, record: DirectoryRecord): DirectoryMetadata {
  return {
    hosts: [`127.0.0.1:${port}`],
    userBase: USER_BASE,
    userSearchMatching: "(uid={0})",
    userSearchSubtree: false,
    roleBase: GROUP_BASE,
    roleName: "cn",
    roleSearchMatching: "(member={0})",
    roleSearchSubtree: false,
    serviceAccountUsername: SERVICE_ACCOUNT_DN,
    serviceAccountPassword: record.serviceAccountPassword,
  };
}

/** The directory `mqops ldap up` runs on `dataDir`, if it runs: its port and seeded passwords. */
export function readRunningDirectory(dataDir: string): DirectoryAdmin | undefined {
  try {
    const running = JSON.parse(readFileSync(path.join(dataDir, RUNNING_FILE), "utf8")) as {
      pid: number;
      port: number;
    };
    process.kill(running.pid, 0);
    const record = loadRecord(path.join(dataDir, "directory.json"));
    return record === undefined ? undefined : new DirectoryAdmin(dataDir, running.port, record);
  } catch {
    return undefined;
  }
}

/** Administers a running directory: its address, seeded passwords, and changes as its root. */
export class DirectoryAdmin {
  constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly record: DirectoryRecord,
  ) {}

  /** `ldap://127.0.0.1:<port>` */
  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  /** The `ldapServerMetadata` of a broker that authenticates against this directory. */
  metadata(): DirectoryMetadata {
    return directoryMetadata(this.port, this.record);
  }

  /** Runs ldapmodify as the directory's root with `ldif` (changetype records) on its input. */
  modify(ldif: string): Promise<void> {
    const passwordFile = path.join(this.dataDir, "root.pw");
    writeFileSync(passwordFile, this.record.rootPassword, { mode: 0o600 });
    return new Promise((resolve, reject) => {
      const child = execFile(
        "ldapmodify",
        ["-x", "-H", this.url, "-D", ROOT_DN, "-y", passwordFile],
        (error, _stdout, stderr) => {
          rmSync(passwordFile, { force: true });
          if (error === null) resolve();
          else reject(new Error(`ldapmodify failed: ${stderr.trim() || error.message}`));
        },
      );
      child.stdin?.end(ldif);
    });
  }

  /** Adds a user (inetOrgPerson) to the directory and to `groups`. */
  async addUser(uid: string, password: string, groups: string[]): Promise<void> {
    await this.modify(`${userEntry(uid, password)}\n`.replace(/^(dn: .*)$/m, "$1\nchangetype: add"));
    for (const group of groups) {
      await this.modify(
        `dn: cn=${group},${GROUP_BASE}\nchangetype: modify\nadd: member\nmember: ${userDn(uid)}\n`,
      );
    }
  }

  /** Removes a user from the directory (and from `groups`, which must not be left empty). */
  async removeUser(uid: string, groups: string[]): Promise<void> {
    for (const group of groups) {
      await this.modify(
        `dn: cn=${group},${GROUP_BASE}\nchangetype: modify\ndelete: member\nmember: ${userDn(uid)}\n`,
      );
    }
    await this.modify(`dn: ${userDn(uid)}\nchangetype: delete\n`);
  }
}

export class LdapDirectory extends DirectoryAdmin {
  private constructor(
    dataDir: string,
    port: number,
    record: DirectoryRecord,
    private readonly child: ChildProcess,
  ) {
    super(dataDir, port, record);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Starts slapd on 127.0.0.1:`port`, seeding the directory on first use. Resolves once it answers;
   * rejects with slapd's own words when it cannot start (port taken, bad configuration).
   */
  static async start(options: DirectoryOptions): Promise<LdapDirectory> {
    if (!slapdInstalled()) {
      throw new Error(
        "OpenLDAP's slapd is not installed. Run: sudo DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils",
      );
    }
    const dir = options.dataDir;
    const dbDir = path.join(dir, "db");
    const recordFile = path.join(dir, "directory.json");
    const configFile = path.join(dir, "slapd.conf");
    mkdirSync(dbDir, { recursive: true, mode: 0o700 });
    const leftover = leftoverPid(path.join(dir, "slapd.pid"));
    if (leftover !== undefined) {
      process.kill(leftover, "SIGTERM");
      if (!(await waitForExit(leftover, STOP_GRACE_MS))) process.kill(leftover, "SIGKILL");
    }
    let record = loadRecord(recordFile);
    if (record === undefined || !existsSync(path.join(dbDir, "data.mdb"))) {
      rmSync(dbDir, { recursive: true, force: true });
      mkdirSync(dbDir, { recursive: true, mode: 0o700 });
      record = {
        rootPassword: generated(),
        serviceAccountPassword: generated(),
        users: Object.fromEntries(SEED_USERS.map((user) => [user.uid, generated()])),
      };
      writeFileSync(configFile, slapdConfig(dir, record.rootPassword), { mode: 0o600 });
      const seeded = spawnSync(SLAPADD, ["-q", "-f", configFile], {
        input: seedLdif({ users: record.users, serviceAccount: record.serviceAccountPassword }),
        encoding: "utf8",
      });
      if (seeded.status !== 0)
        throw new Error(`slapadd could not seed the directory: ${seeded.stderr.trim()}`);
      writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    } else {
      writeFileSync(configFile, slapdConfig(dir, record.rootPassword), { mode: 0o600 });
    }
    const port = options.port === 0 ? await freeLoopbackPort() : options.port;
    // Checked first: another process answering on the port would look like this slapd being ready.
    if (!(await isPortFree(port))) {
      throw new Error(
        `port ${port} on 127.0.0.1 is already in use (another directory, or MQOPS_LDAP_PORT / --port)`,
      );
    }
    const log: string[] = [];
    // -d 0: stay in the foreground (a child of this process), logging nothing but errors.
    const child = spawn(SLAPD, ["-f", configFile, "-h", `ldap://127.0.0.1:${port}/`, "-d", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    child.once("exit", () => process.removeListener("exit", killOnExit));
    const directory = new LdapDirectory(dir, port, record, child);
    const runningFile = path.join(dir, RUNNING_FILE);
    child.once("exit", () => rmSync(runningFile, { force: true }));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await acceptsConnections(port))) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await directory.stop();
        const reason = log.join("").trim().split("\n").slice(-3).join(" ") || "no output";
        throw new Error(`slapd did not start on 127.0.0.1:${port}: ${reason}`);
      }
      await sleep(50);
    }
    writeFileSync(runningFile, `${JSON.stringify({ pid: child.pid, port })}\n`);
    return directory;
  }

  /** SIGTERM (slapd closes its database), SIGKILL after a grace period. Resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
