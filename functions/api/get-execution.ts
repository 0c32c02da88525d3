import { DescribeExecutionCommand, GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { sfn } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { ExecutionNotFoundError, RequestValidationError } from "../lib/errors.js";
import { executionArn, isExecutionName } from "../lib/executions.js";
import { json, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { executionView } from "./execution-view.js";

const STATE_MACHINE_ARN = requireEnv("PROVISIONING_STATE_MACHINE_ARN");

/** GET /executions/{id}: the provisioning execution's status, current step, error and result. */
export const handler = httpRoute(async (event) => {
  const name = pathParameter(event, "id");
  if (!isExecutionName(name))
    throw new RequestValidationError([{ field: "id", message: "is not an execution id" }]);
  const arn = executionArn(STATE_MACHINE_ARN, name);
  try {
    const execution = await callAws("DescribeExecution", () =>
      sfn.send(new DescribeExecutionCommand({ executionArn: arn })),
    );
    const history = await callAws("GetExecutionHistory", () =>
      sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 50 })),
    );
    return json(200, executionView(name, execution, history.events ?? []));
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist")
      throw new ExecutionNotFoundError(name, { cause: error });
    throw error;
  }
});
