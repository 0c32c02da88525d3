import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { LOCAL_ACCOUNT } from "../../../../../local/server/service.js";
import { localFunctionArn } from "../../../../../local/states/bindings.js";
import { Executions } from "../../../../../local/states/executions.js";
import { StateMachines } from "../../../../../local/states/state-machines.js";
import type { ExecutionRecord } from "../../../../../local/states/store.js";
import { StatesStore } from "../../../../../local/states/store.js";
import { checkInput } from "../../../../../local/states/validation.js";
import type { ConformanceCase } from "./case.js";

export const REGION = "us-east-1";
const ROLE = `arn:aws:iam::${LOCAL_ACCOUNT}:role/conformance`;
const HANDLERS = "test/unit/local/states/conformance/handlers";

/** The Lambda ARN a case's Task calls for one of the handlers in handlers.ts. */
export const fn = (name: "echo" | "fail" | "flaky") =>
  localFunctionArn("conformance", name, REGION, LOCAL_ACCOUNT);

export interface CaseResult {
  name: string;
  passed: boolean;
  /** What differed from the documented answer, one line each. */
  differences: string[];
  /** The execution's history as recorded (none when it was refused). */
  events: ExecutionRecord["events"];
}

/** A local Step Functions (in this process, its data in a temporary directory) to run cases on. */
export class ConformanceRunner {
  private readonly dir = mkdtempSync(path.join(tmpdir(), "mqops-conformance-"));
  private readonly store = new StatesStore(this.dir);
  private readonly machines = new StateMachines(this.store, REGION);
  private readonly executions = new Executions(this.store, this.machines, {
    region: REGION,
    skipDelays: true,
  });
  private readonly ready = this.machines.registerWorkflows([
    {
      name: "conformance",
      functions: { echo: `${HANDLERS}.echo`, fail: `${HANDLERS}.fail`, flaky: `${HANDLERS}.flaky` },
      definition: (arn) => ({
        Comment: "Binds the handlers the conformance cases call",
        StartAt: "Echo",
        States: {
          Echo: { Type: "Task", Resource: arn("echo"), Next: "Fail" },
          Fail: { Type: "Task", Resource: arn("fail"), Next: "Flaky" },
          Flaky: { Type: "Task", Resource: arn("flaky"), End: true },
        },
      }),
    },
  ]);
  private count = 0;

  async run(testCase: ConformanceCase): Promise<CaseResult> {
    await this.ready;
    const differences: string[] = [];
    let record: ExecutionRecord;
    try {
      const machine = await this.machines.create({
        name: `case-${++this.count}`,
        definition: JSON.stringify(testCase.definition),
        roleArn: ROLE,
      });
      record = this.executions.start(
        this.machines.get(machine.stateMachineArn),
        "run",
        checkInput(JSON.stringify(testCase.input ?? {})),
      );
    } catch (error) {
      const name = (error as { name?: string }).name ?? "Error";
      if (testCase.expect.refused === name)
        return { name: testCase.name, passed: true, differences, events: [] };
      return {
        name: testCase.name,
        passed: false,
        differences: [`refused: ${name}: ${(error as Error).message}`],
        events: [],
      };
    }
    if (testCase.expect.refused !== undefined)
      differences.push(`expected ${testCase.expect.refused}, was accepted`);
    const deadline = Date.now() + 10_000;
    while (record.status === "RUNNING" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    const { expect } = testCase;
    const check = (what: string, actual: unknown, expected: unknown) => {
      if (expected !== undefined && !isDeepStrictEqual(actual, expected)) {
        differences.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      }
    };
    check("status", record.status, expect.status);
    if (expect.output !== undefined)
      check("output", record.output === undefined ? undefined : JSON.parse(record.output), expect.output);
    check("error", record.error, expect.error);
    check("cause", record.cause, expect.cause);
    if (expect.history !== undefined) {
      const actual = record.events.map((event) => `${event.id} ${event.previousEventId} ${event.type}`);
      check("history", actual, expect.history);
    }
    if (expect.details !== undefined) {
      for (const [id, details] of Object.entries(expect.details)) {
        const event = record.events.find((candidate) => candidate.id === Number(id));
        const member = Object.values(event?.details ?? {})[0];
        check(`event ${id} details`, member, details);
      }
    }
    return { name: testCase.name, passed: differences.length === 0, differences, events: record.events };
  }

  async close(): Promise<void> {
    await this.executions.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
