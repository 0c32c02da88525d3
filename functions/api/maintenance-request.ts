import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { RequestValidationError } from "../lib/errors.js";
import { toFieldIssues } from "../lib/field-issues.js";
import { jsonBody } from "../lib/http.js";
import { CLIENT_TOKEN } from "../lib/state-table.js";
import * as z from "../lib/zod.js";
import { maintenanceRequestSchema } from "../maintenance/request.js";

/** What POST /maintenance takes: which brokers, the target version, the policy, a dry run. */
export const startMaintenanceSchema = z.pick(maintenanceRequestSchema, {
  brokerIds: true,
  targetEngineVersion: true,
  policy: true,
  dryRun: true,
});

/** The maintenance id (execution name) for a request: from its Idempotency-Key, so a retry starts nothing new. */
export const maintenanceExecutionName = (key: string) => `maintenance-${key}`;

/** Parses and validates POST /maintenance (an empty body is every managed broker, policy minor). */
export function parseStartMaintenance(event: APIGatewayProxyEventV2) {
  const body = event.body === undefined || event.body === "" ? {} : jsonBody(event);
  const parsed = startMaintenanceSchema.safeParse(body);
  const key = event.headers?.["idempotency-key"];
  const issues = parsed.success ? [] : toFieldIssues(parsed.error);
  if (key !== undefined && !CLIENT_TOKEN.test(key)) {
    issues.push({ field: "Idempotency-Key", message: "must be 1-64 of letters, digits, - and _" });
  }
  if (!parsed.success || issues.length > 0) throw new RequestValidationError(issues);
  return { request: parsed.data, name: maintenanceExecutionName(key ?? randomUUID()) };
}
