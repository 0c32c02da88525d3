import type { BrokerLdap, BrokerUser } from "./types.js";

/**
 * An LDAP broker's files, pure, as Amazon MQ sets them up from LdapServerMetadata: ActiveMQ's JAAS
 * `LDAPLoginModule` (activemq-jaas, in Debian's package) authenticates clients against the directory
 * (`login.config`), and the `cachedLDAPAuthorizationMap` the user put in the configuration revision is
 * pointed at the same directory as the service account. The local cloud's own users (the metrics
 * collector's, a cluster's network bridge) log in from a properties file tried first, so they work
 * whatever the directory holds. Every file here holds passwords: the runtime writes them with mode 0600.
 *
 * The broker finds `login.config` on its classpath: ActiveMQ's launcher adds `activemq.conf` (the
 * instance directory) to it, and the JAAS plugin looks for that name there.
 */

/** The JAAS entry (`configuration` of `<jaasAuthenticationPlugin>`). */
export const JAAS_ENTRY = "mqops-ldap";
export const LOGIN_CONFIG_FILE = "login.config";
export const INTERNAL_USERS_FILE = "mqops-internal-users.properties";
export const INTERNAL_GROUPS_FILE = "mqops-internal-groups.properties";
/** The directory's port when a host names none: plain LDAP (local brokers have no TLS). */
export const DEFAULT_LDAP_PORT = 389;
/**
 * How often the authorization map re-reads the directory when the configuration does not say. Without
 * it ActiveMQ asks for LDAP persistent search, which OpenLDAP does not offer.
 */
export const DEFAULT_REFRESH_INTERVAL_MS = 300_000;

/** Attributes of `cachedLDAPAuthorizationMap` the runtime owns: where the directory is, and as whom. */
const CONNECTION_ATTRIBUTES = [
  "connectionURL",
  "connectionUsername",
  "connectionPassword",
  "connectionProtocol",
  "authentication",
];

type XmlNode = Record<string, unknown>;

/** JNDI's provider URL: every host, space-separated (the next is tried when one does not answer). */
export function ldapConnectionUrl(hosts: readonly string[]): string {
  return hosts
    .map((host) => `ldap://${/:\d+$/.test(host) ? host : `${host}:${DEFAULT_LDAP_PORT}`}`)
    .join(" ");
}

/**
 * A value in a JAAS configuration file: a double-quoted string, as its tokenizer reads it back. The
 * JDK expands `${name}` in these values and offers no escape for it: a password holding `${` fails
 * to log in locally (the login fails; nothing is exposed).
 */
function jaasValue(value: string): string {
  const escaped = value
    .replaceAll("\\", "\\\\")
    .replaceAll('"', '\\"')
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\t", "\\t");
  return `"${escaped}"`;
}

/** `login.config`: the internal users' properties first (sufficient), then the directory (required). */
export function renderLoginConfig(ldap: BrokerLdap, confDir: string): string {
  const options: [string, string | boolean | undefined][] = [
    ["initialContextFactory", "com.sun.jndi.ldap.LdapCtxFactory"],
    ["connectionURL", ldapConnectionUrl(ldap.hosts)],
    ["connectionUsername", ldap.serviceAccountUsername],
    ["connectionPassword", ldap.serviceAccountPassword],
    // LDAPLoginModule puts both in a Hashtable: left out, they would be null and every login would fail.
    ["connectionProtocol", "s"],
    ["authentication", "simple"],
    ["userBase", ldap.userBase],
    ["userSearchMatching", ldap.userSearchMatching],
    ["userSearchSubtree", ldap.userSearchSubtree ?? false],
    ["userRoleName", ldap.userRoleName],
    ["roleBase", ldap.roleBase],
    ["roleName", ldap.roleName],
    ["roleSearchMatching", ldap.roleSearchMatching],
    ["roleSearchSubtree", ldap.roleSearchSubtree ?? false],
  ];
  const ldapOptions = options
    .filter((option): option is [string, string | boolean] => option[1] !== undefined)
    .map(([name, value]) => `    ${name}=${jaasValue(String(value))}`);
  return [
    `${JAAS_ENTRY} {`,
    "  org.apache.activemq.jaas.PropertiesLoginModule sufficient",
    `    org.apache.activemq.jaas.properties.user=${jaasValue(INTERNAL_USERS_FILE)}`,
    `    org.apache.activemq.jaas.properties.group=${jaasValue(INTERNAL_GROUPS_FILE)}`,
    `    baseDir=${jaasValue(confDir)};`,
    "  org.apache.activemq.jaas.LDAPLoginModule required",
    `${ldapOptions.join("\n")};`,
    "};",
    "",
  ].join("\n");
}

/** A key or value in a Java properties file. */
function property(text: string): string {
  return text
    .replaceAll("\\", "\\\\")
    .replace(/[=:#! ]/g, (char) => `\\${char}`)
    .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The local cloud's own users, for `PropertiesLoginModule`: `name=password`, and `group=name,name`. */
export function renderInternalUsers(users: readonly BrokerUser[]): { users: string; groups: string } {
  const byGroup = new Map<string, string[]>();
  for (const user of users) {
    for (const group of user.groups ?? []) byGroup.set(group, [...(byGroup.get(group) ?? []), user.username]);
  }
  return {
    users: users.map((user) => `${property(user.username)}=${property(user.password)}\n`).join(""),
    groups: [...byGroup]
      .map(([group, names]) => `${property(group)}=${names.map(property).join(",")}\n`)
      .join(""),
  };
}

/** The `<plugins>` entry that hands authentication to the JAAS entry above. */
export function jaasAuthenticationPlugin(): XmlNode {
  return { jaasAuthenticationPlugin: [], ":@": { configuration: JAAS_ENTRY } };
}

function tagOf(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => !key.startsWith("#") && key !== ":@" && !key.startsWith("?"));
}

/**
 * A user plugin with every `cachedLDAPAuthorizationMap` in it pointed at the broker's directory as
 * the service account (whatever the configuration said), and given a refresh interval if it has none.
 */
export function withLdapConnection(node: XmlNode, ldap: BrokerLdap): XmlNode {
  const tag = tagOf(node);
  if (tag === undefined) return node;
  const children = Array.isArray(node[tag]) ? (node[tag] as XmlNode[]) : [];
  const rewritten: XmlNode = { ...node, [tag]: children.map((child) => withLdapConnection(child, ldap)) };
  if (tag.replace(/^.*:/, "") !== "cachedLDAPAuthorizationMap") return rewritten;
  const attributes = { ...((node[":@"] as Record<string, string> | undefined) ?? {}) };
  for (const name of CONNECTION_ATTRIBUTES) delete attributes[name];
  return {
    ...rewritten,
    ":@": {
      refreshInterval: String(DEFAULT_REFRESH_INTERVAL_MS),
      ...attributes,
      connectionURL: ldapConnectionUrl(ldap.hosts),
      connectionUsername: ldap.serviceAccountUsername,
      connectionPassword: ldap.serviceAccountPassword,
    },
  };
}

/** The files an LDAP broker instance needs besides activemq.xml, by name in its configuration directory. */
export function renderLdapFiles(
  ldap: BrokerLdap,
  confDir: string,
  internalUsers: readonly BrokerUser[],
): Record<string, string> {
  const { users, groups } = renderInternalUsers(internalUsers);
  return {
    [LOGIN_CONFIG_FILE]: renderLoginConfig(ldap, confDir),
    [INTERNAL_USERS_FILE]: users,
    [INTERNAL_GROUPS_FILE]: groups,
  };
}
