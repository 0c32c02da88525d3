import { errorMessage } from "../../functions/lib/error-message.js";
import { executionArnOf } from "./arns.js";
import { type LocalWorkflow, runWorkflow } from "./engine.js";
import { executionAlreadyExists, executionDoesNotExist } from "./errors.js";
import { HistoryTranslator, type NewEvent } from "./history.js";
import { HistoryThreads } from "./history-threads.js";
import type { Machine, StateMachines } from "./state-machines.js";
import type { ExecutionRecord, ExecutionStatus, StatesStore } from "./store.js";

interface Running {
  abort(): void;
  /** Settles once the run's last event is recorded. */
  done: Promise<void>;
  stop?: { error?: string; cause?: string };
}

const TERMINAL: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: "SUCCEEDED",
  ExecutionFailed: "FAILED",
  ExecutionTimedOut: "TIMED_OUT",
  ExecutionAborted: "ABORTED",
};

/**
 * Executions of the local Step Functions: each runs in the ASL engine in this process, its events
 * translated into Step Functions' history and written to the data directory as they come.
 */
export class Executions {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Running>();
  private closing = false;

  constructor(
    private readonly store: StatesStore,
    private readonly machines: StateMachines,
    private readonly options: { region: string; skipDelays: boolean },
  ) {
    for (const record of store.loadExecutions()) this.records.set(record.executionArn, record);
  }

  /**
   * StartExecution. Names are unique per state machine: the same name and input while the execution
   * runs returns it again (the call is idempotent on AWS for STANDARD workflows); once it has ended, or
   * with another input, the name is taken: ExecutionAlreadyExists.
   */
  start(machine: Machine, name: string, input: string): ExecutionRecord {
    const executionArn = executionArnOf(machine.record.stateMachineArn, name);
    const existing = this.records.get(executionArn);
    if (existing !== undefined) {
      if (existing.status === "RUNNING" && existing.input === input) return existing;
      throw executionAlreadyExists(executionArn);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.record.stateMachineArn,
      name,
      status: "RUNNING",
      input,
      startDate: Date.now(),
      redriveCount: 0,
      events: [],
    };
    this.records.set(executionArn, record);
    this.store.saveExecution(record, true);
    this.run(record, machine, false);
    return record;
  }

  get(executionArn: string): ExecutionRecord {
    const record = this.records.get(executionArn);
    if (record === undefined) throw executionDoesNotExist(executionArn);
    return record;
  }

  /** Newest first, as ListExecutions lists them. */
  list(stateMachineArn: string, status?: string): ExecutionRecord[] {
    return [...this.records.values()]
      .filter((record) => record.stateMachineArn === stateMachineArn)
      .filter((record) => status === undefined || record.status === status)
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
  }

  /** StopExecution: aborts the run and records ABORTED with the caller's error and cause. */
  async stop(executionArn: string, stop: { error?: string; cause?: string }): Promise<ExecutionRecord> {
    const record = this.get(executionArn);
    if (record.status !== "RUNNING") return record;
    const running = this.running.get(executionArn);
    if (running === undefined) {
      // RUNNING in the store but not in this process (resume() not called yet): end it here.
      this.append(record, [
        { type: "ExecutionAborted", details: { executionAbortedEventDetails: { ...stop } } },
      ]);
      this.finish(record, "ABORTED", stop);
      return record;
    }
    running.stop = stop;
    running.abort();
    await running.done;
    return record;
  }

  /**
   * Re-runs from StartAt, as a redrive, what was RUNNING when the local cloud stopped: ended FAILED it
   * would leave a broker uncompensated (README.md, "The local cloud", Durability).
   */
  resumeInterrupted(): void {
    for (const record of this.records.values()) {
      if (record.status !== "RUNNING" || this.running.has(record.executionArn)) continue;
      const machine = this.machines.find(record.stateMachineArn);
      if (machine === undefined) {
        const cause = `The local cloud stopped during this execution and its state machine ${record.stateMachineArn} no longer exists, so it cannot be re-run.`;
        this.append(record, [
          {
            type: "ExecutionFailed",
            details: { executionFailedEventDetails: { error: "States.Runtime", cause } },
          },
        ]);
        this.finish(record, "FAILED", { error: "States.Runtime", cause });
        continue;
      }
      record.redriveCount += 1;
      record.redriveDate = Date.now();
      this.append(record, [
        {
          type: "ExecutionRedriven",
          details: { executionRedrivenEventDetails: { redriveCount: record.redriveCount } },
        },
      ]);
      this.store.saveExecution(record, true);
      this.run(record, machine, true);
    }
  }

  /**
   * Stops every run without ending its execution: what was RUNNING stays RUNNING in the data
   * directory, for `resumeInterrupted` at the next start.
   */
  async close(): Promise<void> {
    this.closing = true;
    const runs = [...this.running.values()];
    for (const run of runs) run.abort();
    await Promise.all(runs.map((run) => run.done));
    this.store.flush();
  }

  private run(record: ExecutionRecord, machine: Machine, redriven: boolean) {
    const workflow: LocalWorkflow = machine.workflow;
    const translator = new HistoryTranslator(workflow.definition, {
      roleArn: machine.record.roleArn,
      region: this.options.region,
    });
    const run = runWorkflow(workflow, JSON.parse(record.input), {
      executionName: record.name,
      executionArn: record.executionArn,
      roleArn: machine.record.roleArn,
      stateMachine: { id: machine.record.stateMachineArn, name: machine.record.name },
      startTime: new Date(record.startDate),
      skipDelays: this.options.skipDelays,
      observeTasks: translator.observer,
    });
    // The outcome is read from the event log; the result promise would only repeat it.
    run.result.catch(() => undefined);
    const threads = new HistoryThreads(
      (event, previousEventId) => this.record(record, event, previousEventId),
      redriven ? record.events.length : 0,
    );
    const running: Running = { abort: run.abort, done: Promise.resolve() };
    running.done = (async () => {
      try {
        for await (const event of run.eventLogs) {
          if (redriven && event.type === "ExecutionStarted") continue;
          // A shutdown's abort is not the execution's end: it stays RUNNING for the next start.
          if (event.type === "ExecutionAborted" && running.stop === undefined && this.closing) break;
          const events = translator.translate(event, running.stop);
          threads.accept(event, events);
          const last = events.at(-1);
          const status = last === undefined ? undefined : TERMINAL[last.type];
          if (last !== undefined && status !== undefined) this.finish(record, status, outcome(last));
        }
      } catch (error) {
        const cause = `The local engine failed: ${errorMessage(error)}`;
        this.append(record, [
          {
            type: "ExecutionFailed",
            details: { executionFailedEventDetails: { error: "States.Runtime", cause } },
          },
        ]);
        this.finish(record, "FAILED", { error: "States.Runtime", cause });
      } finally {
        this.running.delete(record.executionArn);
      }
    })();
    this.running.set(record.executionArn, running);
  }

  /** Records one event of a run, linked as HistoryThreads decided; returns its id. */
  private record(record: ExecutionRecord, event: NewEvent, previousEventId: number): number {
    const id = record.events.length + 1;
    if (record.status !== "RUNNING") return id;
    const { type, details } = event;
    record.events.push({
      id,
      previousEventId,
      timestamp: Date.now(),
      type,
      ...(details === undefined ? {} : { details }),
    });
    this.store.saveExecution(record, false);
    return id;
  }

  /** Events outside a run (a stop, a redrive, a run that could not go on): each links to the one before. */
  private append(record: ExecutionRecord, events: NewEvent[]) {
    if (events.length === 0 || record.status !== "RUNNING") return;
    for (const event of events) {
      const id = record.events.length + 1;
      record.events.push({ id, previousEventId: id - 1, timestamp: Date.now(), ...event });
    }
    this.store.saveExecution(record, false);
  }

  private finish(
    record: ExecutionRecord,
    status: ExecutionStatus,
    end: { output?: string; error?: string; cause?: string },
  ) {
    if (record.status !== "RUNNING") return;
    record.status = status;
    record.stopDate = Date.now();
    record.output = end.output;
    record.error = end.error;
    record.cause = end.cause;
    this.store.saveExecution(record, true);
  }
}

/** The output, or the error and cause, a terminal history event carries. */
function outcome(event: NewEvent): { output?: string; error?: string; cause?: string } {
  const details = Object.values(event.details ?? {})[0] ?? {};
  const field = (name: string) =>
    typeof details[name] === "string" && details[name] !== "" ? (details[name] as string) : undefined;
  return { output: field("output"), error: field("error"), cause: field("cause") };
}
