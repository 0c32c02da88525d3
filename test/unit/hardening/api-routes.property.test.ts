import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { MqClient } from "@aws-sdk/client-mq";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { API_ROUTES } from "../../../functions/api/routes.js";
import { lambdaContext } from "../../../local/states/lambda-runtime.js";
import { goodRequest } from "../../fixtures/requests.js";
import { badBodyText, contentType, mutatedBody, nastyString, PLANTED_PASSWORD } from "./bad-requests.js";

/**
 * Every route in API_ROUTES, invoked in-process with API Gateway v2 events built from generated bad
 * input: never a 5xx, every 400 names its fields, the planted password never comes back. The SDK is
 * mocked (every call answers `{}`), so requests that pass validation do not need AWS.
 */

const RUNS_PER_ROUTE = 1_000;

// Every variable a handler in functions/api reads at load; a route whose handler needs another
// fails to load and the test names it.
const ENV = {
  MAINTENANCE_STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-maintenance",
  FAILOVER_STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-failover",
  AUTOSCALING_STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:mqops-test-autoscaling",
  AUTOSCALING_ALARM_PREFIX: "mqops-test-autoscaling",
  AUTOSCALING_ALARM_PERIOD_SECONDS: "60",
};

mockClient(MqClient).onAnyCommand().resolves({});
mockClient(SFNClient).onAnyCommand().resolves({});
mockClient(SecretsManagerClient).onAnyCommand().resolves({});
mockClient(SNSClient).onAnyCommand().resolves({});
mockClient(CloudWatchClient).onAnyCommand().resolves({});
mockClient(ECSClient).onAnyCommand().resolves({});
mockClient(DynamoDBClient).onAnyCommand().resolves({});
mockClient(DynamoDBDocumentClient).onAnyCommand().resolves({});

/** Bodies that pass each route's validation, to mutate from; a route not listed gets random bodies. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  "POST /brokers": goodRequest({
    users: [{ username: "admin", password: PLANTED_PASSWORD }],
    maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "03:00", timeZone: "Europe/Paris" },
    activemqXml: "<broker><destinations/></broker>",
  }),
  "PUT /brokers/{id}/queues/{queue}/autoscaling": { ecs: { cluster: "consumers", service: "orders" } },
  "POST /maintenance": { brokerIds: ["b-1234"], dryRun: true },
};

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

function event(
  routeKey: string,
  pathParameters: Record<string, string>,
  query: Record<string, string>,
  headers: Record<string, string>,
  body: string | undefined,
  base64: boolean,
): APIGatewayProxyEventV2 {
  const [method = "GET", template = "/"] = routeKey.split(" ");
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = pathParameters[name] ?? "";
    // A lone surrogate cannot be percent-encoded; API Gateway would pass such bytes through as-is.
    try {
      return encodeURIComponent(value);
    } catch {
      return value;
    }
  });
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    queryStringParameters: Object.keys(query).length === 0 ? undefined : query,
    pathParameters,
    body: body === undefined ? undefined : base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: base64,
    requestContext: { requestId: "req-property", http: { method, path } },
  } as unknown as APIGatewayProxyEventV2;
}

function requestFor(routeKey: string) {
  const names = [...routeKey.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
  const pathValue = fc.oneof(fc.constantFrom("b-1234", "orders", "provision-tok-1", "q.orders"), nastyString);
  const valid = VALID_BODIES[routeKey];
  const body = fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: badBodyText },
    {
      weight: valid === undefined ? 0 : 6,
      arbitrary: valid === undefined ? badBodyText : mutatedBody(valid),
    },
  );
  return fc.record({
    pathParameters: fc
      .tuple(...names.map(() => pathValue))
      .map((values) => Object.fromEntries(names.map((name, index) => [name, values[index] ?? ""]))),
    query: fc.dictionary(fc.constantFrom("limit", "status", "nextToken", "x", "maxResults"), nastyString, {
      maxKeys: 3,
    }),
    headers: fc.record(
      {
        "content-type": contentType,
        "idempotency-key": fc.oneof(fc.constantFrom("tok-1", "ok_key"), nastyString),
        "x-correlation-id": nastyString,
      },
      { requiredKeys: [] },
    ),
    body,
    base64: fc.boolean(),
  });
}

const handlers = new Map<string, Handler>();

beforeAll(async () => {
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  for (const { route, handler } of API_ROUTES) {
    const [file = "", exported = "handler"] = handler.split(/\.(?=[^.]+$)/);
    const url = new URL(`../../../${file}.ts`, import.meta.url).href;
    const module = (await import(/* @vite-ignore */ url)) as Record<string, Handler>;
    const loaded = module[exported];
    if (loaded === undefined) throw new Error(`${route}: ${handler} exports no ${exported}`);
    handlers.set(route, loaded);
  }
}, 60_000);

describe.each(API_ROUTES.map((r) => [r.route]))("%s with generated bad requests", (routeKey) => {
  it(`never answers 5xx, names the field of every 400 and never echoes a password (${RUNS_PER_ROUTE} runs)`, async () => {
    const handler = handlers.get(routeKey);
    if (handler === undefined) throw new Error(`no handler loaded for ${routeKey}`);
    const context = lambdaContext("property") as Context;
    await fc.assert(
      fc.asyncProperty(requestFor(routeKey), async (request) => {
        const response = await handler(
          event(
            routeKey,
            request.pathParameters,
            request.query,
            request.headers,
            request.body,
            request.base64,
          ),
          context,
        );
        const status = response.statusCode ?? 0;
        const text = String(response.body ?? "");
        expect(status, text.slice(0, 300)).toBeLessThan(500);
        expect(text).not.toContain(PLANTED_PASSWORD);
        if (status === 400) {
          const parsed = JSON.parse(text) as { issues?: { field?: unknown; message?: unknown }[] };
          expect(parsed.issues?.length ?? 0).toBeGreaterThan(0);
          for (const issue of parsed.issues ?? []) {
            expect(typeof issue.field === "string" && issue.field !== "").toBe(true);
            expect(typeof issue.message).toBe("string");
          }
        }
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
  }, 120_000);
});
