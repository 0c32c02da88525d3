import type { DescribeExecutionOutput } from "@aws-sdk/client-sfn";

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const BROKER_FIELDS = [
  "brokerId",
  "brokerName",
  "role",
  "status",
  "step",
  "detail",
  "brokerState",
  "engineVersion",
  "targetEngineVersion",
  "reason",
  "error",
  "cause",
  "runbook",
  "plan",
  "deadline",
  "updatedAt",
  "finishedAt",
];

/** What GET /maintenance/{id} returns: the execution's status and the run's records, broker by broker. Pure. */
export function maintenanceView(
  id: string,
  execution: DescribeExecutionOutput,
  items: Record<string, unknown>[],
) {
  const run = items.find((item) => item.sk === "RUN");
  const brokers = items
    .filter((item) => typeof item.sk === "string" && item.sk.startsWith("BROKER#"))
    .map((item) =>
      Object.fromEntries(BROKER_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])),
    );
  return {
    maintenanceId: id,
    executionArn: execution.executionArn,
    status: execution.status,
    startDate: execution.startDate?.toISOString(),
    stopDate: execution.stopDate?.toISOString(),
    error: execution.error === undefined ? undefined : { error: execution.error, cause: execution.cause },
    request: run?.request,
    summary:
      run === undefined
        ? undefined
        : {
            status: run.status,
            completed: run.completed,
            skipped: run.skipped,
            failed: run.failed,
            rolledBack: run.rolledBack,
            halted: run.halted,
          },
    brokers,
    output: parse(execution.output),
  };
}
