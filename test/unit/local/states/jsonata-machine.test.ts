import { describe, expect, it } from "vitest";
import { JsonataStateMachine } from "../../../../local/states/jsonata/machine.js";

const waiting = (extra: Record<string, unknown> = {}) =>
  new JsonataStateMachine({
    QueryLanguage: "JSONata",
    StartAt: "W",
    States: { W: { Type: "Wait", Seconds: 60, End: true } },
    ...extra,
  } as ConstructorParameters<typeof JsonataStateMachine>[0]);

async function typesOf(run: ReturnType<JsonataStateMachine["run"]>) {
  run.result.catch(() => undefined);
  const types: string[] = [];
  for await (const event of run.eventLogs) types.push(event.type);
  return types;
}

describe("the JSONata machine's end of a run", () => {
  it("ends with ExecutionTimeout past the machine's TimeoutSeconds, the waiting state unexited", async () => {
    const types = await typesOf(waiting({ TimeoutSeconds: 1 }).run({}));

    expect(types).toEqual(["ExecutionStarted", "StateEntered", "ExecutionTimeout"]);
  });

  it("ends with ExecutionAborted when stopped", async () => {
    const run = waiting().run({});
    const types = typesOf(run);
    run.abort();

    expect(await types).toEqual(["ExecutionStarted", "StateEntered", "ExecutionAborted"]);
  });

  it("refuses a definition whose transitions lead nowhere", () => {
    expect(
      () =>
        new JsonataStateMachine({
          QueryLanguage: "JSONata",
          StartAt: "A",
          States: { A: { Type: "Pass", Next: "Nowhere" } },
        } as ConstructorParameters<typeof JsonataStateMachine>[0]),
    ).toThrow(/MISSING_TRANSITION_TARGET/);
  });
});
