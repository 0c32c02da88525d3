import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedFetch } from "../../../cli/signed-fetch.js";
import { matchRoute } from "../../../local/gateway/routes.js";
import { createGatewayService } from "../../../local/gateway/service.js";
import { startLocalEndpoint, TEST_CREDENTIALS } from "../../support/local-endpoint.js";

describe("matchRoute", () => {
  const routes = ["POST /brokers", "GET /brokers", "GET /brokers/{id}", "GET /files/{path+}"];

  it.each([
    ["GET", "/brokers", "GET /brokers", {}],
    ["POST", "/brokers/", "POST /brokers", {}],
    ["GET", "/brokers/b-1%2Fx", "GET /brokers/{id}", { id: "b-1/x" }],
    ["GET", "/files/a/b/c", "GET /files/{path+}", { path: "a/b/c" }],
  ])("%s %s matches %s", (method, path, routeKey, pathParameters) => {
    expect(matchRoute(routes, method, path)).toEqual({ routeKey, pathParameters });
  });

  it.each([
    ["DELETE", "/brokers/b-1"],
    ["GET", "/brokers/b-1/extra"],
    ["GET", "/"],
    ["GET", "/files"],
  ])("%s %s matches nothing", (method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });
});

describe("the local HTTP API", () => {
  const events: APIGatewayProxyEventV2[] = [];
  let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
  const call = (
    method: string,
    path: string,
    body?: string,
    secretAccessKey = TEST_CREDENTIALS.secretAccessKey,
  ) =>
    signedFetch(`${endpoint.url}${path}`, {
      method,
      body,
      region: "us-east-1",
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey },
    });

  beforeAll(async () => {
    const gateway = createGatewayService({
      routes: [
        { route: "GET /brokers/{id}", handler: "echo" },
        { route: "POST /brokers", handler: "fail" },
      ],
      loadHandler: async (name) => async (event) => {
        if (name === "fail") throw new Error("boom");
        events.push(event as APIGatewayProxyEventV2);
        return { statusCode: 202, headers: { "X-Trace": "t" }, body: '{"ok":true}' };
      },
    });
    endpoint = await startLocalEndpoint([gateway]);
  });
  afterAll(() => endpoint.close());

  it("gives the handler a payload 2.0 event with the route, parameters and IAM caller", async () => {
    const response = await call("GET", "/brokers/b-42?verbose=1");
    expect(response.status).toBe(202);
    expect(response.headers.get("x-trace")).toBe("t");
    expect(await response.json()).toEqual({ ok: true });
    expect(events.at(-1)).toMatchObject({
      version: "2.0",
      routeKey: "GET /brokers/{id}",
      rawPath: "/brokers/b-42",
      rawQueryString: "verbose=1",
      pathParameters: { id: "b-42" },
      queryStringParameters: { verbose: "1" },
      requestContext: {
        http: { method: "GET" },
        authorizer: { iam: { accessKey: TEST_CREDENTIALS.accessKeyId } },
      },
    });
  });

  it("answers 404 Not Found for a route it does not have and 500 when the handler throws", async () => {
    const missing = await call("GET", "/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not Found" });
    const failed = await call("POST", "/brokers", "{}");
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: "Internal Server Error" });
  });

  it("answers 400, not 500, for a path label that is not valid percent-encoding", async () => {
    const response = await call("GET", "/brokers/%uD800");

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringContaining("percent-encoding") });
  });

  it("refuses unsigned and badly signed requests with 403", async () => {
    expect((await fetch(`${endpoint.url}/brokers/b-1`)).status).toBe(403);
    const bad = await call("GET", "/brokers/b-1", undefined, "wrong-secret");
    expect(bad.status).toBe(403);
    expect(bad.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });
});
