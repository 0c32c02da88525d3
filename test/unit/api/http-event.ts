import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** An API Gateway v2 event as the HTTP API delivers it for `routeKey`. */
export function httpEvent(
  routeKey: string,
  pathParameters: Record<string, string> = {},
): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(" ");
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: {},
    pathParameters,
    isBase64Encoded: false,
    requestContext: { requestId: "req-1", http: { method, path } },
  } as unknown as APIGatewayProxyEventV2;
}
