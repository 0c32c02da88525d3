import { createHash } from "node:crypto";
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { JsonStore } from "../store/json-store.js";
import type { StoredEvent } from "./history.js";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** The input as the caller sent it (a JSON text). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Epoch milliseconds. */
  startDate: number;
  stopDate?: number;
  /** How many times the local cloud re-ran it after a restart (see executions.ts). */
  redriveCount: number;
  redriveDate?: number;
  events: StoredEvent[];
}

export interface MachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  /** Epoch milliseconds. */
  creationDate: number;
  /** `workflow`: registered from workflows/ at every start; `api`: made by CreateStateMachine, restored. */
  source: "workflow" | "api";
}

/** How long history events may wait to be written together; status changes are written at once. */
const BATCH_MS = 100;

/**
 * The local Step Functions' durable state under the data directory: state machines created through
 * the API in `states.json`, and each execution (status, input, output, history) in its own file under
 * `states-executions/`, so a save rewrites one execution, not all of them.
 */
export class StatesStore {
  private readonly machines: JsonStore<{ stateMachines: MachineRecord[] }>;
  private readonly executionsDir: string;
  private readonly dirty = new Map<string, ExecutionRecord>();
  private timer: NodeJS.Timeout | undefined;

  constructor(dataDir: string) {
    this.machines = new JsonStore(dataDir, "states");
    this.executionsDir = path.join(dataDir, "states-executions");
    mkdirSync(this.executionsDir, { recursive: true, mode: 0o700 });
  }

  loadMachines(): MachineRecord[] {
    return this.machines.load(() => ({ stateMachines: [] })).stateMachines;
  }

  saveMachines(records: MachineRecord[]): void {
    this.machines.save({ stateMachines: records.filter((record) => record.source === "api") });
  }

  loadExecutions(): ExecutionRecord[] {
    return readdirSync(this.executionsDir)
      .filter((file) => file.endsWith(".json"))
      .map((file) => new JsonStore<ExecutionRecord | undefined>(this.executionsDir, file.slice(0, -5)))
      .map((store) => store.load(() => undefined))
      .filter((record): record is ExecutionRecord => record !== undefined);
  }

  /** Writes the execution now (a status change) or with the next batch (history events). */
  saveExecution(record: ExecutionRecord, now: boolean): void {
    this.dirty.set(record.executionArn, record);
    if (now) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const record of this.dirty.values()) this.fileOf(record.executionArn).save(record);
    this.dirty.clear();
  }

  private fileOf(executionArn: string) {
    // Execution names may hold characters a file name cannot (and `..`): name the file by a digest.
    const digest = createHash("sha256").update(executionArn).digest("hex").slice(0, 40);
    return new JsonStore<ExecutionRecord>(this.executionsDir, digest);
  }
}
