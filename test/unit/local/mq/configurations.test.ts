import {
  BadRequestException,
  ConflictException,
  CreateConfigurationCommand,
  DeleteConfigurationCommand,
  DescribeConfigurationCommand,
  DescribeConfigurationRevisionCommand,
  ListConfigurationRevisionsCommand,
  ListConfigurationsCommand,
  NotFoundException,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import { XMLValidator } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Mq, startMq } from "./harness.js";

let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

const base64 = (xml: string) => Buffer.from(xml).toString("base64");
const decode = (data: string | undefined) => Buffer.from(data ?? "", "base64").toString("utf8");

async function createConfiguration(name = "orders-config") {
  const created = await mq.client.send(
    new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", EngineVersion: "5.18", Name: name }),
  );
  return created.Id ?? "";
}

describe("CreateConfiguration", () => {
  it("creates revision 1 holding Amazon MQ's default <broker> configuration", async () => {
    const created = await mq.client.send(
      new CreateConfigurationCommand({
        EngineType: "ACTIVEMQ",
        EngineVersion: "5.18",
        Name: "orders-config",
      }),
    );

    expect(created.Id).toMatch(/^c-[0-9a-f-]{36}$/);
    expect(created.Arn).toBe(`arn:aws:mq:us-east-1:000000000000:configuration:${created.Id}`);
    expect(created).toMatchObject({ Name: "orders-config", AuthenticationStrategy: "SIMPLE" });
    expect(created.LatestRevision?.Revision).toBe(1);
    expect(created.Created).toBeInstanceOf(Date);
    const revision = await mq.client.send(
      new DescribeConfigurationRevisionCommand({ ConfigurationId: created.Id, ConfigurationRevision: "1" }),
    );
    const xml = decode(revision.Data);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('xmlns="http://activemq.apache.org/schema/core"');
    expect(xml).toContain("<destinationPolicy>");
  });

  it("defaults the engine version to the latest, 5.19", async () => {
    const created = await mq.client.send(
      new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", Name: "latest" }),
    );

    const described = await mq.client.send(new DescribeConfigurationCommand({ ConfigurationId: created.Id }));

    expect(described).toMatchObject({ EngineType: "ACTIVEMQ", EngineVersion: "5.19", Name: "latest" });
  });

  it.each([
    ["engineType", { EngineType: "RABBITMQ", Name: "rabbit" }],
    ["name", { EngineType: "ACTIVEMQ", Name: "no spaces allowed" }],
    ["engineVersion", { EngineType: "ACTIVEMQ", Name: "old", EngineVersion: "5.15" }],
  ] as const)("answers BadRequestException naming %s", async (attribute, input) => {
    const error = await mq.client
      .send(new CreateConfigurationCommand(input))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, ErrorAttribute: attribute });
  });
});

describe("UpdateConfiguration", () => {
  it("adds a revision with the XML as sent when every element is permitted", async () => {
    const id = await createConfiguration();
    const xml = `<broker xmlns="http://activemq.apache.org/schema/core"><destinations><queue physicalName="orders"/></destinations></broker>`;

    const updated = await mq.client.send(
      new UpdateConfigurationCommand({ ConfigurationId: id, Data: base64(xml), Description: "orders queue" }),
    );

    expect(updated.LatestRevision).toMatchObject({ Revision: 2, Description: "orders queue" });
    expect(updated.Warnings).toEqual([]);
    const revision = await mq.client.send(
      new DescribeConfigurationRevisionCommand({ ConfigurationId: id, ConfigurationRevision: "2" }),
    );
    expect(decode(revision.Data)).toBe(xml);
    expect(revision.Description).toBe("orders queue");
  });

  it("removes elements Amazon MQ does not permit and reports each as a warning", async () => {
    const id = await createConfiguration();
    const xml = [
      `<broker xmlns="http://activemq.apache.org/schema/core">`,
      `  <managementContext><managementContext createConnector="true"/></managementContext>`,
      `  <destinations><queue physicalName="kept"/></destinations>`,
      `  <sslContext/>`,
      `</broker>`,
    ].join("\n");

    const updated = await mq.client.send(
      new UpdateConfigurationCommand({ ConfigurationId: id, Data: base64(xml) }),
    );

    expect(updated.Warnings).toEqual([
      { ElementName: "managementContext", Reason: "DISALLOWED_ELEMENT_REMOVED" },
      { ElementName: "sslContext", Reason: "DISALLOWED_ELEMENT_REMOVED" },
    ]);
    const revision = await mq.client.send(
      new DescribeConfigurationRevisionCommand({ ConfigurationId: id, ConfigurationRevision: "2" }),
    );
    const stored = decode(revision.Data);
    expect(stored).not.toContain("managementContext");
    expect(stored).not.toContain("sslContext");
    expect(stored).toContain(`<queue physicalName="kept"/>`);
  });

  it("removes <broker> attributes Amazon MQ does not permit, keeping namespaces and permitted ones", async () => {
    const id = await createConfiguration();
    const xml = `<broker xmlns="http://activemq.apache.org/schema/core" brokerName="mine" useJmx="true" schedulerSupport="true"><destinations/></broker>`;

    const updated = await mq.client.send(
      new UpdateConfigurationCommand({ ConfigurationId: id, Data: base64(xml) }),
    );

    expect(updated.Warnings).toEqual([
      { ElementName: "broker", AttributeName: "brokerName", Reason: "DISALLOWED_ATTRIBUTE_REMOVED" },
      { ElementName: "broker", AttributeName: "useJmx", Reason: "DISALLOWED_ATTRIBUTE_REMOVED" },
    ]);
    const revision = await mq.client.send(
      new DescribeConfigurationRevisionCommand({ ConfigurationId: id, ConfigurationRevision: "2" }),
    );
    expect(decode(revision.Data)).toBe(
      `<broker xmlns="http://activemq.apache.org/schema/core" schedulerSupport="true"><destinations/></broker>`,
    );
  });

  it.each([
    ["not base64", "%%%not-base64%%%"],
    ["not well-formed XML", base64("<broker><destinations></broker>")],
    ["not rooted at <broker>", base64("<beans><broker/></beans>")],
  ])("answers BadRequestException on data when it is %s", async (_case, data) => {
    const id = await createConfiguration();

    const error = await mq.client
      .send(new UpdateConfigurationCommand({ ConfigurationId: id, Data: data }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, ErrorAttribute: "data" });
  });

  it("answers NotFoundException for a configuration that does not exist", async () => {
    const error = await mq.client
      .send(new UpdateConfigurationCommand({ ConfigurationId: "c-missing", Data: base64("<broker/>") }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 404 }, ErrorAttribute: "configuration-id" });
  });
});

describe("listing and describing", () => {
  it("lists revisions and configurations page by page", async () => {
    const id = await createConfiguration();
    for (let n = 0; n < 5; n++) {
      await mq.client.send(
        new UpdateConfigurationCommand({ ConfigurationId: id, Data: base64("<broker/>") }),
      );
    }
    for (let n = 0; n < 5; n++) await createConfiguration(`other-${n}`);

    const firstPage = await mq.client.send(
      new ListConfigurationRevisionsCommand({ ConfigurationId: id, MaxResults: 5 }),
    );
    const secondPage = await mq.client.send(
      new ListConfigurationRevisionsCommand({
        ConfigurationId: id,
        MaxResults: 5,
        NextToken: firstPage.NextToken,
      }),
    );
    const configurations = await mq.client.send(new ListConfigurationsCommand({ MaxResults: 5 }));

    expect(firstPage.Revisions?.map((revision) => revision.Revision)).toEqual([1, 2, 3, 4, 5]);
    expect(secondPage.Revisions?.map((revision) => revision.Revision)).toEqual([6]);
    expect(secondPage.NextToken).toBeUndefined();
    expect(configurations.Configurations).toHaveLength(5);
    expect(configurations.NextToken).toBeDefined();
    expect(configurations.Configurations?.[0]?.LatestRevision?.Revision).toBe(6);
  });

  it("answers NotFoundException for a revision that does not exist", async () => {
    const id = await createConfiguration();

    const error = await mq.client
      .send(new DescribeConfigurationRevisionCommand({ ConfigurationId: id, ConfigurationRevision: "7" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({ ErrorAttribute: "configuration-revision" });
  });
});

describe("DeleteConfiguration", () => {
  it("deletes an unused configuration", async () => {
    const id = await createConfiguration();

    const deleted = await mq.client.send(new DeleteConfigurationCommand({ ConfigurationId: id }));

    expect(deleted.ConfigurationId).toBe(id);
    const error = await mq.client
      .send(new DescribeConfigurationCommand({ ConfigurationId: id }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundException);
  });

  it("refuses to delete a configuration a broker uses with ConflictException", async () => {
    const id = await createConfiguration();
    await mq.createBroker({ Configuration: { Id: id } });

    const error = await mq.client
      .send(new DeleteConfigurationCommand({ ConfigurationId: id }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, ErrorAttribute: "configuration-id" });
  });
});
