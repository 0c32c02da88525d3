import type { StateMachineDefinition } from "../../workflows/asl.js";
import type { WorkflowSpec } from "../../workflows/types.js";
import { LOCAL_ACCOUNT } from "../server/service.js";
import { stateMachineArnFor } from "./arns.js";
import { invokedFunction, localFunctionArn, taskStates } from "./bindings.js";
import { buildWorkflow, type LocalWorkflow, loadWorkflow } from "./engine.js";
import {
  invalidArn,
  invalidDefinition,
  stateMachineAlreadyExists,
  stateMachineDoesNotExist,
  validationError,
} from "./errors.js";
import type { MachineRecord, StatesStore } from "./store.js";
import { checkName } from "./validation.js";

/** The role registered workflows run as; Step Functions requires one, the local cloud never assumes it. */
export const LOCAL_STATES_ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/mqops-local-states`;

export interface Machine {
  record: MachineRecord;
  workflow: LocalWorkflow;
}

/**
 * The state machines of the local Step Functions: every workflow of workflows/ registered under its
 * short name, and those created through the API (restored from the data directory). A definition can
 * only call Lambda functions the local cloud has: the local ARNs of the registered workflows' functions.
 */
export class StateMachines {
  private readonly machines = new Map<string, Machine>();
  /** Local Lambda ARN → handler path, for every function of every registered workflow. */
  private readonly functions = new Map<string, string>();

  constructor(
    private readonly store: StatesStore,
    private readonly region: string,
  ) {}

  async registerWorkflows(workflows: WorkflowSpec[]): Promise<void> {
    for (const spec of workflows) {
      for (const [key, handler] of Object.entries(spec.functions)) {
        this.functions.set(localFunctionArn(spec.name, key, this.region, LOCAL_ACCOUNT), handler);
      }
    }
    for (const spec of workflows) {
      const workflow = await loadWorkflow(spec, this.region, LOCAL_ACCOUNT);
      const record: MachineRecord = {
        stateMachineArn: stateMachineArnFor(spec.name, this.region),
        name: spec.name,
        definition: JSON.stringify(workflow.definition, null, 2),
        roleArn: LOCAL_STATES_ROLE,
        creationDate: Date.now(),
        source: "workflow",
      };
      this.machines.set(record.stateMachineArn, { record, workflow });
    }
  }

  /** Rebuilds the state machines created through the API before the last stop. */
  async restore(): Promise<void> {
    for (const record of this.store.loadMachines()) {
      if (this.machines.has(record.stateMachineArn)) continue;
      this.machines.set(record.stateMachineArn, {
        record,
        workflow: await this.build(record.name, record.definition),
      });
    }
  }

  get(arn: string): Machine {
    const machine = this.machines.get(arn);
    if (machine === undefined) throw stateMachineDoesNotExist(arn);
    return machine;
  }

  find(arn: string): Machine | undefined {
    return this.machines.get(arn);
  }

  list(): MachineRecord[] {
    return [...this.machines.values()]
      .map((machine) => machine.record)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** CreateStateMachine: idempotent for the same name, definition and role, as on AWS. */
  async create(input: Record<string, unknown>): Promise<MachineRecord> {
    const name = checkName(input.name);
    const definition = requireDefinition(input.definition);
    const roleArn = requireRole(input.roleArn);
    if (input.type !== undefined && input.type !== "STANDARD") {
      throw validationError("The local cloud runs STANDARD state machines only");
    }
    const arn = stateMachineArnFor(name, this.region);
    const existing = this.machines.get(arn);
    if (existing !== undefined) {
      if (existing.record.definition === definition && existing.record.roleArn === roleArn)
        return existing.record;
      throw stateMachineAlreadyExists(arn);
    }
    const workflow = await this.build(name, definition);
    const record: MachineRecord = {
      stateMachineArn: arn,
      name,
      definition,
      roleArn,
      creationDate: Date.now(),
      source: "api",
    };
    this.machines.set(arn, { record, workflow });
    this.save();
    return record;
  }

  /**
   * UpdateStateMachine: executions already running keep the definition they started with. An update
   * of a registered workflow lasts until the next start, which registers workflows/ as it is.
   */
  async update(arn: string, input: Record<string, unknown>): Promise<MachineRecord> {
    const machine = this.get(arn);
    if (input.definition === undefined && input.roleArn === undefined) {
      throw validationError("Either the definition or the roleArn must be specified");
    }
    const definition =
      input.definition === undefined ? machine.record.definition : requireDefinition(input.definition);
    const roleArn = input.roleArn === undefined ? machine.record.roleArn : requireRole(input.roleArn);
    const workflow =
      definition === machine.record.definition
        ? machine.workflow
        : await this.build(machine.record.name, definition);
    const record = { ...machine.record, definition, roleArn };
    this.machines.set(arn, { record, workflow });
    this.save();
    return record;
  }

  /** DeleteStateMachine; a registered workflow comes back at the next start, as workflows/ still has it. */
  delete(arn: string): void {
    if (this.machines.delete(arn)) this.save();
  }

  private save() {
    this.store.saveMachines(this.list());
  }

  /**
   * Builds a definition given through the API: every Task must call a local function (the ARN of a
   * registered workflow's function), as anything else would make the engine call real AWS.
   */
  private async build(name: string, text: string): Promise<LocalWorkflow> {
    let definition: StateMachineDefinition;
    try {
      definition = JSON.parse(text) as StateMachineDefinition;
    } catch (error) {
      throw invalidDefinition(`Invalid State Machine Definition: '${(error as Error).message}'`);
    }
    if (typeof definition !== "object" || definition === null || typeof definition.States !== "object") {
      throw invalidDefinition(
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: States is required'",
      );
    }
    const functions: Record<string, string> = {};
    for (const state of taskStates(definition).values()) {
      const arn =
        state.Resource === "arn:aws:states:::lambda:invoke" ? invokedFunction(state) : String(state.Resource);
      const handler = this.functions.get(arn);
      if (handler !== undefined) functions[arn] = handler;
    }
    const spec: WorkflowSpec = { name, functions, definition: () => definition };
    try {
      return await buildWorkflow(spec, (arn) => arn);
    } catch (error) {
      throw invalidDefinition(`Invalid State Machine Definition: '${(error as Error).message}'`);
    }
  }
}

function requireDefinition(definition: unknown): string {
  if (typeof definition !== "string" || definition === "") {
    throw validationError("1 validation error detected: Value at 'definition' failed to satisfy constraint");
  }
  return definition;
}

function requireRole(roleArn: unknown): string {
  if (typeof roleArn !== "string" || !roleArn.startsWith("arn:aws:iam::")) {
    throw invalidArn(`Invalid Role Arn: '${String(roleArn)}'`);
  }
  return roleArn;
}
