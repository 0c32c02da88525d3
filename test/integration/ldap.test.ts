import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DirectoryAdmin, readRunningDirectory } from "../../local/ldap/directory.js";
import { authorizationConfiguration, GROUP_BASE, QUEUE_SEARCH_BASE } from "../../local/ldap/seed.js";
import { LocalCloudProcess } from "./support/local-cloud-process.js";
import { StompSession } from "./support/stomp-client.js";
import { pidsMatching, until } from "./support/wait.js";

// An LDAP broker end to end, with real parts: the local cloud as a user runs it (`MQOPS_LDAP=1 mqops up`,
// which also runs OpenLDAP's slapd seeded by local/ldap and stops it with the cloud), a broker created with `mqops brokers create --ldap local`, and a real
// ActiveMQ JVM authenticating through JAAS's LDAPLoginModule and authorizing from a
// cachedLDAPAuthorizationMap that re-reads the directory every second.
const TIMEOUT_MS = 120_000;
const REFRESH_MS = 1_000;
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-ldap-"));
const cloud = new LocalCloudProcess(dataDir, {
  MQOPS_LDAP: "1",
  MQOPS_LDAP_PORT: "0",
  MQOPS_METRICS_PERIOD_SECONDS: "10",
});
const slapdPids = () => pidsMatching(`${path.join(dataDir, "ldap")}/slapd.conf`);
let directory: DirectoryAdmin;
let brokerId = "";
let stompPort = 0;

const alice = () => ({ username: "alice", password: directory.record.users.alice ?? "" });

/** Sends one persistent message as `user`; resolves to the broker's refusal, or "sent". */
async function trySend(user: { username: string; password: string }, queue: string): Promise<string> {
  let session: StompSession;
  try {
    session = await StompSession.connect(stompPort, user);
  } catch (error) {
    return `login refused: ${(error as Error).message}`;
  }
  try {
    await session.sendPersistent(queue, ["hello"]);
    await session.close();
    return "sent";
  } catch (error) {
    session.destroy();
    return `send refused: ${(error as Error).message}`;
  }
}

/** Every file under `directory` holding `text`, with its mode. */
function filesHolding(root: string, text: string): { file: string; mode: number }[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => readFileSync(file).includes(text))
    .map((file) => ({ file: path.relative(root, file), mode: statSync(file).mode & 0o777 }));
}

beforeAll(async () => {
  await cloud.start();
  const running = readRunningDirectory(path.join(dataDir, "ldap"));
  if (running === undefined) throw new Error(`MQOPS_LDAP=1 mqops up started no directory:\n${cloud.output}`);
  directory = running;
}, TIMEOUT_MS);

afterAll(async () => {
  await cloud.stop();
  cloud.killLeftovers();
  for (const pid of slapdPids()) process.kill(pid, "SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT_MS);

describe("an LDAP broker against a real directory", () => {
  it(
    "is created by mqops brokers create --ldap local and runs",
    async () => {
      const config = path.join(dataDir, "authorization.xml");
      writeFileSync(config, authorizationConfiguration(REFRESH_MS));
      const created = await cloud.cli([
        "brokers",
        "create",
        "--name",
        "it-ldap",
        "--ldap",
        "local",
        "--config",
        config,
      ]);
      expect(created.code, created.stderr).toBe(0);
      brokerId = /\((b-[0-9a-f-]+)\)/.exec(created.stdout)?.[1] ?? "";
      stompPort = Number(/stomp\s+stomp:\/\/127\.0\.0\.1:(\d+)/.exec(created.stdout)?.[1]);
      expect(brokerId).not.toBe("");
      expect(stompPort).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it("lets a directory user send to a queue its group may write, and refuses one it may not", async () => {
    expect(await trySend(alice(), "ORDERS.in")).toBe("sent");
    const refused = await trySend(alice(), "AUDIT.trail");
    expect(refused).toMatch(/^send refused: .*not authorized to (write|create)/i);
  });

  it(
    "still lets the local metrics collector read it (its own login, group admins in the directory)",
    async () => {
      await until(
        "the collector to read the broker's statistics",
        async () => (cloud.output.includes("metrics: it-ldap-1 reports statistics") ? true : undefined),
        30_000,
      );
    },
    TIMEOUT_MS,
  );

  it("refuses a wrong password and an unknown user", async () => {
    expect(await trySend({ username: "alice", password: "Not-Alices-Password-1" }, "ORDERS.in")).toMatch(
      /^login refused/,
    );
    expect(await trySend({ username: "mallory", password: "Whatever-Pass-1" }, "ORDERS.in")).toMatch(
      /^login refused/,
    );
  });

  it(
    "refuses a user removed from the directory, and a permission taken away once the cache refreshes",
    async () => {
      const carol = { username: "carol", password: "Carol-Orders-Pass-7" };
      await directory.addUser("carol", carol.password, ["orders-writers"]);
      await until("carol to send", async () =>
        (await trySend(carol, "ORDERS.in")) === "sent" ? true : undefined,
      );
      await directory.removeUser("carol", ["orders-writers"]);
      expect(await trySend(carol, "ORDERS.in")).toMatch(/^login refused/);

      // Only `admins` may write ORDERS.> from now on: alice is refused once the broker re-reads the map.
      const writeEntry = `cn=write,ou=ORDERS.$,${QUEUE_SEARCH_BASE}`;
      const setWriters = (group: string) =>
        directory.modify(
          `dn: ${writeEntry}\nchangetype: modify\nreplace: member\nmember: cn=${group},${GROUP_BASE}\n`,
        );
      await setWriters("admins");
      try {
        const refused = await until(
          "the authorization cache to refresh",
          async () => {
            const outcome = await trySend(alice(), "ORDERS.in");
            return outcome === "sent" ? undefined : outcome;
          },
          30_000,
          REFRESH_MS / 2,
        );
        expect(refused).toMatch(/^send refused: .*not authorized to write/i);
      } finally {
        await setWriters("orders-writers");
      }
      await until(
        "alice to write again",
        async () => ((await trySend(alice(), "ORDERS.in")) === "sent" ? true : undefined),
        30_000,
      );
    },
    TIMEOUT_MS,
  );

  it("shows LDAP in the API, never the service account's password, which only Secrets Manager and the broker's 0600 files hold", async () => {
    const secret = directory.record.serviceAccountPassword;
    const viewed = await cloud.api("GET", `/brokers/${brokerId}`);
    expect(viewed.status).toBe(200);
    expect(viewed.body).toMatchObject({
      authenticationStrategy: "LDAP",
      ldap: { hosts: [`127.0.0.1:${directory.port}`] },
    });
    const described = await cloud.mq().send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    expect(described.AuthenticationStrategy).toBe("LDAP");
    expect(described.LdapServerMetadata?.ServiceAccountUsername).toBe(
      directory.metadata().serviceAccountUsername,
    );
    expect(JSON.stringify(viewed.body) + JSON.stringify(described)).not.toContain(secret);
    expect(cloud.output).not.toContain(secret);

    // The directory's own record (`ldap/`, the customer's side) is left out: everything mqops wrote is in.
    const holding = filesHolding(dataDir, secret).filter(({ file }) => !file.startsWith("ldap/"));
    expect(holding.map(({ file }) => file).sort()).toEqual(
      [
        "secretsmanager.json",
        `brokers/${brokerId}/instance-1/activemq.xml`,
        `brokers/${brokerId}/instance-1/login.config`,
      ].sort(),
    );
    for (const { file, mode } of holding) expect(`${file} ${mode.toString(8)}`).toBe(`${file} 600`);
  });

  it("refuses bad ldapServerMetadata with a 400 naming each field", async () => {
    const { serviceAccountPassword: _secret, ...metadata } = directory.metadata();
    const bad = await cloud.api("POST", "/brokers", {
      brokerName: "it-ldap-bad",
      engineType: "ACTIVEMQ",
      engineVersion: "5.18",
      deploymentMode: "SINGLE_INSTANCE",
      hostInstanceType: "mq.m5.large",
      authenticationStrategy: "LDAP",
      ldapServerMetadata: { ...metadata, hosts: ["ldap://x"], userSearchMatching: "uid=alice" },
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.issues as { field: string }[]).map((issue) => issue.field).sort();
    expect(fields).toEqual([
      "ldapServerMetadata.hosts[0]",
      "ldapServerMetadata.serviceAccountPassword",
      "ldapServerMetadata.userSearchMatching",
    ]);
  });

  it(
    "leaves no slapd running once the cloud is stopped",
    async () => {
      expect(slapdPids()).toHaveLength(1);
      await cloud.stop();
      expect(slapdPids()).toEqual([]);
    },
    TIMEOUT_MS,
  );
});
