import { afterAll, describe, expect, it } from "vitest";
import { ConformanceRunner, fn } from "./conformance/runner.js";

const runner = new ConformanceRunner();
afterAll(() => runner.close());

type Events = Awaited<ReturnType<ConformanceRunner["run"]>>["events"];

/** Every event links to an earlier one, and ids run 1, 2, 3… */
function expectWellLinked(events: Events) {
  expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
  for (const event of events) expect(event.previousEventId).toBeLessThan(event.id);
}

describe("history links with concurrent iterations and branches", () => {
  it("records a Map of Tasks running at once iteration after iteration, none lost", async () => {
    const items = ["a", "b", "c", "d", "e", "f"];
    const { events, passed, differences } = await runner.run({
      name: "map of tasks",
      source: "history links",
      definition: {
        StartAt: "M",
        States: {
          M: {
            Type: "Map",
            ItemProcessor: {
              StartAt: "T",
              States: {
                T: { Type: "Task", Resource: fn("echo"), Next: "P" },
                P: { Type: "Pass", End: true },
              },
            },
            End: true,
          },
        },
      },
      input: items,
      expect: { status: "SUCCEEDED", output: items },
    });

    expect(differences).toEqual([]);
    expect(passed).toBe(true);
    expectWellLinked(events);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === "LambdaFunctionSucceeded")).toHaveLength(items.length);
    // Each iteration's nine events are together, in index order.
    const iteration = [
      "MapIterationStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "PassStateEntered",
      "PassStateExited",
      "MapIterationSucceeded",
    ];
    expect(types.slice(3, 3 + iteration.length * items.length)).toEqual(items.flatMap(() => iteration));
    const started = events.filter((event) => event.type === "MapIterationStarted");
    expect(started.map((event) => event.details?.mapIterationStartedEventDetails?.index)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
  });

  it("links a branch's first event to ParallelStateStarted and the end to the last branch event", async () => {
    const { events } = await runner.run({
      name: "parallel of tasks",
      source: "history links",
      definition: {
        StartAt: "P",
        States: {
          P: {
            Type: "Parallel",
            Branches: [0, 1, 2].map((branch) => ({
              StartAt: `T${branch}`,
              States: { [`T${branch}`]: { Type: "Task", Resource: fn("echo"), End: true } },
            })),
            End: true,
          },
        },
      },
      input: { x: 1 },
      expect: { status: "SUCCEEDED", output: [{ x: 1 }, { x: 1 }, { x: 1 }] },
    });

    expectWellLinked(events);
    const start = events.find((event) => event.type === "ParallelStateStarted");
    const firsts = events.filter((event) => event.type === "TaskStateEntered");
    expect(firsts.map((event) => event.previousEventId)).toEqual([start?.id, start?.id, start?.id]);
    const succeeded = events.find((event) => event.type === "ParallelStateSucceeded");
    const exited = events.find((event) => event.type === "ParallelStateExited");
    const lastBranchEvent = events.filter((event) => event.type === "TaskStateExited").at(-1);
    expect(succeeded?.previousEventId).toBe(lastBranchEvent?.id);
    expect(exited?.previousEventId).toBe(lastBranchEvent?.id);
  });
});
