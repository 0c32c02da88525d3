import type { DescribeExecutionOutput, HistoryEvent } from "@aws-sdk/client-sfn";

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The step an execution is in (or ended in): the newest state entered, from history newest first. Pure. */
export function currentStep(eventsNewestFirst: HistoryEvent[]): string | undefined {
  return eventsNewestFirst.find((event) => event.stateEnteredEventDetails?.name !== undefined)
    ?.stateEnteredEventDetails?.name;
}

/** What GET /executions/{id} returns. The input is not returned: only the broker name from it. Pure. */
export function executionView(
  id: string,
  execution: DescribeExecutionOutput,
  eventsNewestFirst: HistoryEvent[],
) {
  const input = parse(execution.input) as { request?: { brokerName?: string } } | undefined;
  return {
    executionId: id,
    executionArn: execution.executionArn,
    brokerName: input?.request?.brokerName,
    status: execution.status,
    currentStep: currentStep(eventsNewestFirst),
    startDate: execution.startDate?.toISOString(),
    stopDate: execution.stopDate?.toISOString(),
    error: execution.error === undefined ? undefined : { error: execution.error, cause: execution.cause },
    output: parse(execution.output),
  };
}
