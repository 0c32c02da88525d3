import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executionView } from "../../../../functions/api/execution-view.js";
import { stateMachineArnFor } from "../../../../local/states/service.js";
import { dataDirectory, functionArn, REGION, startStates, untilEnded } from "./fixtures.js";

const GREETING = stateMachineArnFor("greeting", REGION);
const REJECTING = stateMachineArnFor("rejecting", REGION);
const UNCAUGHT = stateMachineArnFor("uncaught", REGION);

let data: ReturnType<typeof dataDirectory>;
let states: Awaited<ReturnType<typeof startStates>>;
let sfn: SFNClient;

beforeEach(async () => {
  data = dataDirectory();
  states = await startStates(data.dir);
  sfn = states.sfn;
});

afterEach(async () => {
  await states.endpoint.close();
  data.remove();
});

const start = (stateMachineArn: string, name: string, input: unknown) =>
  sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));

describe("StartExecution and DescribeExecution", () => {
  it("runs an execution to SUCCEEDED with its output, dates and input", async () => {
    const started = await start(GREETING, "greet-ada", { name: "Ada" });

    expect(started.executionArn).toBe(`arn:aws:states:${REGION}:000000000000:execution:greeting:greet-ada`);
    expect(started.startDate).toBeInstanceOf(Date);
    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution).toMatchObject({
      status: "SUCCEEDED",
      name: "greet-ada",
      stateMachineArn: GREETING,
      input: JSON.stringify({ name: "Ada" }),
    });
    expect(JSON.parse(execution.output ?? "")).toEqual({ greeting: "hello Ada" });
    expect(execution.stopDate?.getTime()).toBeGreaterThanOrEqual(execution.startDate?.getTime() ?? Infinity);
    expect(execution.startDate?.getTime()).toBe(started.startDate?.getTime());
  });

  it("ends FAILED with the Fail state's error and cause when a caught task fails", async () => {
    const started = await start(REJECTING, "reject-1", { orderId: "o-1" });

    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution).toMatchObject({
      status: "FAILED",
      error: "OrderRejectedError",
      cause: "The order was rejected",
    });
  });

  it("ends FAILED with the function's error name and Lambda's JSON cause when nothing catches it", async () => {
    const started = await start(UNCAUGHT, "reject-2", { orderId: "o-2" });

    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("OrderRejectedError");
    expect(JSON.parse(execution.cause ?? "")).toMatchObject({
      errorType: "OrderRejectedError",
      errorMessage: "order o-2 rejected",
    });
  });

  it("returns the same execution for the same name and input while it runs", async () => {
    const input = { name: "Grace", wait: true, waitSeconds: 3600 };
    const first = await start(GREETING, "same-name", input);

    const second = await start(GREETING, "same-name", input);

    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate?.getTime()).toBe(first.startDate?.getTime());
  });

  it("refuses the same name with another input with ExecutionAlreadyExists", async () => {
    await start(GREETING, "taken", { name: "Grace", wait: true, waitSeconds: 3600 });

    await expect(start(GREETING, "taken", { name: "Linus" })).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("refuses a name already used by an ended execution, even with the same input", async () => {
    const started = await start(GREETING, "ended", { name: "Ada" });
    await untilEnded(sfn, started.executionArn ?? "");

    await expect(start(GREETING, "ended", { name: "Ada" })).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
    });
  });

  it("refuses bad names, bad input and unknown state machines with Step Functions' errors", async () => {
    await expect(start(GREETING, "has space", {})).rejects.toMatchObject({ name: "InvalidName" });
    await expect(start(GREETING, "x".repeat(81), {})).rejects.toMatchObject({ name: "InvalidName" });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: GREETING, name: "bad-json", input: "{nope" })),
    ).rejects.toMatchObject({ name: "InvalidExecutionInput" });
    await expect(start(GREETING, "too-big", { blob: "x".repeat(256 * 1024) })).rejects.toMatchObject({
      name: "InvalidExecutionInput",
    });
    await expect(start(stateMachineArnFor("nothing", REGION), "n", {})).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
    });
    await expect(start("arn:aws:sns:us-east-1:000000000000:topic", "n", {})).rejects.toMatchObject({
      name: "InvalidArn",
    });
  });

  it("answers DescribeExecution of an unknown execution with ExecutionDoesNotExist", async () => {
    const executionArn = `arn:aws:states:${REGION}:000000000000:execution:greeting:never-started`;

    await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject({
      name: "ExecutionDoesNotExist",
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe("GetExecutionHistory", () => {
  it("lists Step Functions' event types in order, with increasing ids and details", async () => {
    const started = await start(GREETING, "history", { name: "Ada", wait: true, waitSeconds: 0 });
    await untilEnded(sfn, started.executionArn ?? "");

    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );

    expect(events.map((event) => event.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    // As on AWS: ExecutionStarted and the first state's event both link to 0, then each to the one before.
    expect(events.map((event) => event.previousEventId)).toEqual(
      events.map((_, index) => (index === 1 ? 0 : index)),
    );
    for (const event of events) expect(event.timestamp).toBeInstanceOf(Date);
    expect(events[1]?.stateEnteredEventDetails?.name).toBe("Greet");
    expect(events[2]?.lambdaFunctionScheduledEventDetails).toMatchObject({
      resource: functionArn("greeting", "Greet"),
      input: JSON.stringify({ name: "Ada" }),
      timeoutInSeconds: 10,
    });
    expect(JSON.parse(events[4]?.lambdaFunctionSucceededEventDetails?.output ?? "")).toEqual({
      greeting: "hello Ada",
    });
    expect(JSON.parse(events[12]?.executionSucceededEventDetails?.output ?? "")).toEqual({
      greeting: "hello Ada",
    });
  });

  it("records a failed function and the Fail state before ExecutionFailed", async () => {
    const started = await start(REJECTING, "history-failed", { orderId: "o-3" });
    await untilEnded(sfn, started.executionArn ?? "");

    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );

    expect(events.map((event) => event.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "TaskStateExited",
      "FailStateEntered",
      "ExecutionFailed",
    ]);
    expect(events[4]?.lambdaFunctionFailedEventDetails?.error).toBe("OrderRejectedError");
    expect(events[7]?.executionFailedEventDetails).toEqual({
      error: "OrderRejectedError",
      cause: "The order was rejected",
    });
  });

  it("pages newest first with reverseOrder, maxResults and nextToken, as get-execution reads it", async () => {
    const started = await start(GREETING, "history-pages", { name: "Ada" });
    await untilEnded(sfn, started.executionArn ?? "");
    const executionArn = started.executionArn;

    const first = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3 }),
    );
    const second = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 3,
        nextToken: first.nextToken,
      }),
    );

    expect(first.events?.map((event) => event.type)).toEqual([
      "ExecutionSucceeded",
      "PassStateExited",
      "PassStateEntered",
    ]);
    expect(first.events?.[0]?.id).toBeGreaterThan(first.events?.[1]?.id ?? Infinity);
    expect(second.events?.[0]?.type).toBe("ChoiceStateExited");
    expect(first.nextToken).toBeDefined();
    await expect(
      sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: "forged" })),
    ).rejects.toMatchObject({ name: "InvalidToken" });
  });

  it("leaves inputs and outputs out when includeExecutionData is false", async () => {
    const started = await start(GREETING, "history-no-data", { name: "Ada" });
    await untilEnded(sfn, started.executionArn ?? "");

    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, includeExecutionData: false }),
    );

    expect(JSON.stringify(events)).not.toContain("Ada");
    expect(events[1]?.stateEnteredEventDetails?.name).toBe("Greet");
  });
});

describe("Retry in the history", () => {
  it("records the failed attempt and the retried one as Step Functions does", async () => {
    const definition = JSON.stringify({
      Comment: "retries once",
      StartAt: "Flaky",
      States: {
        Flaky: {
          Type: "Task",
          Resource: functionArn("uncaught", "Flaky"),
          TimeoutSeconds: 5,
          Retry: [{ ErrorEquals: ["FlakyError"], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
        },
      },
    });
    const { stateMachineArn = "" } = await sfn.send(
      new CreateStateMachineCommand({
        name: "flaky",
        definition,
        roleArn: "arn:aws:iam::000000000000:role/r",
      }),
    );

    const started = await start(stateMachineArn, "flaky-1", { key: "flaky-1" });

    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution.status).toBe("SUCCEEDED");
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );
    expect(events.map((event) => event.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionFailed",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(events[4]?.lambdaFunctionFailedEventDetails?.error).toBe("FlakyError");
  });
});

describe("TimeoutSeconds", () => {
  it("ends an execution that outlives its state machine's TimeoutSeconds TIMED_OUT", async () => {
    const definition = JSON.stringify({
      Comment: "times out",
      TimeoutSeconds: 1,
      StartAt: "Pause",
      States: { Pause: { Type: "Wait", Seconds: 3600, End: true } },
    });
    const { stateMachineArn = "" } = await sfn.send(
      new CreateStateMachineCommand({
        name: "slow",
        definition,
        roleArn: "arn:aws:iam::000000000000:role/r",
      }),
    );

    const started = await start(stateMachineArn, "too-slow", {});

    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true }),
    );
    expect(events[0]?.type).toBe("ExecutionTimedOut");
  });
});

describe("StopExecution", () => {
  it("aborts a running execution: ABORTED with the error and cause given, ExecutionAborted last", async () => {
    const started = await start(GREETING, "to-stop", { name: "Ada", wait: true, waitSeconds: 3600 });
    const executionArn = started.executionArn;

    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn, error: "Operator.Cancelled", cause: "not needed" }),
    );

    expect(stopped.stopDate).toBeInstanceOf(Date);
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: "ABORTED", error: "Operator.Cancelled", cause: "not needed" });
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(events[0]).toMatchObject({
      type: "ExecutionAborted",
      executionAbortedEventDetails: { error: "Operator.Cancelled", cause: "not needed" },
    });
    expect(
      events.find((event) => event.stateEnteredEventDetails !== undefined)?.stateEnteredEventDetails?.name,
    ).toBe("Pause");
  });
});

describe("GET /executions/{id} over the local history", () => {
  it("gives execution-view the status, the current step and the error as get-execution reads them", async () => {
    const started = await start(REJECTING, "viewed", { orderId: "o-4" });
    await untilEnded(sfn, started.executionArn ?? "");
    const executionArn = started.executionArn;

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }),
    );
    const view = executionView("viewed", execution, history.events ?? []);

    expect(view).toMatchObject({
      executionId: "viewed",
      status: "FAILED",
      currentStep: "Rejected",
      error: { error: "OrderRejectedError", cause: "The order was rejected" },
    });
    expect(view.startDate).toBe(execution.startDate?.toISOString());
  });
});

describe("ListExecutions", () => {
  it("filters by status and pages newest first", async () => {
    const waiting = { name: "Ada", wait: true, waitSeconds: 3600 };
    for (const name of ["done-1", "done-2", "done-3"]) {
      const started = await start(GREETING, name, { name });
      await untilEnded(sfn, started.executionArn ?? "");
    }
    await start(GREETING, "still-running", waiting);

    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: GREETING, statusFilter: "RUNNING" }),
    );
    const page1 = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: GREETING, statusFilter: "SUCCEEDED", maxResults: 2 }),
    );
    const page2 = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: GREETING,
        statusFilter: "SUCCEEDED",
        maxResults: 2,
        nextToken: page1.nextToken,
      }),
    );

    expect(running.executions?.map((execution) => execution.name)).toEqual(["still-running"]);
    expect(page1.executions?.map((execution) => execution.name)).toEqual(["done-3", "done-2"]);
    expect(page2.executions?.map((execution) => execution.name)).toEqual(["done-1"]);
    expect(page2.nextToken).toBeUndefined();
    expect(page1.executions?.[0]).toMatchObject({ status: "SUCCEEDED", stateMachineArn: GREETING });
    expect(page1.executions?.[0]?.startDate).toBeInstanceOf(Date);
  });
});
