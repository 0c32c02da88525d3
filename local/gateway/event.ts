import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type AwsRequest, type AwsResponse, LOCAL_ACCOUNT } from "../server/service.js";
import type { RouteMatch } from "./routes.js";

export const LOCAL_API_ID = "mqopslocal";

/** The API Gateway payload format 2.0 event an HTTP API with IAM authorization gives its integration. */
export function toHttpApiEvent(request: AwsRequest, match: RouteMatch): APIGatewayProxyEventV2 {
  const now = new Date();
  const rawQueryString = request.query.toString();
  const queryStringParameters = Object.fromEntries(
    [...new Set(request.query.keys())].map((key) => [key, request.query.getAll(key).join(",")]),
  );
  const text = request.body.toString("utf8");
  const isText = Buffer.from(text, "utf8").equals(request.body);
  const event = {
    version: "2.0",
    routeKey: match.routeKey,
    rawPath: request.path,
    rawQueryString,
    headers: request.headers,
    ...(rawQueryString === "" ? {} : { queryStringParameters }),
    ...(Object.keys(match.pathParameters).length === 0 ? {} : { pathParameters: match.pathParameters }),
    ...(request.body.length === 0 ? {} : { body: isText ? text : request.body.toString("base64") }),
    isBase64Encoded: request.body.length > 0 && !isText,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: LOCAL_API_ID,
      domainName: request.headers.host ?? "127.0.0.1",
      domainPrefix: LOCAL_API_ID,
      http: {
        method: request.method,
        path: request.path,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: request.headers["user-agent"] ?? "",
      },
      requestId: request.requestId,
      routeKey: match.routeKey,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: {
        iam: {
          accessKey: request.accessKeyId,
          accountId: LOCAL_ACCOUNT,
          callerId: request.accessKeyId,
          principalOrgId: null,
          userArn: `arn:aws:iam::${LOCAL_ACCOUNT}:user/mqops-local`,
          userId: request.accessKeyId,
          cognitoIdentity: null,
        },
      },
    },
  };
  return event as unknown as APIGatewayProxyEventV2;
}

/** A handler's result as API Gateway turns it into an HTTP response (format 2.0 rules). */
export function fromHttpApiResult(result: unknown): AwsResponse {
  const structured =
    result !== null && typeof result === "object" && "statusCode" in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : undefined;
  if (structured === undefined) {
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: typeof result === "string" ? result : JSON.stringify(result ?? null),
    };
  }
  const headers = Object.fromEntries(
    Object.entries(structured.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const body = structured.body ?? "";
  return {
    status: structured.statusCode ?? 200,
    headers: { "content-type": "application/json", ...headers },
    body: structured.isBase64Encoded === true ? Buffer.from(body, "base64") : body,
  };
}
