import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  BadRequestException,
  CreateBrokerCommand,
  type CreateBrokerCommandInput,
  DescribeBrokerCommand,
  type LdapServerMetadataInput,
  UpdateBrokerCommand,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { brokerRequest, type Mq, startMq } from "./harness.js";

const SECRET = "Directory-Service-Secret-9";
const METADATA: LdapServerMetadataInput = {
  Hosts: ["127.0.0.1:3389"],
  UserBase: "ou=Users,dc=mqops,dc=local",
  UserSearchMatching: "(uid={0})",
  RoleBase: "ou=Groups,dc=mqops,dc=local",
  RoleName: "cn",
  RoleSearchMatching: "(member={0})",
  ServiceAccountUsername: "uid=mqops-broker,ou=Services,dc=mqops,dc=local",
  ServiceAccountPassword: SECRET,
};
const ldapBroker = (metadata: Partial<LdapServerMetadataInput> = {}): Partial<CreateBrokerCommandInput> => ({
  AuthenticationStrategy: "LDAP",
  Users: undefined,
  LdapServerMetadata: { ...METADATA, ...metadata },
});

let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(() => undefined).catch((caught: unknown) => caught);

/** Every file the control plane wrote, as text. */
const dataFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
    .join("\n");

describe("LDAP brokers in the local Amazon MQ", () => {
  it("starts the broker with the directory and the service account's password, without users", async () => {
    const brokerId = await mq.createBroker(ldapBroker());
    await mq.waitForState(brokerId, "RUNNING");

    const [spec] = mq.runtime.starts;
    expect(spec?.users).toEqual([]);
    expect(spec?.ldap).toEqual({
      hosts: ["127.0.0.1:3389"],
      userBase: METADATA.UserBase,
      userSearchMatching: "(uid={0})",
      roleBase: METADATA.RoleBase,
      roleName: "cn",
      roleSearchMatching: "(member={0})",
      serviceAccountUsername: METADATA.ServiceAccountUsername,
      serviceAccountPassword: SECRET,
    });
  });

  it("describes AuthenticationStrategy and LdapServerMetadata without the password, which mq.json keeps sealed", async () => {
    const brokerId = await mq.createBroker(ldapBroker());
    const described = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));

    expect(described.AuthenticationStrategy).toBe("LDAP");
    const { ServiceAccountPassword: _secret, ...shown } = METADATA;
    expect(described.LdapServerMetadata).toEqual(shown);
    expect(mq.wire.join("\n")).not.toContain(SECRET);
    expect(dataFiles(mq.dataDir)).not.toContain(SECRET);
  });

  it("gives the broker's auto-created configuration the LDAP strategy", async () => {
    const brokerId = await mq.createBroker(ldapBroker());
    await mq.waitForState(brokerId, "RUNNING");
    const state = JSON.parse(readFileSync(path.join(mq.dataDir, "mq.json"), "utf8")) as {
      configurations: Record<string, { authenticationStrategy: string }>;
    };

    expect(Object.values(state.configurations).map((c) => c.authenticationStrategy)).toEqual(["LDAP"]);
  });

  it.each([
    ["ldapServerMetadata.hosts", { Hosts: [] }, /at least one host/],
    ["ldapServerMetadata.hosts", { Hosts: ["ldap://127.0.0.1"] }, /no scheme/],
    ["ldapServerMetadata.userBase", { UserBase: "Users" }, /distinguished name/],
    ["ldapServerMetadata.userSearchMatching", { UserSearchMatching: "(uid=alice)" }, /placeholder \{0\}/],
    ["ldapServerMetadata.roleSearchMatching", { RoleSearchMatching: "(member={3})" }, /\{0\} or \{1\}/],
    ["ldapServerMetadata.roleName", { RoleName: "common name" }, /attribute/],
    ["ldapServerMetadata.serviceAccountPassword", { ServiceAccountPassword: "" }, /required/],
  ] satisfies [string, Partial<LdapServerMetadataInput>, RegExp][])(
    "answers BadRequestException naming %s for %j",
    async (attribute, metadata, message) => {
      const error = await failure(
        mq.client.send(new CreateBrokerCommand(brokerRequest(ldapBroker(metadata)))),
      );

      expect(error).toBeInstanceOf(BadRequestException);
      expect(error).toMatchObject({ ErrorAttribute: attribute, message: expect.stringMatching(message) });
      expect(JSON.stringify(error)).not.toContain(SECRET);
      expect(mq.runtime.starts).toEqual([]);
    },
  );

  it("refuses LDAP without metadata, metadata with SIMPLE, and changing either in UpdateBroker", async () => {
    const missing = await failure(
      mq.createBroker({ AuthenticationStrategy: "LDAP", LdapServerMetadata: undefined }),
    );
    const simple = await failure(mq.createBroker({ LdapServerMetadata: METADATA }));
    const brokerId = await mq.createBroker(ldapBroker());
    await mq.waitForState(brokerId, "RUNNING");
    const update = await failure(
      mq.client.send(new UpdateBrokerCommand({ BrokerId: brokerId, LdapServerMetadata: METADATA })),
    );
    const back = await failure(
      mq.client.send(new UpdateBrokerCommand({ BrokerId: brokerId, AuthenticationStrategy: "SIMPLE" })),
    );

    expect(missing).toMatchObject({ ErrorAttribute: "ldapServerMetadata" });
    expect(simple).toMatchObject({ ErrorAttribute: "ldapServerMetadata" });
    expect(update).toMatchObject({ ErrorAttribute: "ldapServerMetadata" });
    expect(back).toMatchObject({ ErrorAttribute: "authenticationStrategy" });
  });
});
