import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineCommand,
  ExecutionStatus,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type StateMachineListItem,
} from "@aws-sdk/client-sfn";
import { badRequest, notFound } from "../errors.js";
import type { ConsoleSources } from "../sources.js";

export interface ExecutionRow {
  arn: string;
  name: string;
  workflow: string;
  status: string;
  start: Date | undefined;
  stop: Date | undefined;
}

export interface ExecutionFilter {
  workflow: string | undefined;
  status: ExecutionStatus | undefined;
}

export interface ExecutionDetail {
  execution: DescribeExecutionOutput;
  workflow: string;
  definition: string;
  /** Oldest first. */
  history: HistoryEvent[];
}

export const EXECUTION_STATUSES = Object.values(ExecutionStatus);

/** An execution ARN as Step Functions makes them; anything else is a bad parameter. */
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:/\s]{1,80}:[^:/\s]{1,80}$/;

/** The query of the executions page, checked: unknown workflows and statuses are 400s. Pure. */
export function parseExecutionFilter(query: URLSearchParams, workflows: string[]): ExecutionFilter {
  const workflow = query.get("workflow") || undefined;
  const status = query.get("status") || undefined;
  if (workflow !== undefined && !workflows.includes(workflow)) {
    throw badRequest(`workflow must be one of ${workflows.join(", ")}`);
  }
  if (status !== undefined && !(EXECUTION_STATUSES as string[]).includes(status)) {
    throw badRequest(`status must be one of ${EXECUTION_STATUSES.join(", ")}`);
  }
  return { workflow, status: status as ExecutionStatus | undefined };
}

export function checkExecutionArn(arn: string): string {
  if (!EXECUTION_ARN.test(arn)) throw badRequest("not a Step Functions execution ARN");
  return arn;
}

/** The project's state machines (`mqops-<stage>-…`), with their workflow names. */
export async function listWorkflows(
  sources: ConsoleSources,
): Promise<{ workflow: string; machine: StateMachineListItem }[]> {
  const machines: StateMachineListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sources.sfn.send(new ListStateMachinesCommand({ maxResults: 100, nextToken }));
    machines.push(...(page.stateMachines ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return machines
    .filter((machine) => machine.name?.startsWith(sources.stateMachinePrefix))
    .map((machine) => ({ workflow: (machine.name ?? "").slice(sources.stateMachinePrefix.length), machine }))
    .sort((a, b) => a.workflow.localeCompare(b.workflow));
}

const PER_WORKFLOW = 50;

/** The newest executions of every workflow (or one), newest first. */
export async function listExecutions(
  sources: ConsoleSources,
  workflows: { workflow: string; machine: StateMachineListItem }[],
  filter: ExecutionFilter,
): Promise<ExecutionRow[]> {
  const chosen = workflows.filter((w) => filter.workflow === undefined || w.workflow === filter.workflow);
  const pages = await Promise.all(
    chosen.map(async ({ workflow, machine }) => {
      const page = await sources.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: machine.stateMachineArn,
          statusFilter: filter.status,
          maxResults: PER_WORKFLOW,
        }),
      );
      return (page.executions ?? []).map((execution) => ({
        arn: execution.executionArn ?? "",
        name: execution.name ?? "",
        workflow,
        status: execution.status ?? "",
        start: execution.startDate,
        stop: execution.stopDate,
      }));
    }),
  );
  return pages.flat().sort((a, b) => (b.start?.getTime() ?? 0) - (a.start?.getTime() ?? 0));
}

/** An execution, its state machine's definition and its whole history; a missing one is a 404. */
export async function getExecution(sources: ConsoleSources, arn: string): Promise<ExecutionDetail> {
  let execution: DescribeExecutionOutput;
  try {
    execution = await sources.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    if ((error as Error).name === "ExecutionDoesNotExist") throw notFound("No such execution.");
    throw error;
  }
  const [machine, history] = await Promise.all([
    sources.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: execution.stateMachineArn })),
    (async () => {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sources.sfn.send(
          new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      return events;
    })(),
  ]);
  const name = machine.name ?? "";
  const workflow = name.startsWith(sources.stateMachinePrefix)
    ? name.slice(sources.stateMachinePrefix.length)
    : name;
  return { execution, workflow, definition: machine.definition ?? "{}", history };
}
