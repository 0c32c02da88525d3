import { API_ROUTES } from "../functions/api/routes.js";
import { defineFunction } from "./functions.js";

/** API Gateway's integration timeout is 30 s; the handlers make a few AWS calls each. */
const API_TIMEOUT_SECONDS = 20;

/** The HTTP API: every route of functions/api/routes.ts, each signed with SigV4 (IAM auth). */
export const api = new sst.aws.ApiGatewayV2("Api", { cors: false });

for (const { route, handler } of API_ROUTES) {
  api.route(route, defineFunction(handler, API_TIMEOUT_SECONDS).arn, { auth: { iam: true } });
}
