import { describe, expect, it } from "vitest";
import { ERRORS } from "../../functions/lib/errors.js";
import { LAMBDA_TRANSIENT_ERRORS } from "../../workflows/asl.js";
import { autoscaling } from "../../workflows/autoscaling.js";
import { TRIGGERS } from "../../workflows/triggers.js";

const definition = autoscaling.definition((key) => `arn:aws:lambda:us-east-1:123456789012:function:${key}`);
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === "Task");
type Catcher = { ErrorEquals: string[]; Next: string };

describe("the autoscaling definition", () => {
  it("runs one Lambda per step, each Task bounded, retried on throttling and transient errors", () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(Object.keys(autoscaling.functions).sort());
    for (const [name, state] of tasks) {
      expect(state.TimeoutSeconds, name).toBeLessThanOrEqual(30);
      const retried = (state.Retry as { ErrorEquals: string[] }[]).flatMap((retry) => retry.ErrorEquals);
      expect(retried, name).toEqual(
        expect.arrayContaining([...LAMBDA_TRANSIENT_ERRORS, ERRORS.Throttled, ERRORS.TransientAws]),
      );
      expect(retried, name).not.toContain("States.ALL");
    }
  });

  it("catches every error of every Task, recording it before a named Fail", () => {
    for (const [name, state] of tasks) {
      const catchers = state.Catch as Catcher[];
      const last = catchers.at(-1);
      expect(last?.ErrorEquals, name).toEqual(["States.ALL"]);
      const target =
        name === "RecordFailure"
          ? "RouteFailure"
          : name === "ResolveRegistration"
            ? "AutoscalingFailed"
            : "RecordFailure";
      expect(last?.Next, name).toBe(target);
    }
    const fails = states.filter(([, state]) => state.Type === "Fail").map(([, state]) => state.Error);
    expect(fails.sort()).toEqual(
      [ERRORS.AutoscalingFailed, ERRORS.RegistrationNotFound, ERRORS.ServiceNotFound].sort(),
    );
  });

  it("routes the named errors where they belong", () => {
    const route = (task: string, error: string) =>
      ((definition.States[task]?.Catch ?? []) as Catcher[]).find((c) => c.ErrorEquals.includes(error))?.Next;
    expect(route("ResolveRegistration", ERRORS.RegistrationNotFound)).toBe("RegistrationNotFound");
    expect(route("AcquireLease", ERRORS.DecisionInProgress)).toBe("AnotherDecisionInProgress");
    expect(route("ApplyDecision", ERRORS.DecisionSuperseded)).toBe("Superseded");
    expect(route("RecordDecision", ERRORS.DecisionSuperseded)).toBe("Superseded");
  });

  it("waits one alarm period between rounds", () => {
    expect(definition.States.WaitOnePeriod).toEqual({
      Type: "Wait",
      SecondsPath: "$.registration.periodSeconds",
      Next: "ResolveRegistration",
    });
  });

  it("is started by the alarm trigger named autoscaling", () => {
    expect(TRIGGERS).toContainEqual(
      expect.objectContaining({ workflow: "autoscaling", kind: "alarm", name: "autoscaling" }),
    );
  });
});
