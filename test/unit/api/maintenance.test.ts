import {
  DescribeBrokerCommand,
  DescribeBrokerEngineTypesCommand,
  DescribeConfigurationCommand,
  ListBrokersCommand,
  MqClient,
  UpdateBrokerCommand,
} from "@aws-sdk/client-mq";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { httpEvent } from "./http-event.js";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-maintenance";
process.env.MAINTENANCE_STATE_MACHINE_ARN ??= MACHINE;

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
let start: Handler;
let get: Handler;

const mq = mockClient(MqClient);
const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext("api") as Context;
const summary = (id: string) => ({
  BrokerId: id,
  DeploymentMode: "SINGLE_INSTANCE" as const,
  EngineType: "ACTIVEMQ" as const,
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return { ...httpEvent("POST /maintenance"), body: JSON.stringify(body), headers };
}

const bodyOf = (response: APIGatewayProxyStructuredResultV2) =>
  JSON.parse(String(response.body)) as Record<string, unknown>;

beforeAll(async () => {
  // Loaded after the environment is set: handlers read it at module load.
  start = (await import("../../../functions/api/start-maintenance.js")).handler as unknown as Handler;
  get = (await import("../../../functions/api/get-maintenance.js")).handler as unknown as Handler;
});

beforeEach(() => {
  for (const client of [mq, sfn, ddb]) client.reset();
  mq.on(ListBrokersCommand).resolves({ BrokerSummaries: [summary("b-1"), summary("b-2")] });
  mq.on(DescribeBrokerCommand, { BrokerId: "b-1" }).resolves({
    BrokerId: "b-1",
    BrokerName: "orders",
    BrokerArn: "arn:b-1",
    BrokerState: "RUNNING",
    EngineVersion: "5.18.4",
    AutoMinorVersionUpgrade: true,
    Configurations: { Current: { Id: "c-1", Revision: 1 }, History: [] },
    Tags: { "mqops:managed": "true" },
  });
  mq.on(DescribeBrokerCommand, { BrokerId: "b-2" }).resolves({
    BrokerId: "b-2",
    BrokerName: "billing",
    BrokerArn: "arn:b-2",
    Tags: { "mqops:managed": "true", "mqops:maintenance": "skip" },
  });
  mq.on(DescribeBrokerEngineTypesCommand).resolves({
    BrokerEngineTypes: [{ EngineType: "ACTIVEMQ", EngineVersions: [{ Name: "5.19" }, { Name: "5.18" }] }],
  });
  mq.on(DescribeConfigurationCommand).resolves({
    Id: "c-1",
    LatestRevision: { Revision: 1, Created: new Date() },
  });
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: "arn:x", startDate: new Date("2026-12-01T00:00:00Z") });
});

describe("POST /maintenance", () => {
  it("returns each managed broker's plan on a dry run and changes nothing", async () => {
    const response = await start(post({ dryRun: true, targetEngineVersion: "5.19" }), context);

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      dryRun: true,
      plans: [
        {
          brokerId: "b-1",
          brokerName: "orders",
          plan: { action: "update", targetEngineVersion: "5.19", updates: [{ engineVersion: "5.19" }] },
        },
      ],
      skipped: [{ brokerId: "b-2", reason: "tagged mqops:maintenance=skip" }],
    });
    expect(mq).not.toHaveReceivedCommand(UpdateBrokerCommand);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("starts the workflow with the request and answers 202 with the maintenance id", async () => {
    const response = await start(
      post(
        { brokerIds: ["b-1"], targetEngineVersion: "5.19", policy: "minor" },
        { "idempotency-key": "k-1" },
      ),
      context,
    );

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({
      maintenanceId: "maintenance-k-1",
      links: { self: "/maintenance/maintenance-k-1" },
    });
    const input = JSON.parse(
      String(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input),
    ) as Record<string, unknown>;
    expect(input).toEqual({
      brokerIds: ["b-1"],
      targetEngineVersion: "5.19",
      policy: "minor",
      dryRun: false,
      source: "api",
      correlationId: "req-1",
    });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: MACHINE,
      name: "maintenance-k-1",
    });
  });

  it("answers a retry with the same Idempotency-Key with the run already started", async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error("exists"), { name: "ExecutionAlreadyExists" }));

    const response = await start(post({}, { "idempotency-key": "k-1" }), context);

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response).maintenanceId).toBe("maintenance-k-1");
  });

  it("answers 400 naming each bad field", async () => {
    const response = await start(
      post({ policy: "major", targetEngineVersion: "latest", force: true }),
      context,
    );

    expect(response.statusCode).toBe(400);
    expect((bodyOf(response).issues as { field: string }[]).map((i) => i.field).sort()).toEqual([
      "force",
      "policy",
      "targetEngineVersion",
    ]);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});

describe("GET /maintenance/{id}", () => {
  it("shows the run's status and each broker's step and outcome", async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: "arn:exec",
      status: "RUNNING",
      startDate: new Date("2026-12-01T00:00:00Z"),
    } as never);
    ddb.on(QueryCommand).resolves({
      Items: [
        { pk: "MAINTENANCE#m-1", sk: "RUN", request: { policy: "minor" }, status: "RUNNING" },
        { pk: "MAINTENANCE#m-1", sk: "BROKER#b-1", brokerId: "b-1", status: "COMPLETED", step: "DONE" },
        {
          pk: "MAINTENANCE#m-1",
          sk: "BROKER#b-3",
          brokerId: "b-3",
          status: "IN_PROGRESS",
          step: "WAITING",
          detail: "the broker is REBOOT_IN_PROGRESS",
        },
      ],
    });

    const response = await get({ ...httpEvent("GET /maintenance/{id}", { id: "m-1" }) }, context);

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      maintenanceId: "m-1",
      status: "RUNNING",
      request: { policy: "minor" },
      brokers: [
        { brokerId: "b-1", status: "COMPLETED", step: "DONE" },
        { brokerId: "b-3", step: "WAITING", detail: "the broker is REBOOT_IN_PROGRESS" },
      ],
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ":pk": "MAINTENANCE#m-1" },
    });
  });

  it("answers 404 for a run that does not exist", async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error("no"), { name: "ExecutionDoesNotExist" }));

    const response = await get(httpEvent("GET /maintenance/{id}", { id: "maintenance-none" }), context);

    expect(response.statusCode).toBe(404);
  });
});
