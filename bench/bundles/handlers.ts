import path from "node:path";
import { API_ROUTES } from "../../functions/api/routes.js";
import { FUNCTION_GRANTS } from "../../infra/grants.js";
import { WORKFLOWS } from "../../workflows/index.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every deployed handler, as infra/api.ts and infra/workflows.ts define a Lambda for each. */
export const HANDLERS = [
  ...new Set([
    ...API_ROUTES.map(({ handler }) => handler),
    ...WORKFLOWS.flatMap((workflow) => Object.values(workflow.functions)),
  ]),
].sort();

/** `functions/api/create-broker.handler` → `functions/api/create-broker.ts`. */
export function handlerSource(handler: string): string {
  return `${handler.replace(/\.[A-Za-z_$][\w$]*$/, "")}.ts`;
}

/** `functions/api/create-broker.handler` → `api-create-broker`. */
export function bundleName(handler: string): string {
  return handlerSource(handler)
    .replace(/^functions\//, "")
    .replace(/\.ts$/, "")
    .replaceAll("/", "-");
}

/**
 * The environment a handler's Lambda gets (infra/functions.ts and the variables its grant names),
 * with made-up values of the right shape: module scope reads and checks them at load.
 */
export function lambdaEnvironment(handler: string): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_NAME: bundleName(handler),
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    POWERTOOLS_SERVICE_NAME: "mqops",
    POWERTOOLS_LOG_LEVEL: "INFO",
    POWERTOOLS_METRICS_NAMESPACE: "mqops",
  };
  for (const name of FUNCTION_GRANTS[handler]?.environment ?? []) {
    if (name.endsWith("_STATE_MACHINE_ARN")) {
      env[name] = `arn:aws:states:us-east-1:123456789012:stateMachine:mqops-bench-${name.toLowerCase()}`;
    } else if (name === "NOTIFICATIONS_TOPIC_ARN") {
      env[name] = "arn:aws:sns:us-east-1:123456789012:mqops-bench-notifications";
    } else if (name.endsWith("_SECONDS")) {
      env[name] = "60";
    } else {
      env[name] = "mqops-bench";
    }
  }
  return env;
}
