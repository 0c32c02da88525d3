import { describe, expect, it } from "vitest";
import { usersSecretValue, withoutPasswords } from "../../../functions/api/provisioning-request.js";
import { brokerSpecSchema, validateCreateBrokerRequest } from "../../../functions/lib/broker-request.js";
import { goodRequest } from "../../fixtures/requests.js";

const SERVICE_PASSWORD = "Service-Account-Secret-1";

const METADATA = {
  hosts: ["ldap.example.com", "ldap-2.example.com:636"],
  userBase: "ou=Users,ou=corp, dc=corp, dc=example, dc=com",
  userSearchMatching: "(uid={0})",
  userSearchSubtree: true,
  roleBase: "ou=Groups,dc=example,dc=com",
  roleName: "cn",
  roleSearchMatching: "(member=uid={1})",
  roleSearchSubtree: false,
  serviceAccountUsername: "cn=admin,dc=corp,dc=example,dc=com",
  serviceAccountPassword: SERVICE_PASSWORD,
};

const ldapRequest = (metadata: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
  goodRequest({ authenticationStrategy: "LDAP", users: [], ldapServerMetadata: metadata, ...overrides });

const without = (name: string) =>
  Object.fromEntries(Object.entries(METADATA).filter(([key]) => key !== name));

// Each row breaks one rule of LdapServerMetadataInput; the field and the words of the error are asserted.
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  ["no hosts", { ...METADATA, hosts: [] }, "ldapServerMetadata.hosts", /at least one host/],
  [
    "a URL for a host",
    { ...METADATA, hosts: ["ldaps://ldap.example.com"] },
    "ldapServerMetadata.hosts[0]",
    /no scheme/,
  ],
  [
    "a port of 70000",
    { ...METADATA, hosts: ["ldap.example.com:70000"] },
    "ldapServerMetadata.hosts[0]",
    /1-65535/,
  ],
  [
    "a repeated host",
    { ...METADATA, hosts: ["a.example.com", "A.example.com"] },
    "ldapServerMetadata.hosts",
    /repeat/,
  ],
  ["missing hosts", without("hosts"), "ldapServerMetadata.hosts", /required/],
  ["missing userBase", without("userBase"), "ldapServerMetadata.userBase", /required/],
  ["userBase not a DN", { ...METADATA, userBase: "Users" }, "ldapServerMetadata.userBase", /type=value/],
  [
    "userBase with a dangling escape",
    { ...METADATA, userBase: "ou=Users\\" },
    "ldapServerMetadata.userBase",
    /backslash/,
  ],
  [
    "empty RDN value",
    { ...METADATA, roleBase: "ou=,dc=example" },
    "ldapServerMetadata.roleBase",
    /type=value/,
  ],
  ["missing roleBase", without("roleBase"), "ldapServerMetadata.roleBase", /required/],
  [
    "user filter without parentheses",
    { ...METADATA, userSearchMatching: "uid={0}" },
    "ldapServerMetadata.userSearchMatching",
    /in parentheses/,
  ],
  [
    "user filter without {0}",
    { ...METADATA, userSearchMatching: "(uid=alice)" },
    "ldapServerMetadata.userSearchMatching",
    /placeholder \{0\}/,
  ],
  [
    "user filter with {1}",
    { ...METADATA, userSearchMatching: "(uid={1})" },
    "ldapServerMetadata.userSearchMatching",
    /only the placeholder \{0\}/,
  ],
  [
    "unbalanced filter",
    { ...METADATA, roleSearchMatching: "(&(member={0})" },
    "ldapServerMetadata.roleSearchMatching",
    /unbalanced/,
  ],
  [
    "a quote in a filter",
    { ...METADATA, roleSearchMatching: "(cn=o'brien{1})" },
    "ldapServerMetadata.roleSearchMatching",
    /MessageFormat/,
  ],
  [
    "role filter with {2}",
    { ...METADATA, roleSearchMatching: "(member={2})" },
    "ldapServerMetadata.roleSearchMatching",
    /\{0\} or \{1\}/,
  ],
  [
    "roleName not an attribute",
    { ...METADATA, roleName: "common name" },
    "ldapServerMetadata.roleName",
    /attribute/,
  ],
  [
    "userRoleName not an attribute",
    { ...METADATA, userRoleName: "-x" },
    "ldapServerMetadata.userRoleName",
    /attribute/,
  ],
  [
    "subtree not a boolean",
    { ...METADATA, userSearchSubtree: "yes" },
    "ldapServerMetadata.userSearchSubtree",
    /boolean/,
  ],
  [
    "service account not a DN",
    { ...METADATA, serviceAccountUsername: "admin" },
    "ldapServerMetadata.serviceAccountUsername",
    /distinguished name/,
  ],
  [
    "missing service account password",
    without("serviceAccountPassword"),
    "ldapServerMetadata.serviceAccountPassword",
    /required/,
  ],
  [
    "empty service account password",
    { ...METADATA, serviceAccountPassword: "" },
    "ldapServerMetadata.serviceAccountPassword",
    /required/,
  ],
  ["an unknown member", { ...METADATA, port: 636 }, "ldapServerMetadata.port", /not a known field/],
];

describe("ldapServerMetadata in POST /brokers", () => {
  it.each(BAD)("refuses %s at %s", (_case, metadata, field, message) => {
    const result = validateCreateBrokerRequest(ldapRequest(metadata));

    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.field)).toEqual([field]);
    expect(issues[0]?.message).toMatch(message);
    expect(JSON.stringify(issues)).not.toContain(SERVICE_PASSWORD);
  });

  it("accepts Amazon MQ's documented example shapes, with no users", () => {
    const result = validateCreateBrokerRequest(ldapRequest(METADATA));

    expect(result.ok ? result.request.ldapServerMetadata : result.issues).toEqual(METADATA);
  });

  it("needs ldapServerMetadata with LDAP, and refuses it with SIMPLE", () => {
    const missing = validateCreateBrokerRequest(goodRequest({ authenticationStrategy: "LDAP" }));
    const simple = validateCreateBrokerRequest(goodRequest({ ldapServerMetadata: METADATA }));
    const unknown = validateCreateBrokerRequest(goodRequest({ authenticationStrategy: "OAUTH" }));

    expect(missing.ok ? [] : missing.issues).toEqual([
      { field: "ldapServerMetadata", message: "is required when authenticationStrategy is LDAP" },
    ]);
    expect(simple.ok ? [] : simple.issues).toEqual([
      { field: "ldapServerMetadata", message: "must be omitted unless authenticationStrategy is LDAP" },
    ]);
    expect(unknown.ok ? [] : unknown.issues.map((issue) => issue.field)).toEqual(["authenticationStrategy"]);
  });

  it("still needs a user with SIMPLE", () => {
    const result = validateCreateBrokerRequest(goodRequest({ users: [] }));

    expect(result.ok ? [] : result.issues).toEqual([
      { field: "users", message: "must have at least one user" },
    ]);
  });

  it("keeps the service account's password out of the workflow's input and in the users secret", () => {
    const result = validateCreateBrokerRequest(ldapRequest(METADATA));
    if (!result.ok) throw new Error("expected a valid request");

    const carried = withoutPasswords(result.request);

    expect(JSON.stringify(carried)).not.toContain(SERVICE_PASSWORD);
    expect(brokerSpecSchema.safeParse(carried).success).toBe(true);
    expect(usersSecretValue(result.request)).toEqual({
      passwords: {},
      ldapServiceAccountPassword: SERVICE_PASSWORD,
    });
  });
});
