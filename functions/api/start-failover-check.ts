import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { callAws } from "../lib/aws-errors.js";
import { sfn } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { describeBroker } from "../lib/describe-broker.js";
import { RequestValidationError } from "../lib/errors.js";
import { json, pathParameter } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { checkBrokerId } from "../lib/mq-errors.js";

const STATE_MACHINE_ARN = requireEnv("FAILOVER_STATE_MACHINE_ARN");

/**
 * POST /brokers/{id}/failover-checks: one round of probes of the broker now, through the failover
 * workflow (202 with the execution). Only active/standby brokers have a failover to detect.
 */
export const handler = httpRoute(async (event) => {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  const broker = await describeBroker(brokerId);
  if (broker.DeploymentMode !== "ACTIVE_STANDBY_MULTI_AZ") {
    throw new RequestValidationError([
      {
        field: "id",
        message: `is a ${broker.DeploymentMode ?? "?"} broker; only ACTIVE_STANDBY_MULTI_AZ brokers fail over`,
      },
    ]);
  }
  const id = broker.BrokerId ?? brokerId;
  const input = { source: "api", brokerIds: [id], rounds: 1, correlationId: event.requestContext.requestId };
  const started = await callAws("StartExecution", () =>
    sfn.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input: JSON.stringify(input) })),
  );
  return json(202, {
    brokerId: id,
    executionArn: started.executionArn,
    startDate: started.startDate?.toISOString(),
  });
});
