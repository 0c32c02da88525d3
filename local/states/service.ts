import type { WorkflowSpec } from "../../workflows/types.js";
import { jsonService } from "../server/json-service.js";
import type { LocalService } from "../server/service.js";
import { parseExecutionArn, parseStateMachineArn } from "./arns.js";
import { validationError } from "./errors.js";
import { Executions } from "./executions.js";
import { wireEvent } from "./history.js";
import { StateMachines } from "./state-machines.js";
import { StatesStore } from "./store.js";
import { taskTokenOperations } from "./task-tokens.js";
import { checkInput, checkName, optionalString, paginate } from "./validation.js";

export { stateMachineArnFor, stateMachineEnvironment, stateMachineEnvName } from "./arns.js";

export interface StatesServiceOptions {
  dataDir: string;
  region: string;
  /** The project's workflows (workflows/index.ts `WORKFLOWS`), registered as state machines by name. */
  workflows: WorkflowSpec[];
  /** Shorten Waits and Retry pauses (tests). */
  skipDelays?: boolean;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const STATUSES = new Set(["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]);

/**
 * Step Functions (AWS JSON 1.0, `AWSStepFunctions.<Operation>`, signing name `states`) over the local
 * ASL engine: state machines, executions with Step Functions' history, kept in the data directory.
 *
 * Workflows load (their handler modules are imported) in the background from creation; requests wait
 * for it. `resume()` waits for it too, then re-runs the executions a previous run of the local cloud
 * left RUNNING (see `Executions.resumeInterrupted`): call it once the endpoint the handlers call is
 * up, as their first step may call it at once.
 */
export function createStatesService(options: StatesServiceOptions): LocalService & {
  resume(): Promise<void>;
  startExecution(input: {
    stateMachineArn: string;
    input: string;
    name?: string;
  }): Promise<{ executionArn: string }>;
} {
  const store = new StatesStore(options.dataDir);
  const machines = new StateMachines(store, options.region);
  const executions = new Executions(store, machines, {
    region: options.region,
    skipDelays: options.skipDelays === true,
  });
  const ready = (async () => {
    await machines.registerWorkflows(options.workflows);
    await machines.restore();
  })();
  // Requests and resume() see a loading failure; this only keeps it from being an unhandled rejection.
  ready.catch(() => undefined);

  // One path for StartExecution, whether a client calls it or a rule or schedule of the local cloud does.
  const startExecution = async (input: Record<string, unknown>) => {
    await ready;
    const machine = machines.get(parseStateMachineArn(input.stateMachineArn));
    const name = input.name === undefined ? crypto.randomUUID() : checkName(input.name);
    return executions.start(machine, name, checkInput(input.input));
  };

  const service = jsonService({
    signingName: "states",
    targetPrefix: "AWSStepFunctions",
    version: "1.0",
    close: () => executions.close(),
    operations: {
      async CreateStateMachine(input) {
        await ready;
        const record = await machines.create(input);
        return { stateMachineArn: record.stateMachineArn, creationDate: seconds(record.creationDate) };
      },
      async UpdateStateMachine(input) {
        await ready;
        await machines.update(parseStateMachineArn(input.stateMachineArn), input);
        return { updateDate: Date.now() / 1000 };
      },
      async DescribeStateMachine(input) {
        await ready;
        const { record } = machines.get(parseStateMachineArn(input.stateMachineArn));
        return {
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: "ACTIVE",
          definition: record.definition,
          roleArn: record.roleArn,
          type: "STANDARD",
          creationDate: seconds(record.creationDate),
          loggingConfiguration: { level: "OFF", includeExecutionData: false },
          tracingConfiguration: { enabled: false },
        };
      },
      async ListStateMachines(input) {
        await ready;
        const { page, nextToken } = paginate(machines.list(), input, "ListStateMachines");
        return {
          stateMachines: page.map((record) => ({
            stateMachineArn: record.stateMachineArn,
            name: record.name,
            type: "STANDARD",
            creationDate: seconds(record.creationDate),
          })),
          nextToken,
        };
      },
      async DeleteStateMachine(input) {
        await ready;
        machines.delete(parseStateMachineArn(input.stateMachineArn));
        return {};
      },
      async StartExecution(input) {
        const record = await startExecution(input);
        return { executionArn: record.executionArn, startDate: seconds(record.startDate) };
      },
      async DescribeExecution(input) {
        await ready;
        const record = executions.get(parseExecutionArn(input.executionArn));
        return {
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: seconds(record.startDate),
          stopDate: seconds(record.stopDate),
          input: record.input,
          inputDetails: { included: true },
          output: record.output,
          outputDetails: record.output === undefined ? undefined : { included: true },
          error: record.error,
          cause: record.cause,
          redriveCount: record.redriveCount,
          redriveDate: seconds(record.redriveDate),
        };
      },
      async ListExecutions(input) {
        await ready;
        const machineArn = parseStateMachineArn(input.stateMachineArn);
        machines.get(machineArn);
        const status = input.statusFilter;
        if (status !== undefined && (typeof status !== "string" || !STATUSES.has(status))) {
          throw validationError(
            `1 validation error detected: Value '${String(status)}' at 'statusFilter' failed to satisfy constraint`,
          );
        }
        const { page, nextToken } = paginate(
          executions.list(machineArn, status),
          input,
          `ListExecutions:${machineArn}:${status ?? ""}`,
        );
        return {
          executions: page.map((record) => ({
            executionArn: record.executionArn,
            stateMachineArn: record.stateMachineArn,
            name: record.name,
            status: record.status,
            startDate: seconds(record.startDate),
            stopDate: seconds(record.stopDate),
            redriveCount: record.redriveCount,
            redriveDate: seconds(record.redriveDate),
          })),
          nextToken,
        };
      },
      async GetExecutionHistory(input) {
        await ready;
        const record = executions.get(parseExecutionArn(input.executionArn));
        const ordered = input.reverseOrder === true ? [...record.events].reverse() : record.events;
        const { page, nextToken } = paginate(
          ordered,
          input,
          `GetExecutionHistory:${record.executionArn}:${input.reverseOrder === true}`,
        );
        const includeData = input.includeExecutionData !== false;
        return { events: page.map((event) => wireEvent(event, includeData)), nextToken };
      },
      async StopExecution(input) {
        await ready;
        const arn = parseExecutionArn(input.executionArn);
        const record = await executions.stop(arn, {
          error: optionalString(input, "error", 256),
          cause: optionalString(input, "cause", 32768),
        });
        return { stopDate: seconds(record.stopDate) };
      },
      ...taskTokenOperations(),
    },
  });
  return {
    ...service,
    async resume() {
      await ready;
      executions.resumeInterrupted();
    },
    async startExecution(input) {
      const record = await startExecution(input);
      return { executionArn: record.executionArn };
    },
  };
}
