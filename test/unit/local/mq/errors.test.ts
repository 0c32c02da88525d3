import {
  BadRequestException,
  ConflictException,
  CreateBrokerCommand,
  CreateConfigurationCommand,
  CreateTagsCommand,
  CreateUserCommand,
  DeleteBrokerCommand,
  DeleteTagsCommand,
  DeleteUserCommand,
  DescribeBrokerCommand,
  DescribeBrokerInstanceOptionsCommand,
  DescribeConfigurationRevisionCommand,
  InternalServerErrorException,
  ListBrokersCommand,
  ListConfigurationsCommand,
  RebootBrokerCommand,
  UpdateBrokerCommand,
  UpdateConfigurationCommand,
  UpdateUserCommand,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AwsServiceError } from "../../../../local/server/aws-error.js";
import type { AwsRequest } from "../../../../local/server/service.js";
import { brokerRequest, type Mq, PASSWORD, startMq } from "./harness.js";

let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

const OTHER_PASSWORD = "Other-Pa55word-Value";
const failure = (promise: Promise<unknown>) =>
  promise.then(() => undefined).catch((caught: unknown) => caught);

async function runningBroker() {
  const brokerId = await mq.createBroker();
  await mq.waitForState(brokerId, "RUNNING");
  return brokerId;
}

describe("CreateBroker members", () => {
  it.each([
    ["publiclyAccessible", { PubliclyAccessible: undefined }],
    [
      "ldapServerMetadata",
      {
        LdapServerMetadata: {
          Hosts: ["ldap.example.com"],
          RoleBase: "ou=groups",
          RoleSearchMatching: "(member={0})",
          ServiceAccountPassword: "x",
          ServiceAccountUsername: "svc",
          UserBase: "ou=users",
          UserSearchMatching: "(uid={0})",
        },
      },
    ],
    ["dataReplicationMode", { DataReplicationMode: "CRDR" as const }],
    ["encryptionOptions.kmsKeyId", { EncryptionOptions: { UseAwsOwnedKey: true, KmsKeyId: "alias/mine" } }],
    [
      "maintenanceWindowStartTime.dayOfWeek",
      { MaintenanceWindowStartTime: { DayOfWeek: "FUNDAY" as "MONDAY", TimeOfDay: "01:00" } },
    ],
    ["users.groups", { Users: [{ Username: "admin", Password: PASSWORD, Groups: ["bad group"] }] }],
    [
      "users",
      {
        Users: [
          { Username: "one", Password: PASSWORD, ReplicationUser: true },
          { Username: "two", Password: PASSWORD, ReplicationUser: true },
        ],
      },
    ],
  ])("answers BadRequestException naming %s", async (attribute, overrides) => {
    const error = await failure(mq.createBroker(overrides));

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, ErrorAttribute: attribute });
  });

  it("answers InternalServerErrorException when the runtime has no ports, and creates nothing", async () => {
    mq.runtime.failNextAllocation(new Error("no free port on 127.0.0.1"));

    const error = await failure(mq.createBroker({ BrokerName: "portless" }));

    expect(error).toBeInstanceOf(InternalServerErrorException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect((error as Error).message).toContain("no free port on 127.0.0.1");
    const listed = await mq.client.send(new ListBrokersCommand({}));
    expect(listed.BrokerSummaries).toEqual([]);
  });

  it("accepts a full engine version and keeps major.minor, as Amazon MQ does", async () => {
    const brokerId = await mq.createBroker({ EngineVersion: "5.19.1" });

    const described = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));

    expect(described.EngineVersion).toBe("5.19");
  });
});

describe("broker state conflicts", () => {
  it("refuses to delete a broker that is already being deleted", async () => {
    const brokerId = await runningBroker();
    mq.runtime.holdDestroys();
    await mq.client.send(new DeleteBrokerCommand({ BrokerId: brokerId }));

    const again = await failure(mq.client.send(new DeleteBrokerCommand({ BrokerId: brokerId })));
    const reboot = await failure(mq.client.send(new RebootBrokerCommand({ BrokerId: brokerId })));
    const user = await failure(
      mq.client.send(
        new CreateUserCommand({ BrokerId: brokerId, Username: "late", Password: OTHER_PASSWORD }),
      ),
    );

    for (const error of [again, reboot, user]) {
      expect(error).toBeInstanceOf(ConflictException);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "broker-id" });
    }
    mq.runtime.releaseDestroys();
  });

  it("refuses LDAP in UpdateBroker", async () => {
    const brokerId = await runningBroker();

    const error = await failure(
      mq.client.send(new UpdateBrokerCommand({ BrokerId: brokerId, AuthenticationStrategy: "LDAP" })),
    );

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ ErrorAttribute: "authenticationStrategy" });
  });
});

describe("user conflicts", () => {
  it("refuses to create, update or delete again a user pending deletion", async () => {
    const brokerId = await mq.createBroker({
      Users: [
        { Username: "admin", Password: PASSWORD },
        { Username: "leaving", Password: PASSWORD },
      ],
    });
    await mq.waitForState(brokerId, "RUNNING");
    await mq.client.send(new DeleteUserCommand({ BrokerId: brokerId, Username: "leaving" }));

    const errors = [
      await failure(
        mq.client.send(
          new CreateUserCommand({ BrokerId: brokerId, Username: "leaving", Password: OTHER_PASSWORD }),
        ),
      ),
      await failure(
        mq.client.send(new UpdateUserCommand({ BrokerId: brokerId, Username: "leaving", Groups: [] })),
      ),
      await failure(mq.client.send(new DeleteUserCommand({ BrokerId: brokerId, Username: "leaving" }))),
    ];

    for (const error of errors) {
      expect(error).toBeInstanceOf(ConflictException);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "username" });
    }
  });

  it("refuses a second replication user and bad UpdateUser members", async () => {
    const brokerId = await mq.createBroker({
      Users: [{ Username: "admin", Password: PASSWORD, ReplicationUser: true }],
    });
    await mq.waitForState(brokerId, "RUNNING");

    const replication = await failure(
      mq.client.send(
        new CreateUserCommand({
          BrokerId: brokerId,
          Username: "rep2",
          Password: OTHER_PASSWORD,
          ReplicationUser: true,
        }),
      ),
    );
    const password = await failure(
      mq.client.send(new UpdateUserCommand({ BrokerId: brokerId, Username: "admin", Password: "short" })),
    );
    const groups = await failure(
      mq.client.send(new UpdateUserCommand({ BrokerId: brokerId, Username: "admin", Groups: ["a"] })),
    );

    expect(replication).toMatchObject({ ErrorAttribute: "replicationUser" });
    expect(password).toMatchObject({ ErrorAttribute: "password" });
    expect(groups).toMatchObject({ ErrorAttribute: "groups" });
    for (const error of [replication, password, groups]) expect(error).toBeInstanceOf(BadRequestException);
  });

  it("refuses user changes on a broker that failed to create", async () => {
    mq.runtime.failNextStart(new Error("no java"));
    const brokerId = await mq.createBroker();
    await mq.waitForState(brokerId, "CREATION_FAILED");

    const error = await failure(
      mq.client.send(
        new CreateUserCommand({ BrokerId: brokerId, Username: "app", Password: OTHER_PASSWORD }),
      ),
    );

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ ErrorAttribute: "broker-id" });
  });
});

describe("configuration, tag and listing members", () => {
  it("refuses a revision description over 4000 characters and a revision that is not a number", async () => {
    const created = await mq.client.send(
      new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", Name: "c" }),
    );

    const description = await failure(
      mq.client.send(
        new UpdateConfigurationCommand({
          ConfigurationId: created.Id,
          Data: Buffer.from("<broker/>").toString("base64"),
          Description: "d".repeat(4001),
        }),
      ),
    );
    const revision = await failure(
      mq.client.send(
        new DescribeConfigurationRevisionCommand({
          ConfigurationId: created.Id,
          ConfigurationRevision: "latest",
        }),
      ),
    );
    const maxResults = await failure(mq.client.send(new ListConfigurationsCommand({ MaxResults: 0 })));
    const options = await failure(
      mq.client.send(new DescribeBrokerInstanceOptionsCommand({ MaxResults: 500 })),
    );

    expect(description).toMatchObject({ ErrorAttribute: "description" });
    expect(revision).toMatchObject({ ErrorAttribute: "configuration-revision" });
    expect(maxResults).toMatchObject({ ErrorAttribute: "maxResults" });
    expect(options).toMatchObject({ ErrorAttribute: "maxResults" });
    for (const error of [description, revision, maxResults, options]) {
      expect(error).toBeInstanceOf(BadRequestException);
    }
  });

  it("refuses DeleteTags without keys and more than 50 tags on a resource", async () => {
    const brokerId = await mq.createBroker();
    const { BrokerArn: arn } = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, n) => [`k${n}`, "v"]));

    const noKeys = await failure(mq.client.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: [] })));
    const tooMany = await failure(mq.client.send(new CreateTagsCommand({ ResourceArn: arn, Tags: many })));

    expect(noKeys).toMatchObject({ ErrorAttribute: "tagKeys" });
    expect(tooMany).toMatchObject({ ErrorAttribute: "tags" });
    for (const error of [noKeys, tooMany]) expect(error).toBeInstanceOf(BadRequestException);
  });
});

describe("requests no SDK sends", () => {
  const request = (method: string, path: string, body = ""): AwsRequest => ({
    method,
    path,
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.from(body),
    region: "us-east-1",
    accessKeyId: "AKIAMQOPSLOCALTEST01",
    requestId: "r-1",
  });

  it("answers NotFoundException for a path no operation has", async () => {
    const error = await failure(mq.service.handle(request("PATCH", "/v1/brokers")));

    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({ code: "NotFoundException", status: 404 });
  });

  it("answers BadRequestException for a body that is not JSON", async () => {
    const error = await failure(mq.service.handle(request("POST", "/v1/brokers", "{not json")));

    expect(error).toMatchObject({ code: "BadRequestException", status: 400 });
  });

  it("answers BadRequestException naming a member of the wrong type", async () => {
    const body = JSON.stringify({ brokerName: 42, deploymentMode: "SINGLE_INSTANCE" });

    const error = await failure(mq.service.handle(request("POST", "/v1/brokers", body)));

    expect(error).toMatchObject({ code: "BadRequestException", attribute: "brokerName" });
  });
});

it("CreateBroker is idempotent only for its own creatorRequestId", async () => {
  const first = await mq.client.send(new CreateBrokerCommand(brokerRequest()));
  const second = await mq.client.send(new CreateBrokerCommand(brokerRequest()));

  expect(second.BrokerId).not.toBe(first.BrokerId);
});
