import { DeleteBrokerCommand, DescribeBrokerCommand, MqClient } from "@aws-sdk/client-mq";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { handler as deleteBroker } from "../../../functions/api/delete-broker.js";
import { handler as getBroker } from "../../../functions/api/get-broker.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { BROKER_ARN, BROKER_ID, instanceEndpoints } from "../../fixtures/requests.js";
import { httpEvent } from "./http-event.js";

const mq = mockClient(MqClient);
const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext("api") as Context;
const notFound = Object.assign(new Error("Can't find requested broker"), { name: "NotFoundException" });
const body = (response: { body?: string }) => JSON.parse(String(response.body)) as Record<string, unknown>;

beforeEach(() => {
  mq.reset();
  ddb.reset();
});

describe("GET /brokers/{id}", () => {
  it("returns state, the failover URL and pending changes", async () => {
    mq.on(DescribeBrokerCommand).resolves({
      BrokerId: BROKER_ID,
      BrokerArn: BROKER_ARN,
      BrokerState: "RUNNING",
      DeploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
      EngineVersion: "5.18",
      PendingEngineVersion: "5.19",
      BrokerInstances: [{ Endpoints: instanceEndpoints(1) }, { Endpoints: instanceEndpoints(2) }],
    });
    ddb.on(GetCommand).resolves({});

    const response = await getBroker(httpEvent("GET /brokers/{id}", { id: BROKER_ID }), context);

    expect(response.statusCode).toBe(200);
    expect(body(response)).toMatchObject({
      brokerState: "RUNNING",
      engineVersion: "5.18",
      pendingChanges: { engineVersion: "5.19" },
      urls: { openwire: `failover:(${instanceEndpoints(1)[0]},${instanceEndpoints(2)[0]})` },
    });
  });

  it("answers 404 for a broker Amazon MQ does not know", async () => {
    mq.on(DescribeBrokerCommand).rejects(notFound);

    const response = await getBroker(httpEvent("GET /brokers/{id}", { id: "b-missing" }), context);

    expect(response.statusCode).toBe(404);
    expect(body(response).error).toBe("BrokerNotFound");
  });

  it("answers 400 for an id that cannot be a broker id", async () => {
    const response = await getBroker(httpEvent("GET /brokers/{id}", { id: "../etc" }), context);

    expect(response.statusCode).toBe(400);
    expect(mq).not.toHaveReceivedCommand(DescribeBrokerCommand);
  });
});

describe("DELETE /brokers/{id}", () => {
  it("starts the deletion and marks the managed broker's record", async () => {
    mq.on(DeleteBrokerCommand).resolves({ BrokerId: BROKER_ID });
    ddb.on(UpdateCommand).resolves({});

    const response = await deleteBroker(httpEvent("DELETE /brokers/{id}", { id: BROKER_ID }), context);

    expect(response.statusCode).toBe(202);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: `BROKER#${BROKER_ID}`, sk: "META" } });
  });

  it("deletes a broker mqops did not provision (no record) without error", async () => {
    mq.on(DeleteBrokerCommand).resolves({ BrokerId: BROKER_ID });
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error("no"), { name: "ConditionalCheckFailedException" }));

    const response = await deleteBroker(httpEvent("DELETE /brokers/{id}", { id: BROKER_ID }), context);

    expect(response.statusCode).toBe(202);
  });

  it("answers 409 when Amazon MQ refuses for the broker's state", async () => {
    mq.on(DeleteBrokerCommand).rejects(Object.assign(new Error("busy"), { name: "ConflictException" }));

    const response = await deleteBroker(httpEvent("DELETE /brokers/{id}", { id: BROKER_ID }), context);

    expect(response.statusCode).toBe(409);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });
});
