import { DescribeBrokerCommand, MqClient } from "@aws-sdk/client-mq";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { Context } from "aws-lambda";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { BROKER_ARN, BROKER_ID, instanceEndpoints } from "../../fixtures/requests.js";
import { httpEvent } from "./http-event.js";

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-failover";
const mq = mockClient(MqClient);
const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext("api") as Context;
const body = (response: { body?: string }) => JSON.parse(String(response.body)) as Record<string, unknown>;

let startCheck: typeof import("../../../functions/api/start-failover-check.js").handler;
let getBroker: typeof import("../../../functions/api/get-broker.js").handler;

beforeAll(async () => {
  process.env.FAILOVER_STATE_MACHINE_ARN = MACHINE;
  startCheck = (await import("../../../functions/api/start-failover-check.js")).handler;
  getBroker = (await import("../../../functions/api/get-broker.js")).handler;
});

const pair = {
  BrokerId: BROKER_ID,
  BrokerArn: BROKER_ARN,
  BrokerState: "RUNNING" as const,
  DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const,
  BrokerInstances: [{ Endpoints: instanceEndpoints(1) }, { Endpoints: instanceEndpoints(2) }],
};

beforeEach(() => {
  for (const client of [mq, sfn, ddb]) client.reset();
});

describe("POST /brokers/{id}/failover-checks", () => {
  it("starts one round of the failover workflow for the broker", async () => {
    mq.on(DescribeBrokerCommand).resolves(pair);
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });

    const response = await startCheck(
      httpEvent("POST /brokers/{id}/failover-checks", { id: BROKER_ID }),
      context,
    );

    expect(response.statusCode).toBe(202);
    expect(body(response)).toMatchObject({ brokerId: BROKER_ID, executionArn: `${MACHINE}:x` });
    const input = JSON.parse(String(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input));
    expect(input).toMatchObject({ source: "api", brokerIds: [BROKER_ID], rounds: 1 });
  });

  it("refuses a single-instance broker with 400", async () => {
    mq.on(DescribeBrokerCommand).resolves({ ...pair, DeploymentMode: "SINGLE_INSTANCE" });

    const response = await startCheck(
      httpEvent("POST /brokers/{id}/failover-checks", { id: BROKER_ID }),
      context,
    );

    expect(response.statusCode).toBe(400);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it("answers 404 for a broker Amazon MQ does not know", async () => {
    mq.on(DescribeBrokerCommand).rejects(Object.assign(new Error("gone"), { name: "NotFoundException" }));

    const response = await startCheck(
      httpEvent("POST /brokers/{id}/failover-checks", { id: "b-gone" }),
      context,
    );

    expect(response.statusCode).toBe(404);
  });
});

describe("GET /brokers/{id} failover", () => {
  it("shows the recorded active instance and the last failover", async () => {
    mq.on(DescribeBrokerCommand).resolves(pair);
    ddb.on(GetCommand).resolves({
      Item: {
        brokerId: BROKER_ID,
        status: "ACTIVE",
        activeInstance: 2,
        activeEndpoint: "ssl://b-2:61617",
        lastFailoverAt: "2026-12-01T00:00:10.000Z",
        lastCheckAt: "2026-12-01T00:01:00.000Z",
        flapping: false,
      },
    });

    const response = await getBroker(httpEvent("GET /brokers/{id}", { id: BROKER_ID }), context);

    expect(body(response).failover).toEqual({
      status: "ACTIVE",
      activeInstance: { instance: 2, name: `${BROKER_ID}-2`, endpoint: "ssl://b-2:61617" },
      lastFailoverAt: "2026-12-01T00:00:10.000Z",
      lastCheckAt: "2026-12-01T00:01:00.000Z",
      flapping: false,
    });
  });

  it("shows no failover before the first check", async () => {
    mq.on(DescribeBrokerCommand).resolves(pair);
    ddb.on(GetCommand).resolves({});

    const response = await getBroker(httpEvent("GET /brokers/{id}", { id: BROKER_ID }), context);

    expect(response.statusCode).toBe(200);
    expect(body(response).failover).toBeUndefined();
  });
});
