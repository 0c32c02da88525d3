import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../../functions/api/create-broker.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { goodRequest } from "../../fixtures/requests.js";

const sfn = mockClient(SFNClient);
const secrets = mockClient(SecretsManagerClient);
const PASSWORD = "Correct-Horse-Battery-9";

function post(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /brokers",
    rawPath: "/brokers",
    rawQueryString: "",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: "req-1", http: { method: "POST", path: "/brokers" } },
  } as unknown as APIGatewayProxyEventV2;
}

const call = async (event: APIGatewayProxyEventV2) => {
  const response = await handler(event, lambdaContext("create-broker") as Context);
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
};

const doesNotExist = Object.assign(new Error("no"), { name: "ExecutionDoesNotExist" });

beforeEach(() => {
  sfn.reset();
  secrets.reset();
  sfn.on(DescribeExecutionCommand).rejects(doesNotExist);
  sfn.on(StartExecutionCommand).resolves({ executionArn: "arn", startDate: new Date() });
  secrets.on(CreateSecretCommand).resolves({});
});

describe("POST /brokers", () => {
  it("stores the passwords in Secrets Manager and starts provisioning without them", async () => {
    const { status, body } = await call(post(goodRequest(), { "idempotency-key": "tok-1" }));

    expect(status).toBe(202);
    expect(body).toMatchObject({ executionId: "provision-tok-1", clientToken: "tok-1", status: "RUNNING" });
    expect(secrets).toHaveReceivedCommandWith(CreateSecretCommand, { Name: "mqops/brokers/tok-1" });
    const input = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(input?.name).toBe("provision-tok-1");
    expect(input?.input).not.toContain(PASSWORD);
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
  });

  it("answers a repeated client token with the first execution and starts nothing new", async () => {
    await call(post(goodRequest(), { "idempotency-key": "tok-2" }));
    const firstInput = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input;
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: "SUCCEEDED", input: firstInput, startDate: new Date() } as never);

    const { status, body } = await call(post(goodRequest(), { "idempotency-key": "tok-2" }));

    expect(status).toBe(202);
    expect(body.status).toBe("SUCCEEDED");
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it("refuses a reused client token with a different request (409)", async () => {
    await call(post(goodRequest(), { "idempotency-key": "tok-3" }));
    const firstInput = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input;
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: "RUNNING", input: firstInput, startDate: new Date() } as never);

    const { status } = await call(post(goodRequest({ brokerName: "other" }), { "idempotency-key": "tok-3" }));

    expect(status).toBe(409);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it("answers 400 listing each bad field, and starts nothing", async () => {
    const { status, body } = await call(post(goodRequest({ brokerName: "a b", users: [] })));

    expect(status).toBe(400);
    expect(body.issues).toEqual([
      { field: "brokerName", message: expect.any(String) },
      { field: "users", message: "must have at least one user" },
    ]);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(secrets).not.toHaveReceivedCommand(CreateSecretCommand);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const { status, body } = await call(post("{not json"));

    expect(status).toBe(400);
    expect(body.issues).toEqual([{ field: "body", message: "is not valid JSON" }]);
  });

  it("answers 503, not 500, when Step Functions throttles", async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error("slow down"), { name: "ThrottlingException" }));

    const { status } = await call(post(goodRequest()));

    expect(status).toBe(503);
  });
});
