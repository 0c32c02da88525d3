import { ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../../functions/api/list-executions.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { httpEvent } from "./http-event.js";

const sfn = mockClient(SFNClient);
const context = lambdaContext("api") as Context;
const withQuery = (query: Record<string, string>): APIGatewayProxyEventV2 => ({
  ...httpEvent("GET /executions"),
  queryStringParameters: query,
});
const body = (response: { body?: string }) => JSON.parse(String(response.body)) as Record<string, unknown>;

beforeEach(() => sfn.reset());

describe("GET /executions", () => {
  it("lists one page of provisioning executions with the filter and page size asked for", async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: "arn:aws:states:us-east-1:123456789012:execution:mqops-test-provisioning:provision-a",
          stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-provisioning",
          name: "provision-a",
          status: "FAILED",
          startDate: new Date("2026-11-25T09:00:00Z"),
          stopDate: new Date("2026-11-25T09:05:00Z"),
        },
      ],
      nextToken: "next-page",
    });

    const response = await handler(withQuery({ status: "FAILED", limit: "5" }), context);

    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({
      executions: [
        {
          executionId: "provision-a",
          status: "FAILED",
          startDate: "2026-11-25T09:00:00.000Z",
          stopDate: "2026-11-25T09:05:00.000Z",
        },
      ],
      nextToken: "next-page",
    });
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-provisioning",
      statusFilter: "FAILED",
      maxResults: 5,
    });
  });

  it.each([
    [{ status: "DONE" }, "status"],
    [{ limit: "0" }, "limit"],
    [{ limit: "many" }, "limit"],
  ])("answers 400 naming the bad parameter for %o", async (query, field) => {
    const response = await handler(withQuery(query), context);

    expect(response.statusCode).toBe(400);
    expect(body(response).issues).toEqual([expect.objectContaining({ field })]);
    expect(sfn).not.toHaveReceivedCommand(ListExecutionsCommand);
  });

  it("answers 400 for a nextToken Step Functions refuses", async () => {
    sfn
      .on(ListExecutionsCommand)
      .rejects(Object.assign(new Error("Invalid token"), { name: "InvalidToken" }));

    const response = await handler(withQuery({ nextToken: "forged" }), context);

    expect(response.statusCode).toBe(400);
    expect(body(response).issues).toEqual([expect.objectContaining({ field: "nextToken" })]);
  });
});
