import type { HistoryEvent, HistoryEventType } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { stateMachineGraph } from "../../../console/graph/asl-graph.js";
import { edgeKey, executionPath } from "../../../console/graph/execution-path.js";
import { graphSvg } from "../../../console/graph/graph-svg.js";

// The provisioning saga's shape: a Task with Retry and Catch into compensation, a Map, a Choice, Fail.
const DEFINITION = JSON.stringify({
  StartAt: "CreateBroker",
  States: {
    CreateBroker: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:000000000000:function:create",
      Next: "Users",
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Compensate" }],
    },
    Users: {
      Type: "Map",
      ItemProcessor: { StartAt: "PutUser", States: { PutUser: { Type: "Pass", End: true } } },
      Next: "IsRunning",
    },
    IsRunning: {
      Type: "Choice",
      Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }],
      Default: "Compensate",
    },
    Compensate: { Type: "Pass", Next: "CreationFailed" },
    CreationFailed: { Type: "Fail", Error: "BrokerCreationFailed", Cause: "see the history" },
    Done: { Type: "Succeed" },
  },
});

let id = 0;
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, seconds));
const event = (type: HistoryEventType, details: Partial<HistoryEvent> = {}): HistoryEvent => ({
  id: ++id,
  type,
  timestamp: at(id),
  ...details,
});
const entered = (type: string, name: string, input = "{}") =>
  event(`${type}StateEntered` as HistoryEventType, { stateEnteredEventDetails: { name, input } });
const exited = (type: string, name: string, output = "{}") =>
  event(`${type}StateExited` as HistoryEventType, { stateExitedEventDetails: { name, output } });

describe("stateMachineGraph", () => {
  it("has Start, End, one node per top-level state and an edge per Next, Choice, Default, Catch and end", () => {
    const graph = stateMachineGraph(DEFINITION);
    expect(graph.nodes.map((n) => n.id)).toEqual([
      "Start",
      "CreateBroker",
      "Users",
      "IsRunning",
      "Compensate",
      "CreationFailed",
      "Done",
      "End",
    ]);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: "Start", to: "CreateBroker", kind: "next" },
        { from: "CreateBroker", to: "Compensate", kind: "catch" },
        { from: "IsRunning", to: "Done", kind: "choice" },
        { from: "IsRunning", to: "Compensate", kind: "default" },
        { from: "CreationFailed", to: "End", kind: "end" },
        { from: "Done", to: "End", kind: "end" },
      ]),
    );
    expect(graph.enclosing.get("PutUser")).toBe("Users");
  });

  it("refuses a definition that is not ASL", () => {
    expect(() => stateMachineGraph('{"Comment":"x"}')).toThrow(/not an Amazon States Language definition/);
  });
});

describe("executionPath", () => {
  const graph = stateMachineGraph(DEFINITION);

  it("marks a caught task and the Fail state failed, with their errors, and the edges taken", () => {
    id = 0;
    const path = executionPath(graph, [
      event("ExecutionStarted"),
      entered("Task", "CreateBroker", '{"users":[{"password":"x"}]}'),
      event("LambdaFunctionFailed", {
        lambdaFunctionFailedEventDetails: { error: "ConflictException", cause: "name taken" },
      }),
      entered("Pass", "Compensate"),
      exited("Pass", "Compensate"),
      entered("Fail", "CreationFailed"),
      event("ExecutionFailed", {
        executionFailedEventDetails: { error: "BrokerCreationFailed", cause: "see the history" },
      }),
    ]);
    expect(path.visited).toEqual(["CreateBroker", "Compensate", "CreationFailed"]);
    expect(path.failed.get("CreateBroker")).toEqual({ error: "ConflictException", cause: "name taken" });
    expect(path.failed.get("CreationFailed")).toEqual({
      error: "BrokerCreationFailed",
      cause: "see the history",
    });
    expect(path.failed.has("Compensate")).toBe(false);
    expect([...path.taken]).toEqual([
      edgeKey("Start", "CreateBroker"),
      edgeKey("CreateBroker", "Compensate"),
      edgeKey("Compensate", "CreationFailed"),
    ]);
    expect(path.current).toBeUndefined();
    expect(path.steps.map((s) => [s.name, s.failure?.error])).toEqual([
      ["CreateBroker", "ConflictException"],
      ["Compensate", undefined],
      ["CreationFailed", "BrokerCreationFailed"],
    ]);
  });

  it("does not mark a task that failed once and then succeeded on retry, and folds Map iterations in", () => {
    id = 0;
    const path = executionPath(graph, [
      event("ExecutionStarted"),
      entered("Task", "CreateBroker"),
      event("LambdaFunctionFailed", {
        lambdaFunctionFailedEventDetails: { error: "Lambda.ServiceException" },
      }),
      event("LambdaFunctionSucceeded"),
      exited("Task", "CreateBroker"),
      entered("Map", "Users"),
      entered("Pass", "PutUser"),
      exited("Pass", "PutUser"),
      entered("Pass", "PutUser"),
      exited("Pass", "PutUser"),
      exited("Map", "Users"),
      entered("Choice", "IsRunning"),
    ]);
    expect(path.failed.size).toBe(0);
    expect(path.visited).toEqual(["CreateBroker", "Users", "IsRunning"]);
    expect(path.steps).toHaveLength(3);
    expect(path.current).toBe("IsRunning");
  });

  it("takes the edge to End when the execution succeeds", () => {
    id = 0;
    const path = executionPath(graph, [
      entered("Choice", "IsRunning"),
      exited("Choice", "IsRunning"),
      entered("Succeed", "Done"),
      exited("Succeed", "Done"),
      event("ExecutionSucceeded"),
    ]);
    expect(path.taken.has(edgeKey("Done", "End"))).toBe(true);
  });
});

describe("graphSvg", () => {
  it("lays out every state with its status, the failed one marked, escaping state names", () => {
    const definition = JSON.stringify({
      StartAt: "A<b>",
      States: { "A<b>": { Type: "Pass", Next: "Boom" }, Boom: { Type: "Fail", Error: "E" } },
    });
    const graph = stateMachineGraph(definition);
    id = 0;
    const path = executionPath(graph, [
      entered("Pass", "A<b>"),
      exited("Pass", "A<b>"),
      entered("Fail", "Boom"),
      event("ExecutionFailed", { executionFailedEventDetails: { error: "E", cause: "" } }),
    ]);
    const svg = graphSvg(graph, path, "test");
    expect(svg).toContain('data-state="A&lt;b&gt;" data-status="done"');
    expect(svg).toMatch(/class="node node--visited node--failed" data-state="Boom" data-status="failed"/);
    expect(svg).toContain("edge--taken");
    expect(svg).not.toContain("<b>");
    expect(svg.match(/<g class="node/g)).toHaveLength(4);
  });
});
