import { ListExecutionsCommand } from "@aws-sdk/client-sfn";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { sfn } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { RequestValidationError } from "../lib/errors.js";
import { toFieldIssues } from "../lib/field-issues.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import * as z from "../lib/zod.js";

const STATE_MACHINE_ARN = requireEnv("PROVISIONING_STATE_MACHINE_ARN");

const querySchema = z.object({
  status: z.optional(z.enum(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"])),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  nextToken: z.optional(z.string().check(z.minLength(1), z.maxLength(3096))),
});

function parseQuery(event: APIGatewayProxyEventV2) {
  const parsed = querySchema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new RequestValidationError(toFieldIssues(parsed.error));
  return parsed.data;
}

/** GET /executions: provisioning executions, newest first, one page (`limit`, `nextToken`, `status`). */
export const handler = httpRoute(async (event) => {
  const query = parseQuery(event);
  const page = await callAws("ListExecutions", () =>
    sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: STATE_MACHINE_ARN,
        statusFilter: query.status,
        maxResults: query.limit,
        nextToken: query.nextToken,
      }),
    ),
  ).catch((error: unknown) => {
    if (awsErrorName(error) === "InvalidToken") {
      throw new RequestValidationError([{ field: "nextToken", message: "is not a token this API returned" }]);
    }
    throw error;
  });
  return json(200, {
    executions: (page.executions ?? []).map((execution) => ({
      executionId: execution.name,
      status: execution.status,
      startDate: execution.startDate?.toISOString(),
      stopDate: execution.stopDate?.toISOString(),
    })),
    nextToken: page.nextToken,
  });
});
