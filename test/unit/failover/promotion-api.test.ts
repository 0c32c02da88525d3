import { DescribeBrokerCommand, MqClient } from "@aws-sdk/client-mq";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { handler as decidePromotion } from "../../../functions/api/decide-promotion.js";
import { handler as putPromotion } from "../../../functions/api/put-promotion.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { BROKER_ID } from "../../fixtures/requests.js";
import { httpEvent } from "../api/http-event.js";

const mq = mockClient(MqClient);
const ddb = mockClient(DynamoDBDocumentClient);
const context = lambdaContext("api") as Context;
const body = (response: { body?: string }) => JSON.parse(String(response.body)) as Record<string, unknown>;
const request = (method: "PUT" | "POST", payload: unknown) => ({
  ...httpEvent(`${method} /brokers/{id}/promotion`, { id: BROKER_ID }),
  body: JSON.stringify(payload),
});
const stored = (phase: string) => ({
  Item: {
    pk: `BROKER#${BROKER_ID}`,
    sk: "PROMOTION",
    replicaBrokerId: "b-replica",
    policy: "approval",
    checksBeforePromotion: 6,
    phase,
    version: 3,
  },
});

beforeEach(() => {
  mq.reset();
  ddb.reset();
});

describe("PUT /brokers/{id}/promotion", () => {
  const primary = (counterpart: string) => ({
    BrokerId: BROKER_ID,
    DataReplicationMode: "CRDR" as const,
    DataReplicationMetadata: {
      DataReplicationRole: "PRIMARY",
      DataReplicationCounterpart: { BrokerId: counterpart, Region: "us-west-2" },
    },
  });

  it("registers the broker's own replica, phase WATCHING", async () => {
    mq.on(DescribeBrokerCommand).resolves(primary("b-replica"));
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const response = await putPromotion(
      request("PUT", { replicaBrokerId: "b-replica", policy: "auto" }),
      context,
    );
    expect(response.statusCode).toBe(200);
    expect(body(response)).toMatchObject({ phase: "WATCHING", checksBeforePromotion: 6, policy: "auto" });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: "attribute_not_exists(pk)" });
  });

  it("refuses a replica that is not the broker's counterpart", async () => {
    mq.on(DescribeBrokerCommand).resolves(primary("b-other"));
    const response = await putPromotion(
      request("PUT", { replicaBrokerId: "b-replica", policy: "auto" }),
      context,
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(body(response))).toContain("replicaBrokerId");
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it("refuses a broker that is not the primary of a CRDR pair", async () => {
    mq.on(DescribeBrokerCommand).resolves({ BrokerId: BROKER_ID, DataReplicationMode: "NONE" });
    const response = await putPromotion(
      request("PUT", { replicaBrokerId: "b-replica", policy: "auto" }),
      context,
    );
    expect(response.statusCode).toBe(400);
  });
});

describe("POST /brokers/{id}/promotion", () => {
  it("records an approval of a proposed promotion, conditionally", async () => {
    ddb.on(GetCommand).resolves(stored("PROPOSED"));
    ddb.on(PutCommand).resolves({});
    const response = await decidePromotion(request("POST", { decision: "approve" }), context);
    expect(response.statusCode).toBe(202);
    expect(body(response)).toMatchObject({ phase: "APPROVED" });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { ExpressionAttributeValues: { ":read": 3 } });
  });

  it("answers 409 when no promotion is proposed", async () => {
    ddb.on(GetCommand).resolves(stored("WATCHING"));
    const response = await decidePromotion(request("POST", { decision: "approve" }), context);
    expect(response.statusCode).toBe(409);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it("answers 409 when a round changed the registration meanwhile", async () => {
    ddb.on(GetCommand).resolves(stored("PROPOSED"));
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error("conditional"), { name: "ConditionalCheckFailedException" }));
    const response = await decidePromotion(request("POST", { decision: "reject" }), context);
    expect(response.statusCode).toBe(409);
  });

  it("answers 400 for a decision that is neither approve nor reject", async () => {
    const response = await decidePromotion(request("POST", { decision: "maybe" }), context);
    expect(response.statusCode).toBe(400);
  });
});
