import { beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "../../functions/api/routes.js";
import { TRIGGERS } from "../../workflows/triggers.js";
import { type DeployedFunction, functionsByHandler } from "./deployed.js";
import { type Evaluation, evaluateApp, ofType } from "./harness.js";

describe("the HTTP API", () => {
  let evaluation: Evaluation;
  let functions: Map<string, DeployedFunction>;
  beforeAll(async () => {
    evaluation = await evaluateApp("ci");
    functions = functionsByHandler(evaluation);
  });

  const routeOf = (routeKey: string) => {
    const routes = ofType(evaluation, "aws:apigatewayv2/route:Route").filter(
      (route) => route.inputs.routeKey === routeKey,
    );
    expect(routes, routeKey).toHaveLength(1);
    return routes[0]?.inputs ?? {};
  };

  it("has exactly the routes of functions/api/routes.ts", () => {
    const deployed = ofType(evaluation, "aws:apigatewayv2/route:Route").map((route) => route.inputs.routeKey);
    expect(deployed.sort()).toEqual(API_ROUTES.map(({ route }) => route).sort());
  });

  it.each(API_ROUTES.map(({ route, handler }) => [route, handler]))(
    "%s requires IAM auth and runs %s",
    (route, handler) => {
      const deployed = routeOf(route);
      expect(deployed.authorizationType).toBe("AWS_IAM");
      const integration = ofType(evaluation, "aws:apigatewayv2/integration:Integration").find(
        (candidate) => deployed.target === `integrations/${candidate.state.id}`,
      );
      expect(integration?.inputs.integrationUri).toBe(functions.get(handler)?.arn);
    },
  );

  it("lets only this API invoke the route functions", () => {
    const api = ofType(evaluation, "aws:apigatewayv2/api:Api");
    expect(api).toHaveLength(1);
    const permissions = ofType(evaluation, "aws:lambda/permission:Permission");
    expect(permissions).toHaveLength(API_ROUTES.length);
    for (const permission of permissions) {
      expect(permission.inputs.principal).toBe("apigateway.amazonaws.com");
      expect(permission.inputs.sourceArn).toBe(`${api[0]?.state.executionArn}/*`);
    }
  });

  it("serves every HTTP trigger of workflows/triggers.ts", () => {
    for (const trigger of TRIGGERS) {
      if (trigger.kind === "http") routeOf(trigger.route);
    }
  });
});
