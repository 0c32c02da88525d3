import {
  CreateBrokerCommand,
  CreateConfigurationCommand,
  CreateTagsCommand,
  DeleteBrokerCommand,
  DeleteConfigurationCommand,
  DescribeBrokerCommand,
  ListBrokersCommand,
  ListConfigurationsCommand,
  ListTagsCommand,
  MqClient,
  UpdateConfigurationCommand,
} from "@aws-sdk/client-mq";
import {
  DeleteSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withoutPasswords } from "../../functions/api/provisioning-request.js";
import { createBrokerRequestSchema } from "../../functions/lib/broker-request.js";
import { type LocalWorkflow, loadWorkflow, runWorkflow } from "../../local/states/engine.js";
import { provisioning } from "../../workflows/provisioning.js";
import {
  BROKER_ARN,
  BROKER_ID,
  CONFIGURATION_ARN,
  CONFIGURATION_ID,
  goodRequest,
  instanceEndpoints,
} from "../fixtures/requests.js";

const mq = mockClient(MqClient);
const secrets = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const TOKEN = "retry-safe-token-1";
const SECRET_ID = `mqops/brokers/${TOKEN}`;

function executionInput(
  overrides: Record<string, unknown> = {},
  settings = { pollIntervalSeconds: 30, deadlineSeconds: 3600 },
) {
  return {
    clientToken: TOKEN,
    correlationId: "req-1",
    requestFingerprint: "f",
    request: withoutPasswords(createBrokerRequestSchema.parse(goodRequest(overrides))),
    usersSecretId: SECRET_ID,
    settings,
  };
}

const running = {
  BrokerId: BROKER_ID,
  BrokerArn: BROKER_ARN,
  BrokerState: "RUNNING" as const,
  DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const,
  BrokerInstances: [{ Endpoints: instanceEndpoints(1) }, { Endpoints: instanceEndpoints(2) }],
};

let workflow: LocalWorkflow;

async function execute(input: unknown, startTime = new Date()) {
  const run = runWorkflow(workflow, input, {
    executionName: `provision-${TOKEN}`,
    startTime,
    skipDelays: true,
  });
  try {
    return { output: (await run.result) as Record<string, unknown>, error: undefined };
  } catch (error) {
    const cause = (error as { cause?: { name: string; message: string } }).cause;
    return { output: undefined, error: cause };
  }
}

beforeAll(async () => {
  workflow = await loadWorkflow(provisioning);
});

beforeEach(() => {
  for (const client of [mq, secrets, sns, ddb, sfn]) client.reset();
  sfn.on(DescribeExecutionCommand).resolves({ startDate: new Date() });
  mq.on(ListConfigurationsCommand).resolves({ Configurations: [] });
  mq.on(CreateConfigurationCommand).resolves({
    Id: CONFIGURATION_ID,
    Arn: CONFIGURATION_ARN,
    LatestRevision: { Revision: 1, Created: new Date() },
  });
  mq.on(UpdateConfigurationCommand).resolves({
    Id: CONFIGURATION_ID,
    LatestRevision: { Revision: 2, Created: new Date() },
    Warnings: [],
  });
  mq.on(CreateBrokerCommand).resolves({ BrokerId: BROKER_ID, BrokerArn: BROKER_ARN });
  mq.on(DescribeBrokerCommand)
    .resolvesOnce({ BrokerId: BROKER_ID, BrokerState: "CREATION_IN_PROGRESS" })
    .resolves(running);
  mq.on(CreateTagsCommand).resolves({});
  mq.on(DeleteBrokerCommand).resolves({ BrokerId: BROKER_ID });
  mq.on(DeleteConfigurationCommand).resolves({});
  mq.on(ListBrokersCommand).resolves({ BrokerSummaries: [] });
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ passwords: { admin: "Correct-Horse-Battery-9" } }) });
  secrets.on(DeleteSecretCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ddb.on(PutCommand).resolves({});
});

describe("provisioning workflow", () => {
  it("creates the configuration and broker, waits until RUNNING and records the failover URL", async () => {
    const { output, error } = await execute(
      executionInput({
        activemqXml: '<broker xmlns="http://activemq.apache.org/schema/core"><destinations/></broker>',
      }),
    );

    expect(error).toBeUndefined();
    expect(output).toMatchObject({ brokerId: BROKER_ID, brokerArn: BROKER_ARN, brokerName: "orders-broker" });
    const urls = (output?.endpoints as { urls?: Record<string, string> } | undefined)?.urls;
    expect(urls?.openwire).toBe(`failover:(${instanceEndpoints(1)[0]},${instanceEndpoints(2)[0]})`);
    expect(mq).toHaveReceivedCommandWith(CreateBrokerCommand, {
      CreatorRequestId: TOKEN,
      Configuration: { Id: CONFIGURATION_ID, Revision: 2 },
      PubliclyAccessible: false,
      Users: [expect.objectContaining({ Username: "admin", Password: "Correct-Horse-Battery-9" })],
    });
    expect(mq).toHaveReceivedCommandTimes(DescribeBrokerCommand, 3);
    expect(mq).toHaveReceivedCommandWith(CreateTagsCommand, {
      ResourceArn: BROKER_ARN,
      Tags: { "mqops:managed": "true" },
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `BROKER#${BROKER_ID}`, status: "RUNNING" }),
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(mq).not.toHaveReceivedCommand(DeleteBrokerCommand);
  });

  it("keeps passwords out of every state's output", async () => {
    const run = runWorkflow(workflow, executionInput(), { executionName: "p", skipDelays: true });
    const seen: string[] = [];
    const collect = (async () => {
      for await (const event of run.eventLogs) seen.push(JSON.stringify(event));
    })();
    await run.result;
    await collect;
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.join("\n")).not.toContain("Correct-Horse-Battery-9");
  });

  it("retries CreateBroker when throttled twice, then succeeds with one broker", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "TooManyRequestsException",
      $metadata: { httpStatusCode: 429 },
    });
    mq.on(CreateBrokerCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ BrokerId: BROKER_ID, BrokerArn: BROKER_ARN });

    const { output, error } = await execute(executionInput());

    expect(error).toBeUndefined();
    expect(output?.brokerId).toBe(BROKER_ID);
    expect(mq).toHaveReceivedCommandTimes(CreateBrokerCommand, 3);
    for (const call of mq.commandCalls(CreateBrokerCommand))
      expect(call.args[0].input.CreatorRequestId).toBe(TOKEN);
    expect(mq).not.toHaveReceivedCommand(DeleteBrokerCommand);
  });

  it("deletes the broker and fails with BrokerCreationFailedError on CREATION_FAILED", async () => {
    mq.on(DescribeBrokerCommand).resolves({ BrokerId: BROKER_ID, BrokerState: "CREATION_FAILED" });

    const { error } = await execute(executionInput());

    expect(error?.name).toBe("BrokerCreationFailedError");
    expect(mq).toHaveReceivedCommandWith(DeleteBrokerCommand, { BrokerId: BROKER_ID });
    expect(secrets).toHaveReceivedCommandWith(DeleteSecretCommand, {
      SecretId: SECRET_ID,
      ForceDeleteWithoutRecovery: true,
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `PROVISIONING#${TOKEN}`, error: "BrokerCreationFailedError" }),
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      MessageAttributes: { eventType: { DataType: "String", StringValue: "BrokerProvisioningFailed" } },
    });
  });

  it("deletes a configuration its deleted broker still held once the broker is gone", async () => {
    const sdkError = (name: string, status: number) =>
      Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    mq.on(DescribeBrokerCommand)
      .resolvesOnce({ BrokerId: BROKER_ID, BrokerState: "CREATION_FAILED" })
      .resolvesOnce({ BrokerId: BROKER_ID, BrokerState: "DELETION_IN_PROGRESS" })
      .rejects(sdkError("NotFoundException", 404));
    mq.on(DeleteConfigurationCommand)
      .rejectsOnce(sdkError("ConflictException", 409))
      .resolves({ ConfigurationId: CONFIGURATION_ID });

    const { error } = await execute(executionInput());

    expect(error?.name).toBe("BrokerCreationFailedError");
    expect(mq).toHaveReceivedCommandTimes(DeleteConfigurationCommand, 2);
    expect(mq).toHaveReceivedCommandTimes(DescribeBrokerCommand, 3);
  });

  it("treats an unknown broker state as not ready and gives up at the deadline", async () => {
    mq.on(DescribeBrokerCommand).resolves({ BrokerId: BROKER_ID, BrokerState: "SOMETHING_NEW" as never });
    const { error } = await execute(executionInput({}, { pollIntervalSeconds: 30, deadlineSeconds: 1 }));

    expect(error?.name).toBe("ProvisioningDeadlineExceededError");
    expect(mq).toHaveReceivedCommandWith(DeleteBrokerCommand, { BrokerId: BROKER_ID });
  });

  it("counts the deadline from the execution's recorded start, so a re-run keeps the first run's", async () => {
    // A run re-driven 2 hours after the request was accepted: its context StartTime is new.
    sfn.on(DescribeExecutionCommand).resolves({ startDate: new Date(Date.now() - 2 * 3600_000) });
    mq.on(DescribeBrokerCommand).resolves({ BrokerId: BROKER_ID, BrokerState: "CREATION_IN_PROGRESS" });

    const { error } = await execute(executionInput({}, { pollIntervalSeconds: 30, deadlineSeconds: 3600 }));

    expect(error?.name).toBe("ProvisioningDeadlineExceededError");
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:mqops-test-provisioning:provision-${TOKEN}`,
    });
    expect(mq).toHaveReceivedCommandTimes(DescribeBrokerCommand, 1);
    expect(mq).toHaveReceivedCommandWith(DeleteBrokerCommand, { BrokerId: BROKER_ID });
  });

  it("polls an unknown state until RUNNING while the deadline has not passed", async () => {
    mq.on(DescribeBrokerCommand)
      .resolvesOnce({ BrokerState: "SOMETHING_NEW" as never })
      .resolvesOnce({ BrokerState: "CREATION_IN_PROGRESS" })
      .resolves(running);

    const { error } = await execute(executionInput());

    expect(error).toBeUndefined();
    expect(mq).not.toHaveReceivedCommand(DeleteBrokerCommand);
  });

  it("compensates a failure after creation: the broker is deleted and the failure recorded", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      ...running,
      BrokerInstances: [{ Endpoints: instanceEndpoints(1) }, { Endpoints: [] }],
    });

    const { error } = await execute(executionInput());

    expect(error?.name).toBe("ProvisioningFailedError");
    expect(mq).toHaveReceivedCommandWith(DeleteBrokerCommand, { BrokerId: BROKER_ID });
    expect(mq).toHaveReceivedCommandWith(DeleteConfigurationCommand, { ConfigurationId: CONFIGURATION_ID });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `PROVISIONING#${TOKEN}`, error: "EndpointVerificationError" }),
    });
  });

  it("finds and deletes a broker created under its token when CreateBroker's answer was lost", async () => {
    const lost = Object.assign(new Error("socket hang up"), {
      name: "InternalServerErrorException",
      $metadata: { httpStatusCode: 500 },
    });
    mq.on(CreateBrokerCommand).rejects(lost);
    mq.on(ListBrokersCommand).resolves({
      BrokerSummaries: [
        {
          BrokerId: "b-someone-else",
          BrokerArn: "arn:other",
          BrokerName: "orders-broker",
          DeploymentMode: "SINGLE_INSTANCE",
          EngineType: "ACTIVEMQ",
        },
        {
          BrokerId: BROKER_ID,
          BrokerArn: BROKER_ARN,
          BrokerName: "orders-broker",
          DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
          EngineType: "ACTIVEMQ",
        },
      ],
    });
    mq.on(ListTagsCommand, { ResourceArn: "arn:other" }).resolves({
      Tags: { "mqops:client-token": "another-token" },
    });
    mq.on(ListTagsCommand, { ResourceArn: BROKER_ARN }).resolves({ Tags: { "mqops:client-token": TOKEN } });

    const { error } = await execute(executionInput());

    expect(error?.name).toBe("ProvisioningFailedError");
    expect(mq).toHaveReceivedCommandTimes(DeleteBrokerCommand, 1);
    expect(mq).toHaveReceivedCommandWith(DeleteBrokerCommand, { BrokerId: BROKER_ID });
  });

  it("reuses its configuration and broker when run again with the same client token", async () => {
    await execute(executionInput());
    mq.on(ListConfigurationsCommand).resolves({
      Configurations: [
        {
          Id: CONFIGURATION_ID,
          Arn: CONFIGURATION_ARN,
          Tags: { "mqops:client-token": TOKEN },
          LatestRevision: { Revision: 1, Created: new Date() },
        } as never,
      ],
    });

    const { output } = await execute(executionInput());

    expect(output?.brokerId).toBe(BROKER_ID);
    expect(mq).toHaveReceivedCommandTimes(CreateConfigurationCommand, 1);
    const tokens = mq.commandCalls(CreateBrokerCommand).map((call) => call.args[0].input.CreatorRequestId);
    expect(tokens).toEqual([TOKEN, TOKEN]);
  });

  it("fails with RequestValidationError and creates nothing when started with an invalid request", async () => {
    const input = executionInput();
    const { error } = await execute({ ...input, request: { ...input.request, engineVersion: "5.15" } });

    expect(error?.name).toBe("RequestValidationError");
    expect(mq).not.toHaveReceivedCommand(CreateConfigurationCommand);
    expect(mq).not.toHaveReceivedCommand(CreateBrokerCommand);
    expect(mq).not.toHaveReceivedCommand(DeleteBrokerCommand);
  });
});
