import { partition } from "./aws-context.js";
import { environmentOf, grantOf, permissionsOf } from "./permissions.js";

/** `functions/api/create-broker.handler` → `ApiCreateBroker`. */
export function functionName(handler: string): string {
  const [, area = "", file = ""] = handler.replace(/\.handler$/, "").split("/");
  return `${area}-${file}`
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/**
 * One Lambda per handler: Node 24, arm64, X-Ray active tracing, Powertools settings, the environment
 * it reads and only the IAM actions it calls (infra/grants.ts). Nothing is linked: an SST link would
 * grant whole-resource wildcards (`dynamodb:*`) and handlers read resource names from the environment.
 */
export function defineFunction(handler: string, timeoutSeconds: number): sst.aws.Function {
  const grant = grantOf(handler);
  return new sst.aws.Function(functionName(handler), {
    handler,
    runtime: "nodejs24.x",
    architecture: "arm64",
    memory: "512 MB",
    timeout: `${timeoutSeconds} seconds`,
    logging: { retention: "1 month", format: "json" },
    environment: {
      POWERTOOLS_SERVICE_NAME: "mqops",
      POWERTOOLS_LOG_LEVEL: "INFO",
      POWERTOOLS_METRICS_NAMESPACE: "mqops",
      ...environmentOf(grant),
    },
    permissions: permissionsOf(handler, grant),
    // X-Ray segments go through the managed write-only policy, kept apart from the SDK-call grants.
    policies: partition.apply((name) => [`arn:${name}:iam::aws:policy/AWSXRayDaemonWriteAccess`]),
    transform: {
      function: { tracingConfig: { mode: "Active" } },
      // SST 4.17.1 also lets the account root assume every function role (for `sst dev`); only
      // Lambda may assume these.
      role: (args) => {
        args.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" });
      },
    },
  });
}
