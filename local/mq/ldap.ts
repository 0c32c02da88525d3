import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  attributeNameIssue,
  distinguishedNameIssue,
  ldapHostIssue,
  searchFilterIssue,
} from "../../functions/lib/ldap-server-metadata.js";
import type { BrokerLdap } from "../brokers/types.js";
import { BadRequestException, InvalidParameter } from "./exceptions.js";
import type { Fields } from "./fields.js";

/**
 * LDAP brokers in the local Amazon MQ: LdapServerMetadataInput checked by Amazon MQ's rules (the same
 * module the API uses), the service account's password kept sealed (AES-256-GCM) in mq.json, as
 * Amazon MQ keeps it encrypted, and LdapServerMetadataOutput without the password.
 */

/** What mq.json keeps: the metadata, with the password sealed by the data directory's key. */
export type LdapRecord = Omit<BrokerLdap, "serviceAccountPassword"> & {
  sealedServiceAccountPassword: string;
};

const KEY_FILE = "mq-ldap.key";

/** The data directory's sealing key (32 random bytes, mode 0600), created on first use. */
export function loadSealingKey(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  const key = randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, key.toString("base64"), { mode: 0o600 });
  return key;
}

export function seal(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64")).join(".");
}

export function unseal(key: Buffer, sealed: string): string {
  const [iv = "", tag = "", body = ""] = sealed.split(".");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
}

function checked(fields: Fields, name: string, issue: (value: string) => string | undefined): string {
  const value = fields.requiredString(name);
  const problem = issue(value);
  if (problem !== undefined) throw new InvalidParameter(fields.attribute(name), problem);
  return value;
}

function optionalAttribute(fields: Fields, name: string): string | undefined {
  return fields.string(name) === undefined ? undefined : checked(fields, name, attributeNameIssue);
}

/** CreateBroker's ldapServerMetadata, checked member by member; the password comes back sealed. */
export function ldapServerMetadata(fields: Fields, key: Buffer): LdapRecord {
  const hosts = fields.stringList("hosts");
  if (hosts === undefined || hosts.length === 0) {
    throw new InvalidParameter(fields.attribute("hosts"), "must have at least one host");
  }
  hosts.forEach((host, index) => {
    const issue = ldapHostIssue(host);
    if (issue !== undefined) {
      throw new BadRequestException(
        `${fields.attribute("hosts")}[${index}] ${issue}.`,
        fields.attribute("hosts"),
      );
    }
  });
  if (new Set(hosts.map((host) => host.toLowerCase())).size !== hosts.length) {
    throw new InvalidParameter(fields.attribute("hosts"), "must not repeat a host");
  }
  const password = fields.requiredString("serviceAccountPassword");
  const userSearchSubtree = fields.boolean("userSearchSubtree");
  const roleSearchSubtree = fields.boolean("roleSearchSubtree");
  const userRoleName = optionalAttribute(fields, "userRoleName");
  const roleName = optionalAttribute(fields, "roleName");
  return {
    hosts: [...hosts],
    userBase: checked(fields, "userBase", distinguishedNameIssue),
    userSearchMatching: checked(fields, "userSearchMatching", (f) => searchFilterIssue(f, [0])),
    ...(userSearchSubtree === undefined ? {} : { userSearchSubtree }),
    ...(userRoleName === undefined ? {} : { userRoleName }),
    roleBase: checked(fields, "roleBase", distinguishedNameIssue),
    ...(roleName === undefined ? {} : { roleName }),
    roleSearchMatching: checked(fields, "roleSearchMatching", (f) => searchFilterIssue(f, [0, 1])),
    ...(roleSearchSubtree === undefined ? {} : { roleSearchSubtree }),
    serviceAccountUsername: checked(fields, "serviceAccountUsername", distinguishedNameIssue),
    sealedServiceAccountPassword: seal(key, password),
  };
}

/** LdapServerMetadataOutput: everything but the password, as DescribeBroker answers. */
export function describeLdap(record: LdapRecord) {
  const { sealedServiceAccountPassword: _sealed, ...output } = record;
  return output;
}

/** What the runtime renders the broker's JAAS login module and authorization map from. */
export function runtimeLdap(record: LdapRecord, key: Buffer): BrokerLdap {
  const { sealedServiceAccountPassword, ...metadata } = record;
  return { ...metadata, serviceAccountPassword: unseal(key, sealedServiceAccountPassword) };
}
