import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../../functions/api/get-execution.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { httpEvent } from "./http-event.js";

const sfn = mockClient(SFNClient);
const context = lambdaContext("api") as Context;

beforeEach(() => sfn.reset());

describe("GET /executions/{id}", () => {
  it("returns status, the step it is in and the broker's name, not the input", async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: "arn:exec",
      status: "RUNNING",
      startDate: new Date("2026-11-25T00:00:00Z"),
      input: JSON.stringify({ request: { brokerName: "orders" }, usersSecretId: "mqops/brokers/t" }),
    } as never);
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 9,
          type: "TaskStateEntered",
          timestamp: new Date(),
          stateEnteredEventDetails: { name: "CheckBrokerState" },
        },
        {
          id: 8,
          type: "WaitStateExited",
          timestamp: new Date(),
          stateExitedEventDetails: { name: "WaitForBroker" },
        },
      ],
    });

    const response = await handler(httpEvent("GET /executions/{id}", { id: "provision-t" }), context);
    const body = JSON.parse(String(response.body)) as Record<string, unknown>;

    expect(response.statusCode).toBe(200);
    expect(body).toMatchObject({ status: "RUNNING", currentStep: "CheckBrokerState", brokerName: "orders" });
    expect(JSON.stringify(body)).not.toContain("usersSecretId");
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: "arn:aws:states:us-east-1:123456789012:execution:mqops-test-provisioning:provision-t",
    });
  });

  it("answers 404 for an execution that does not exist", async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error("no"), { name: "ExecutionDoesNotExist" }));

    const response = await handler(httpEvent("GET /executions/{id}", { id: "provision-none" }), context);

    expect(response.statusCode).toBe(404);
  });
});
