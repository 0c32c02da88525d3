import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { sfn } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { executionArn } from "../lib/executions.js";
import { json } from "../lib/http.js";
import { httpRoute } from "../lib/middleware.js";
import { gatherCandidates } from "../maintenance/candidates.js";
import { planBroker } from "../maintenance/plan-broker.js";
import { selectBrokers } from "../maintenance/selection.js";
import { parseStartMaintenance } from "./maintenance-request.js";

const STATE_MACHINE_ARN = requireEnv("MAINTENANCE_STATE_MACHINE_ARN");

/**
 * POST /maintenance. A dry run plans each selected broker and changes nothing (200 with the plans);
 * otherwise the maintenance workflow starts (202 with its id; the same Idempotency-Key gets the same id).
 */
export const handler = httpRoute(async (event) => {
  const { request, name } = parseStartMaintenance(event);
  if (request.dryRun) {
    const { candidates, missing } = await gatherCandidates(request.brokerIds);
    const selection = selectBrokers(candidates, "all", new Date());
    const plans = [];
    for (const broker of selection.brokers) {
      plans.push({ ...broker, plan: await planBroker(broker.brokerId, request) });
    }
    const skipped = [
      ...selection.skipped.map(({ brokerId, brokerName, reason }) => ({ brokerId, brokerName, reason })),
      ...missing.map((brokerId) => ({ brokerId, reason: "the broker does not exist" })),
    ];
    return json(200, { dryRun: true, plans, skipped });
  }
  const arn = executionArn(STATE_MACHINE_ARN, name);
  const input = { ...request, source: "api", correlationId: event.requestContext.requestId };
  const reply = (startDate: string | undefined) =>
    json(202, {
      maintenanceId: name,
      executionArn: arn,
      status: "RUNNING",
      startDate,
      links: { self: `/maintenance/${name}` },
    });
  try {
    const started = await callAws("StartExecution", () =>
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name, input: JSON.stringify(input) }),
      ),
    );
    return reply(started.startDate?.toISOString());
  } catch (error) {
    // A retried request with the same Idempotency-Key: the run it started goes on.
    if (awsErrorName(error) === "ExecutionAlreadyExists") return reply(undefined);
    throw error;
  }
});
