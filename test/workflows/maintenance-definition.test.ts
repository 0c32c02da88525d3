import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import * as errors from "../../functions/lib/errors.js";
import { ERRORS, MAINTENANCE_ERRORS } from "../../functions/lib/errors.js";
import { maintenance } from "../../workflows/maintenance.js";
import { MAINTENANCE_SCHEDULE, TRIGGERS } from "../../workflows/triggers.js";

type AslValidator = (definition: unknown) => { isValid: boolean; errors: unknown[] };
const validateAsl = createRequire(import.meta.url)("asl-validator") as AslValidator;

const definition = maintenance.definition(
  (key) => `arn:aws:lambda:us-east-1:123456789012:function:mqops-${key}`,
);

/** Every state, nested Map processors included: [name, state]. */
function states(value: {
  States: Record<string, Record<string, unknown>>;
}): [string, Record<string, unknown>][] {
  return Object.entries(value.States).flatMap(([name, state]) => {
    const nested = state.ItemProcessor as { States: Record<string, Record<string, unknown>> } | undefined;
    return [
      [name, state] as [string, Record<string, unknown>],
      ...(nested === undefined ? [] : states(nested)),
    ];
  });
}

const NAMED = new Set<string>([...Object.values(ERRORS), ...Object.values(MAINTENANCE_ERRORS)]);
/** Names Amazon MQ's SDK errors carry that the workflow retries on as they are. */
const AWS_ERRORS = new Set(["ConflictException"]);

describe("the maintenance definition", () => {
  it("passes asl-validator, with state names unique across the canary's and the wave's processors", () => {
    const result = validateAsl(structuredClone(definition));
    expect(result.errors).toEqual([]);
    const names = states(definition).map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("gives every Task a timeout, retries on transient errors and a Catch", () => {
    const tasks = states(definition).filter(([, state]) => state.Type === "Task");
    expect(tasks.length).toBeGreaterThan(20);
    for (const [name, task] of tasks) {
      expect(task.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(JSON.stringify(task.Retry), name).toContain("ThrottledError");
      expect((task.Catch as unknown[] | undefined)?.length, name).toBeGreaterThan(0);
    }
  });

  it("names in ErrorEquals and Fail states only errors that functions/lib/errors.ts exports", () => {
    for (const [name, state] of states(definition)) {
      const rules = [
        ...((state.Retry as { ErrorEquals: string[] }[]) ?? []),
        ...((state.Catch as { ErrorEquals: string[] }[]) ?? []),
      ];
      for (const error of rules.flatMap((rule) => rule.ErrorEquals)) {
        const known =
          error.startsWith("States.") ||
          error.startsWith("Lambda.") ||
          AWS_ERRORS.has(error) ||
          NAMED.has(error);
        expect(known, `${name}: ${error}`).toBe(true);
      }
      if (state.Type === "Fail") expect(NAMED.has(String(state.Error)), name).toBe(true);
    }
    // The step errors are classes exported under their own names (Fail-only names are not thrown).
    const failOnly: string[] = [MAINTENANCE_ERRORS.CanaryFailed, MAINTENANCE_ERRORS.MaintenanceFailed];
    for (const name of Object.values(MAINTENANCE_ERRORS).filter((n) => !failOnly.includes(n))) {
      expect(typeof (errors as Record<string, unknown>)[name], name).toBe("function");
    }
  });

  it("is started hourly on the hour, with the schedule's time, and by POST /maintenance", () => {
    expect(TRIGGERS).toContainEqual(MAINTENANCE_SCHEDULE);
    expect(MAINTENANCE_SCHEDULE).toMatchObject({
      workflow: "maintenance",
      expression: "cron(0 * * * ? *)",
      input: { selection: "window", scheduledTime: "<aws.scheduler.scheduled-time>" },
    });
    expect(TRIGGERS).toContainEqual({ workflow: "maintenance", kind: "http", route: "POST /maintenance" });
  });
});
