import {
  BadRequestException,
  ConflictException,
  CreateBrokerCommand,
  type CreateBrokerCommandInput,
  DeleteBrokerCommand,
  type DeploymentMode,
  DescribeBrokerCommand,
  ListBrokersCommand,
  NotFoundException,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { brokerRequest, type Mq, PASSWORD, startMq } from "./harness.js";

let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

// The SDK types DeploymentMode as a closed union; the cast sends a value outside it, as other clients can.
describe("CreateBroker", () => {
  it("answers at once with CREATION_IN_PROGRESS and turns RUNNING once the runtime's start resolves", async () => {
    // Prepare
    mq.runtime.holdStarts();

    // Act
    const created = await mq.client.send(new CreateBrokerCommand(brokerRequest({ BrokerName: "orders" })));

    // Assess
    const brokerId = created.BrokerId ?? "";
    expect(brokerId).toMatch(/^b-[0-9a-f-]{36}$/);
    expect(created.BrokerArn).toBe(`arn:aws:mq:us-east-1:000000000000:broker:orders:${brokerId}`);
    const creating = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    expect(creating.BrokerState).toBe("CREATION_IN_PROGRESS");
    expect(creating.BrokerInstances).toEqual([]);
    mq.runtime.held[0]?.resolve();
    const running = await mq.waitForState(brokerId, "RUNNING");
    expect(running).toMatchObject({
      BrokerName: "orders",
      DeploymentMode: "SINGLE_INSTANCE",
      EngineType: "ACTIVEMQ",
      EngineVersion: "5.18",
      HostInstanceType: "mq.t3.micro",
      AutoMinorVersionUpgrade: true,
      Users: [{ Username: "admin" }],
      BrokerInstances: [
        { Endpoints: ["tcp://127.0.0.1:61000", "stomp://127.0.0.1:61001"], IpAddress: "127.0.0.1" },
      ],
    });
    expect(running.Configurations?.Current?.Id).toMatch(/^c-/);
    expect(running.Configurations?.Current?.Revision).toBe(1);
    expect(mq.runtime.starts[0]).toMatchObject({
      brokerId,
      brokerName: "orders",
      deploymentMode: "SINGLE_INSTANCE",
      users: [{ username: "admin", password: PASSWORD, consoleAccess: true }],
      ports: [{ openwire: 61000, stomp: 61001 }],
    });
    expect(mq.runtime.starts[0]?.configurationXml).toContain(
      '<broker schedulePeriodForDestinationPurge="10000"',
    );
  });

  it("marks the broker CREATION_FAILED with the runtime's reason, passwords masked, and keeps the record", async () => {
    // Prepare
    mq.runtime.failNextStart(new Error(`port 61000 is taken (user admin/${PASSWORD})`));

    // Act
    const brokerId = await mq.createBroker();

    // Assess
    const failed = await mq.waitForState(brokerId, "CREATION_FAILED");
    expect(failed.ActionsRequired).toEqual([
      {
        ActionRequiredCode: "BROKER_START_FAILED",
        ActionRequiredInfo: "port 61000 is taken (user admin/********)",
      },
    ]);
    const listed = await mq.client.send(new ListBrokersCommand({}));
    expect(listed.BrokerSummaries?.map((summary) => summary.BrokerId)).toEqual([brokerId]);
  });

  it("gives a cluster one instance per node, each with its own endpoints", async () => {
    const brokerId = await mq.createBroker({
      DeploymentMode: "CLUSTER_MULTI_AZ",
      HostInstanceType: "mq.m5.large",
    });

    const running = await mq.waitForState(brokerId, "RUNNING");

    expect(running.BrokerInstances).toHaveLength(3);
    expect(running.BrokerInstances?.[2]?.Endpoints).toEqual([
      "tcp://127.0.0.1:61004",
      "stomp://127.0.0.1:61005",
    ]);
  });

  it("returns the same broker for a retried request with the same creatorRequestId", async () => {
    const request = brokerRequest({ CreatorRequestId: "retry-token-1" });

    const first = await mq.client.send(new CreateBrokerCommand(request));
    const second = await mq.client.send(new CreateBrokerCommand(request));

    expect(second.BrokerId).toBe(first.BrokerId);
    expect(mq.runtime.starts).toHaveLength(1);
  });

  it("refuses the same creatorRequestId with different parameters with ConflictException", async () => {
    await mq.client.send(new CreateBrokerCommand(brokerRequest({ CreatorRequestId: "token-2" })));

    const error = await mq.client
      .send(new CreateBrokerCommand(brokerRequest({ CreatorRequestId: "token-2" })))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "creatorRequestId" });
  });

  it("lets only one of two concurrent requests for the same name create a broker", async () => {
    const outcomes = await Promise.allSettled([
      mq.createBroker({ BrokerName: "racing" }),
      mq.createBroker({ BrokerName: "racing" }),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(rejected?.reason).toBeInstanceOf(ConflictException);
  });

  it("answers concurrent retries of one request with one broker", async () => {
    const request = brokerRequest({ CreatorRequestId: "concurrent-retry" });

    const [first, second] = await Promise.all([
      mq.client.send(new CreateBrokerCommand(request)),
      mq.client.send(new CreateBrokerCommand(request)),
    ]);

    expect(second.BrokerId).toBe(first.BrokerId);
    await mq.service.settled();
    expect(mq.runtime.starts).toHaveLength(1);
  });

  it("refuses a second broker with the same name with ConflictException on brokerName", async () => {
    await mq.createBroker({ BrokerName: "unique" });

    const error = await mq.createBroker({ BrokerName: "unique" }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "brokerName" });
  });

  it.each([
    ["brokerName", { BrokerName: "has space" }],
    ["brokerName", { BrokerName: "x".repeat(51) }],
    ["engineType", { EngineType: "RABBITMQ" }],
    ["engineVersion", { EngineVersion: "5.17" }],
    ["autoMinorVersionUpgrade", { AutoMinorVersionUpgrade: false }],
    ["deploymentMode", { DeploymentMode: "SOMEWHERE" as DeploymentMode }],
    ["hostInstanceType", { HostInstanceType: "mq.x9.huge" }],
    ["hostInstanceType", { DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" }],
    [
      "storageType",
      { DeploymentMode: "CLUSTER_MULTI_AZ", HostInstanceType: "mq.m5.large", StorageType: "EBS" },
    ],
    ["users", { Users: [] }],
    ["users.username", { Users: [{ Username: "a", Password: PASSWORD }] }],
    ["users.password", { Users: [{ Username: "admin", Password: "short-1" }] }],
    ["users.password", { Users: [{ Username: "admin", Password: "abababababababab" }] }],
    ["users.password", { Users: [{ Username: "admin", Password: "has,comma-in-it-123" }] }],
    ["users.password", { Users: [{ Username: "admin", Password: "has=equals-in-it-123" }] }],
    [
      "users",
      {
        Users: [
          { Username: "admin", Password: PASSWORD },
          { Username: "admin", Password: PASSWORD },
        ],
      },
    ],
    ["ldapServerMetadata", { AuthenticationStrategy: "LDAP" }],
    ["authenticationStrategy", { AuthenticationStrategy: "KERBEROS" as "LDAP" }],
    ["tags", { Tags: { "aws:reserved": "x" } }],
    ["configuration.id", { Configuration: { Id: "c-missing" } }],
  ] satisfies [string, Partial<CreateBrokerCommandInput>][])(
    "answers BadRequest/NotFound naming %s for %j",
    async (attribute, overrides) => {
      const error = await mq.createBroker(overrides).catch((caught: unknown) => caught);

      const expected = attribute === "configuration.id" ? NotFoundException : BadRequestException;
      expect(error).toBeInstanceOf(expected);
      expect(error).toMatchObject({
        $metadata: { httpStatusCode: attribute === "configuration.id" ? 404 : 400 },
        ErrorAttribute: attribute,
      });
      expect(JSON.stringify(error)).not.toContain(PASSWORD);
      expect(mq.runtime.starts).toEqual([]);
    },
  );
});

describe("ListBrokers", () => {
  it("pages with maxResults and nextToken, every broker once", async () => {
    const ids = [];
    for (let n = 0; n < 11; n++) ids.push(await mq.createBroker());

    const first = await mq.client.send(new ListBrokersCommand({ MaxResults: 5 }));
    const second = await mq.client.send(
      new ListBrokersCommand({ MaxResults: 5, NextToken: first.NextToken }),
    );
    const third = await mq.client.send(
      new ListBrokersCommand({ MaxResults: 5, NextToken: second.NextToken }),
    );

    const pages = [first, second, third].map((page) =>
      page.BrokerSummaries?.map((summary) => summary.BrokerId),
    );
    expect(pages.map((page) => page?.length)).toEqual([5, 5, 1]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
    expect(third.NextToken).toBeUndefined();
    expect(first.BrokerSummaries?.[0]).toMatchObject({
      EngineType: "ACTIVEMQ",
      DeploymentMode: "SINGLE_INSTANCE",
    });
  });

  it("answers 20 per page when maxResults is omitted, as Amazon MQ does", async () => {
    for (let n = 0; n < 21; n++) await mq.createBroker();

    const first = await mq.client.send(new ListBrokersCommand({}));

    expect(first.BrokerSummaries).toHaveLength(20);
    expect(first.NextToken).toBeDefined();
  });

  it("refuses a token it did not issue and a maxResults out of range", async () => {
    const badToken = await mq.client
      .send(new ListBrokersCommand({ NextToken: "garbage" }))
      .catch((caught: unknown) => caught);
    const badMax = await mq.client
      .send(new ListBrokersCommand({ MaxResults: 4 }))
      .catch((caught: unknown) => caught);

    expect(badToken).toBeInstanceOf(BadRequestException);
    expect(badToken).toMatchObject({ ErrorAttribute: "nextToken" });
    expect(badMax).toBeInstanceOf(BadRequestException);
    expect(badMax).toMatchObject({ ErrorAttribute: "maxResults" });
  });
});

describe("DescribeBroker and DeleteBroker", () => {
  it("answers NotFoundException for a broker that does not exist", async () => {
    const error = await mq.client
      .send(new DescribeBrokerCommand({ BrokerId: "b-00000000-0000-0000-0000-000000000000" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 404 }, ErrorAttribute: "broker-id" });
  });

  it("goes DELETION_IN_PROGRESS, destroys the runtime's broker, then the broker is gone", async () => {
    const brokerId = await mq.createBroker();
    await mq.waitForState(brokerId, "RUNNING");
    mq.runtime.holdDestroys();

    const deleted = await mq.client.send(new DeleteBrokerCommand({ BrokerId: brokerId }));
    const deleting = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    mq.runtime.releaseDestroys();
    await mq.service.settled();

    expect(deleted.BrokerId).toBe(brokerId);
    expect(deleting.BrokerState).toBe("DELETION_IN_PROGRESS");
    expect(mq.runtime.destroys).toEqual([brokerId]);
    const error = await mq.client
      .send(new DescribeBrokerCommand({ BrokerId: brokerId }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundException);
  });

  it("keeps a broker it could not delete as CRITICAL_ACTION_REQUIRED, and deletes it when asked again", async () => {
    const brokerId = await mq.createBroker();
    await mq.waitForState(brokerId, "RUNNING");
    mq.runtime.failNextDestroy(new Error("cannot remove the data directory"));

    await mq.client.send(new DeleteBrokerCommand({ BrokerId: brokerId }));
    const kept = await mq.waitForState(brokerId, "CRITICAL_ACTION_REQUIRED");
    await mq.client.send(new DeleteBrokerCommand({ BrokerId: brokerId }));
    await mq.service.settled();

    expect(kept.ActionsRequired?.[0]?.ActionRequiredCode).toBe("BROKER_DELETION_FAILED");
    const error = await mq.client
      .send(new DescribeBrokerCommand({ BrokerId: brokerId }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundException);
  });

  it("refuses to delete a broker whose creation is under way with ConflictException", async () => {
    mq.runtime.holdStarts();
    const brokerId = await mq.createBroker();

    const error = await mq.client
      .send(new DeleteBrokerCommand({ BrokerId: brokerId }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "broker-id" });
    mq.runtime.held[0]?.resolve();
  });

  it("never sends a password in any answer", async () => {
    const brokerId = await mq.createBroker();
    await mq.waitForState(brokerId, "RUNNING");
    await mq.client.send(new ListBrokersCommand({}));

    expect(mq.wire.length).toBeGreaterThan(0);
    for (const body of mq.wire) expect(body).not.toContain(PASSWORD);
  });
});
