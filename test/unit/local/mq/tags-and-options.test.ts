import {
  BadRequestException,
  CreateConfigurationCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeBrokerCommand,
  DescribeBrokerEngineTypesCommand,
  DescribeBrokerInstanceOptionsCommand,
  DescribeConfigurationCommand,
  ListTagsCommand,
  NotFoundException,
} from "@aws-sdk/client-mq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Mq, startMq } from "./harness.js";

let mq: Mq;
beforeEach(async () => {
  mq = await startMq();
});
afterEach(async () => {
  await mq.close();
});

describe("tags", () => {
  it("adds, lists and removes the tags of a broker, and DescribeBroker shows them", async () => {
    const brokerId = await mq.createBroker({ Tags: { team: "payments" } });
    const { BrokerArn: arn } = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));

    await mq.client.send(new CreateTagsCommand({ ResourceArn: arn, Tags: { stage: "dev", owner: "ops" } }));
    await mq.client.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: ["owner", "team"] }));

    const listed = await mq.client.send(new ListTagsCommand({ ResourceArn: arn }));
    const described = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
    expect(listed.Tags).toEqual({ stage: "dev" });
    expect(described.Tags).toEqual({ stage: "dev" });
  });

  it("tags configurations too", async () => {
    const created = await mq.client.send(
      new CreateConfigurationCommand({ EngineType: "ACTIVEMQ", Name: "tagged", Tags: { a: "1" } }),
    );

    await mq.client.send(new CreateTagsCommand({ ResourceArn: created.Arn, Tags: { b: "2" } }));

    const described = await mq.client.send(new DescribeConfigurationCommand({ ConfigurationId: created.Id }));
    expect(described.Tags).toEqual({ a: "1", b: "2" });
  });

  it("answers NotFoundException for an ARN no resource has", async () => {
    const error = await mq.client
      .send(new ListTagsCommand({ ResourceArn: "arn:aws:mq:us-east-1:000000000000:broker:x:b-missing" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 404 }, ErrorAttribute: "resource-arn" });
  });

  it("refuses tag keys starting with aws: with BadRequestException", async () => {
    const brokerId = await mq.createBroker();
    const { BrokerArn: arn } = await mq.client.send(new DescribeBrokerCommand({ BrokerId: brokerId }));

    const error = await mq.client
      .send(new CreateTagsCommand({ ResourceArn: arn, Tags: { "aws:owner": "me" } }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 }, ErrorAttribute: "tags" });
  });
});

describe("engine types and instance options", () => {
  it("advertises ActiveMQ 5.19 and 5.18", async () => {
    const answer = await mq.client.send(new DescribeBrokerEngineTypesCommand({}));

    expect(answer.BrokerEngineTypes).toEqual([
      { EngineType: "ACTIVEMQ", EngineVersions: [{ Name: "5.19" }, { Name: "5.18" }] },
    ]);
  });

  it("refuses RABBITMQ with BadRequestException", async () => {
    const error = await mq.client
      .send(new DescribeBrokerEngineTypesCommand({ EngineType: "RABBITMQ" }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    expect(error).toMatchObject({ ErrorAttribute: "engineType" });
  });

  it("lists instance options filtered by host instance type, with the region's zones", async () => {
    const answer = await mq.client.send(
      new DescribeBrokerInstanceOptionsCommand({ EngineType: "ACTIVEMQ", HostInstanceType: "mq.t3.micro" }),
    );

    expect(answer.BrokerInstanceOptions).toHaveLength(2);
    expect(answer.BrokerInstanceOptions?.[0]).toMatchObject({
      EngineType: "ACTIVEMQ",
      HostInstanceType: "mq.t3.micro",
      SupportedDeploymentModes: ["SINGLE_INSTANCE"],
      SupportedEngineVersions: ["5.19", "5.18"],
      AvailabilityZones: [{ Name: "us-east-1a" }, { Name: "us-east-1b" }, { Name: "us-east-1c" }],
    });
  });

  it("pages instance options", async () => {
    const first = await mq.client.send(new DescribeBrokerInstanceOptionsCommand({ MaxResults: 5 }));
    const rest = await mq.client.send(
      new DescribeBrokerInstanceOptionsCommand({ MaxResults: 100, NextToken: first.NextToken }),
    );

    expect(first.BrokerInstanceOptions).toHaveLength(5);
    expect(rest.BrokerInstanceOptions).toHaveLength(5);
    expect(rest.NextToken).toBeUndefined();
  });
});
