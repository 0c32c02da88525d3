import type { AwsResponse, LocalService } from "../server/service.js";
import { invoke, type LambdaHandler } from "../states/lambda-runtime.js";
import { fromHttpApiResult, toHttpApiEvent } from "./event.js";
import { matchRoute } from "./routes.js";

export interface GatewayRoute {
  route: string;
  /** `functions/api/x.handler` */
  handler: string;
}

const message = (status: number, text: string, errorType?: string): AwsResponse => ({
  status,
  headers: {
    "content-type": "application/json",
    ...(errorType === undefined ? {} : { "x-amzn-errortype": errorType }),
  },
  body: JSON.stringify({ message: text }),
});

/**
 * The HTTP API on the local endpoint: requests signed for `execute-api` (IAM authorization, as every
 * route has on AWS) become payload 2.0 events for the route's handler in functions/api.
 */
export function createGatewayService(options: {
  routes: readonly GatewayRoute[];
  loadHandler: (handlerPath: string) => Promise<LambdaHandler>;
  onHandlerError?: (error: unknown, route: string) => void;
}): LocalService {
  const routeKeys = options.routes.map((route) => route.route);
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const handlerFor = (route: GatewayRoute) => {
    let handler = handlers.get(route.route);
    if (handler === undefined) {
      handler = options.loadHandler(route.handler);
      handlers.set(route.route, handler);
    }
    return handler;
  };

  return {
    signingName: "execute-api",
    protocol: "rest-json",
    async handle(request) {
      let match: ReturnType<typeof matchRoute>;
      try {
        match = matchRoute(routeKeys, request.method, request.path);
      } catch (error) {
        // A path label that is not valid percent-encoding (`%uD800`, `%E0%A4%A`) is the caller's mistake.
        if (error instanceof URIError)
          return message(400, "Bad Request: the path is not valid percent-encoding");
        throw error;
      }
      const route = options.routes.find((candidate) => candidate.route === match?.routeKey);
      if (match === undefined || route === undefined) return message(404, "Not Found");
      const functionName = `mqops-local-api-${route.handler.split("/").pop()?.split(".")[0] ?? "handler"}`;
      try {
        const handler = await handlerFor(route);
        // API Gateway gives its integration 30 s.
        return fromHttpApiResult(await invoke(handler, functionName, toHttpApiEvent(request, match), 30_000));
      } catch (error) {
        options.onHandlerError?.(error, route.route);
        return message(500, "Internal Server Error");
      }
    },
  };
}
