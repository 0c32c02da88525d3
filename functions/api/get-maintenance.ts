import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { sfn } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { ddb } from "../lib/document-client.js";
import { ExecutionNotFoundError, RequestValidationError } from "../lib/errors.js";
import { executionArn, isExecutionName } from "../lib/executions.js";
import { json, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { maintenancePartition } from "../maintenance/keys.js";
import { maintenanceView } from "./maintenance-view.js";

const STATE_MACHINE_ARN = requireEnv("MAINTENANCE_STATE_MACHINE_ARN");
const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

/** GET /maintenance/{id}: the run's status and, per broker, its step, outcome and plan. */
export const handler = httpRoute(async (event) => {
  const id = pathParameter(event, "id");
  if (!isExecutionName(id))
    throw new RequestValidationError([{ field: "id", message: "is not a maintenance id" }]);
  const arn = executionArn(STATE_MACHINE_ARN, id);
  const execution = await callAws("DescribeExecution", () =>
    sfn.send(new DescribeExecutionCommand({ executionArn: arn })),
  ).catch((error: unknown) => {
    if (awsErrorName(error) === "ExecutionDoesNotExist")
      throw new ExecutionNotFoundError(id, { cause: error });
    throw error;
  });
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await callAws("Query", () =>
      ddb.send(
        new QueryCommand({
          TableName: STATE_TABLE_NAME,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": maintenancePartition(id) },
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return json(200, maintenanceView(id, execution, items));
});
