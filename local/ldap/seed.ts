import { createHash, randomBytes } from "node:crypto";

/**
 * The seeded directory, pure: a small company's users and groups, a service account for brokers, and
 * ActiveMQ's authorization tree (the layout `cachedLDAPAuthorizationMap` reads: a destination entry per
 * queue or topic pattern, with `admin`, `write` and `read` groups of names under it).
 */

export const SUFFIX = "dc=mqops,dc=local";
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const USER_BASE = `ou=Users,${SUFFIX}`;
export const GROUP_BASE = `ou=Groups,${SUFFIX}`;
export const SERVICE_ACCOUNT_DN = `uid=mqops-broker,ou=Services,${SUFFIX}`;
const DESTINATIONS = `ou=Destination,ou=ActiveMQ,${SUFFIX}`;
export const QUEUE_SEARCH_BASE = `ou=Queue,${DESTINATIONS}`;
export const TOPIC_SEARCH_BASE = `ou=Topic,${DESTINATIONS}`;
export const TEMP_SEARCH_BASE = `ou=Temp,${DESTINATIONS}`;

export interface SeedUser {
  uid: string;
  groups: string[];
  description: string;
}

/** Who is in the directory, and what their groups may do (see DESTINATION_RULES). */
export const SEED_USERS: readonly SeedUser[] = [
  { uid: "alice", groups: ["orders-writers"], description: "sends and reads ORDERS.>" },
  { uid: "bob", groups: ["audit-readers"], description: "reads AUDIT.> and ORDERS.>, writes nothing" },
  { uid: "ops-admin", groups: ["admins"], description: "everything, on every destination" },
];

/** Which groups hold which permission on which destination pattern (`>` is every destination). */
export interface DestinationRule {
  kind: "Queue" | "Topic";
  pattern: string;
  admin: string[];
  write: string[];
  read: string[];
}

export const DESTINATION_RULES: readonly DestinationRule[] = [
  // Sending to a queue that does not exist yet creates it, which takes `admin` on it.
  {
    kind: "Queue",
    pattern: "ORDERS.>",
    admin: ["orders-writers"],
    write: ["orders-writers"],
    read: ["orders-writers", "audit-readers"],
  },
  { kind: "Queue", pattern: "AUDIT.>", admin: [], write: [], read: ["audit-readers"] },
  // `admins` everywhere: also the group of the local cloud's metrics collector (its statistics requests).
  { kind: "Queue", pattern: ">", admin: ["admins"], write: ["admins"], read: ["admins"] },
  { kind: "Topic", pattern: ">", admin: ["admins"], write: ["admins"], read: ["admins"] },
  // JMS (OpenWire) clients watch advisory topics; every group may.
  {
    kind: "Topic",
    pattern: "ActiveMQ.Advisory.>",
    admin: ["orders-writers", "audit-readers", "admins"],
    write: ["orders-writers", "audit-readers", "admins"],
    read: ["orders-writers", "audit-readers", "admins"],
  },
];

/** Temporary destinations (request/reply, the metrics collector's replies): every group. */
const TEMP_GROUPS = ["orders-writers", "audit-readers", "admins"];

/** slapd's `{SSHA}` userPassword: salted SHA-1, as slappasswd makes it. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash("sha1").update(password, "utf8").update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString("base64")}`;
}

export const userDn = (uid: string) => `uid=${uid},${USER_BASE}`;
export const groupDn = (cn: string) => `cn=${cn},${GROUP_BASE}`;

/** The pattern as a directory name: `>` is written `$`, as the authorization map reads it back. */
const patternRdn = (pattern: string) => `ou=${pattern.replaceAll(">", "$")}`;

function entry(dn: string, lines: string[]): string {
  return [`dn: ${dn}`, ...lines, ""].join("\n");
}

function groupOfNames(dn: string, cn: string, members: string[]): string {
  return entry(dn, ["objectClass: groupOfNames", `cn: ${cn}`, ...members.map((m) => `member: ${m}`)]);
}

/** A user entry (inetOrgPerson) with its password hashed. */
export function userEntry(uid: string, password: string): string {
  return entry(userDn(uid), [
    "objectClass: inetOrgPerson",
    `uid: ${uid}`,
    `cn: ${uid}`,
    `sn: ${uid}`,
    `userPassword: ${sshaHash(password)}`,
  ]);
}

/** The whole directory as LDIF, for slapadd. `passwords` has one per seeded user and the service account. */
export function seedLdif(passwords: { users: Record<string, string>; serviceAccount: string }): string {
  const ou = (dn: string, name: string) => entry(dn, ["objectClass: organizationalUnit", `ou: ${name}`]);
  const members = (groups: string[]) => groups.map(groupDn);
  const groups = [...new Set(SEED_USERS.flatMap((user) => user.groups))];
  const destinationEntries = DESTINATION_RULES.flatMap((rule) => {
    const base = `${patternRdn(rule.pattern)},${rule.kind === "Queue" ? QUEUE_SEARCH_BASE : TOPIC_SEARCH_BASE}`;
    const permissions = (["admin", "write", "read"] as const).filter((p) => rule[p].length > 0);
    return [
      ou(base, rule.pattern.replaceAll(">", "$")),
      ...permissions.map((p) => groupOfNames(`cn=${p},${base}`, p, members(rule[p]))),
    ];
  });
  return [
    entry(SUFFIX, ["objectClass: dcObject", "objectClass: organization", "dc: mqops", "o: mqops"]),
    ou(USER_BASE, "Users"),
    ou(GROUP_BASE, "Groups"),
    ou(`ou=Services,${SUFFIX}`, "Services"),
    entry(SERVICE_ACCOUNT_DN, [
      "objectClass: account",
      "objectClass: simpleSecurityObject",
      "uid: mqops-broker",
      `userPassword: ${sshaHash(passwords.serviceAccount)}`,
    ]),
    ...SEED_USERS.map((user) => userEntry(user.uid, passwords.users[user.uid] ?? "")),
    ...groups.map((cn) =>
      groupOfNames(
        groupDn(cn),
        cn,
        SEED_USERS.filter((user) => user.groups.includes(cn)).map((user) => userDn(user.uid)),
      ),
    ),
    ou(`ou=ActiveMQ,${SUFFIX}`, "ActiveMQ"),
    ou(DESTINATIONS, "Destination"),
    ou(QUEUE_SEARCH_BASE, "Queue"),
    ou(TOPIC_SEARCH_BASE, "Topic"),
    ou(TEMP_SEARCH_BASE, "Temp"),
    ...destinationEntries,
    ...(["admin", "write", "read"] as const).map((p) =>
      groupOfNames(`cn=${p},${TEMP_SEARCH_BASE}`, p, members(TEMP_GROUPS)),
    ),
  ].join("\n");
}

/** The `<broker>` configuration that authorizes from this directory (Amazon MQ's cachedLDAPAuthorizationMap). */
export function authorizationConfiguration(refreshIntervalMs = 300_000): string {
  return `<broker xmlns="http://activemq.apache.org/schema/core">
  <plugins>
    <authorizationPlugin>
      <map>
        <cachedLDAPAuthorizationMap legacyGroupMapping="false" refreshInterval="${refreshIntervalMs}"
          queueSearchBase="${QUEUE_SEARCH_BASE}"
          topicSearchBase="${TOPIC_SEARCH_BASE}"
          tempSearchBase="${TEMP_SEARCH_BASE}"/>
      </map>
    </authorizationPlugin>
  </plugins>
</broker>
`;
}
