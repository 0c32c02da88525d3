import * as z from "./zod.js";

/**
 * Amazon MQ's LdapServerMetadataInput (CreateBroker, UpdateBroker) and the rules its members follow,
 * pure. Imported by the API (functions/) and by the local control plane (local/mq), which applies the
 * same checks on its own. Required, as the API reference and `@aws-sdk/client-mq` have it: hosts,
 * userBase, userSearchMatching, roleBase, roleSearchMatching, serviceAccountUsername,
 * serviceAccountPassword; optional: userRoleName, roleName, userSearchSubtree, roleSearchSubtree.
 *
 * Amazon MQ documents which members are required, not their formats. The formats checked here are
 * what the broker's side needs (Amazon MQ uses ActiveMQ's JAAS `LDAPLoginModule`): hosts without a
 * scheme, distinguished names, parenthesised filters read as `java.text.MessageFormat` patterns (`{0}`
 * and `{1}` the only placeholders; a single quote would silently change the filter, so it is refused).
 * The 1024-character bounds are mqops' own, not Amazon MQ's.
 */

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*(?::(\\d{1,5}))?$`);
const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]{0,63}|\d+(?:\.\d+)+)$/;
const DN_MAX = 1024;
const FILTER_MAX = 1024;

/** Why a host is not a DNS name or IPv4 address with an optional port, or undefined when it is. */
export function ldapHostIssue(host: string): string | undefined {
  const match = HOST.exec(host);
  if (host.length > 253 || match === null) {
    return "must be a host name or address with an optional :port (no scheme), e.g. ldap.example.com";
  }
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return "port must be 1-65535";
  return undefined;
}

/** The RDNs of a distinguished name, split on the commas a backslash does not escape. */
function relativeNames(dn: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let index = 0; index < dn.length; index++) {
    const char = dn[index];
    if (char === "\\") {
      current += dn.slice(index, index + 2);
      index += 1;
    } else if (char === ",") {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** Why a value is not a distinguished name (RFC 4514: `type=value` RDNs joined by commas), or undefined. */
export function distinguishedNameIssue(dn: string): string | undefined {
  if (dn.trim() === "") return "must be a distinguished name, e.g. ou=Users,dc=example,dc=com";
  if (dn.length > DN_MAX) return `must be at most ${DN_MAX} characters`;
  if (/\\(?![\\ ,+"<>;=#]|[0-9A-Fa-f]{2})/.test(dn) || dn.endsWith("\\")) {
    return 'has a backslash that escapes nothing (RFC 4514: \\, \\+ \\" \\\\ \\< \\> \\; or \\XX)';
  }
  for (const rdn of relativeNames(dn)) {
    const equals = rdn.indexOf("=");
    const type = equals === -1 ? "" : rdn.slice(0, equals).trim();
    const value = equals === -1 ? "" : rdn.slice(equals + 1).trim();
    if (!ATTRIBUTE.test(type) || value === "") {
      return `must be a distinguished name of type=value parts joined by commas; ${JSON.stringify(rdn.trim().slice(0, 64))} is not one`;
    }
  }
  return undefined;
}

/**
 * Why a search filter is unusable, or undefined. `placeholders` are the MessageFormat arguments the
 * filter may use; at least one must appear (a filter without the user's name matches everyone).
 */
export function searchFilterIssue(filter: string, placeholders: readonly number[]): string | undefined {
  const allowed = placeholders.map((n) => `{${n}}`).join(" or ");
  if (filter.length > FILTER_MAX) return `must be at most ${FILTER_MAX} characters`;
  if (!filter.startsWith("(") || !filter.endsWith(")")) {
    return `must be an LDAP search filter in parentheses, e.g. (uid=${allowed.split(" ")[0]})`;
  }
  let depth = 0;
  for (const char of filter) {
    depth += char === "(" ? 1 : char === ")" ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) return "has unbalanced parentheses";
  if (filter.includes("'")) {
    return "must not contain ' (the broker reads the filter as a java.text.MessageFormat pattern)";
  }
  const used = [...filter.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]);
  const unknown = used.find((text) => !placeholders.map(String).includes(text ?? ""));
  if (unknown !== undefined || /[{}]/.test(filter.replace(/\{\d+\}/g, ""))) {
    return `may use only the placeholder${placeholders.length > 1 ? "s" : ""} ${allowed}`;
  }
  if (used.length === 0) return `must contain the placeholder ${allowed}`;
  return undefined;
}

/** Why a value is not an LDAP attribute name (descriptor or OID), or undefined. */
export function attributeNameIssue(name: string): string | undefined {
  return ATTRIBUTE.test(name) ? undefined : "must be an LDAP attribute name, e.g. cn or memberOf";
}

const withIssue =
  (check: (value: string) => string | undefined) => (value: string, ctx: z.core.$RefinementCtx) => {
    const issue = check(value);
    if (issue !== undefined) ctx.addIssue({ code: "custom", message: issue });
  };

const dn = z.string().check(z.superRefine(withIssue(distinguishedNameIssue)));

const metadataShape = {
  hosts: z.array(z.string().check(z.superRefine(withIssue(ldapHostIssue)))).check(
    z.minLength(1, "must have at least one host (a second one is the failover server)"),
    z.refine(
      (hosts) => new Set(hosts.map((h) => h.toLowerCase())).size === hosts.length,
      "must not repeat a host",
    ),
  ),
  userBase: dn,
  userSearchMatching: z.string().check(z.superRefine(withIssue((f) => searchFilterIssue(f, [0])))),
  userSearchSubtree: z.optional(z.boolean()),
  userRoleName: z.optional(z.string().check(z.superRefine(withIssue(attributeNameIssue)))),
  roleBase: dn,
  roleName: z.optional(z.string().check(z.superRefine(withIssue(attributeNameIssue)))),
  roleSearchMatching: z.string().check(z.superRefine(withIssue((f) => searchFilterIssue(f, [0, 1])))),
  roleSearchSubtree: z.optional(z.boolean()),
  serviceAccountUsername: dn,
};

/** LdapServerMetadata as the workflow carries it: everything but the service account's password. */
export const ldapServerMetadataSchema = z.strictObject(metadataShape);
export type LdapServerMetadata = z.infer<typeof ldapServerMetadataSchema>;

/** LdapServerMetadataInput as POST /brokers takes it (camelCase, as Amazon MQ's wire has it). */
export const ldapServerMetadataInputSchema = z.strictObject({
  ...metadataShape,
  serviceAccountPassword: z
    .string()
    .check(z.minLength(1, "is required"), z.maxLength(1024, "must be at most 1024 characters")),
});
export type LdapServerMetadataInput = z.infer<typeof ldapServerMetadataInputSchema>;
