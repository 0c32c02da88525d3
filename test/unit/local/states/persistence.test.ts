import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stateMachineArnFor } from "../../../../local/states/service.js";
import { dataDirectory, functionArn, REGION, startStates, untilEnded } from "./fixtures.js";

const GREETING = stateMachineArnFor("greeting", REGION);

let data: ReturnType<typeof dataDirectory>;
let running: Awaited<ReturnType<typeof startStates>> | undefined;

beforeEach(() => {
  data = dataDirectory();
});

afterEach(async () => {
  await running?.endpoint.close();
  running = undefined;
  data.remove();
});

async function start(options: Parameters<typeof startStates>[1] = {}) {
  running = await startStates(data.dir, options);
  return running.sfn;
}

async function stop() {
  await running?.endpoint.close();
  running = undefined;
}

const startExecution = (sfn: SFNClient, stateMachineArn: string, name: string, input: unknown) =>
  sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));

describe("persistence", () => {
  it("keeps ended executions with their output and history, and created state machines, across a restart", async () => {
    let sfn = await start();
    const started = await startExecution(sfn, GREETING, "kept", { name: "Ada" });
    await untilEnded(sfn, started.executionArn ?? "");
    const definition = JSON.stringify({
      Comment: "created through the API",
      StartAt: "Greet",
      States: { Greet: { Type: "Task", Resource: functionArn("greeting", "Greet"), End: true } },
    });
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: "made-by-api",
        definition,
        roleArn: "arn:aws:iam::000000000000:role/r",
      }),
    );
    const historyBefore = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );
    await stop();

    sfn = await start();

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "")).toEqual({ greeting: "hello Ada" });
    const historyAfter = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );
    expect(historyAfter.events).toEqual(historyBefore.events);
    const machine = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(machine.definition).toBe(definition);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: GREETING }));
    expect(listed.executions?.map((item) => item.name)).toEqual(["kept"]);
  });

  it("re-runs an execution the stopped cloud left RUNNING, with the same name and input, as a redrive", async () => {
    let sfn = await start();
    const input = { name: "Grace", wait: true, waitSeconds: 3600 };
    const started = await startExecution(sfn, GREETING, "interrupted", input);
    await stop();

    // The next start shortens the Wait, so the re-run ends within the test.
    sfn = await start({ skipDelays: true, resume: false });
    const beforeResume = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(beforeResume.status).toBe("RUNNING");
    await running?.service.resume();

    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution).toMatchObject({ status: "SUCCEEDED", name: "interrupted", redriveCount: 1 });
    expect(execution.input).toBe(JSON.stringify(input));
    expect(execution.startDate?.getTime()).toBe(started.startDate?.getTime());
    expect(JSON.parse(execution.output ?? "")).toEqual({ greeting: "hello Grace" });
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn }),
    );
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("ExecutionStarted");
    expect(types.filter((type) => type === "ExecutionStarted")).toHaveLength(1);
    expect(types).toContain("ExecutionRedriven");
    expect(types.indexOf("ExecutionRedriven")).toBeLessThan(types.lastIndexOf("TaskStateEntered"));
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
  });

  it("ends FAILED with States.Runtime an interrupted execution whose state machine is gone", async () => {
    let sfn = await start();
    const definition = JSON.stringify({
      Comment: "waits",
      StartAt: "Pause",
      States: { Pause: { Type: "Wait", Seconds: 3600, End: true } },
    });
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: "short-lived",
        definition,
        roleArn: "arn:aws:iam::000000000000:role/r",
      }),
    );
    const started = await startExecution(sfn, stateMachineArn ?? "", "orphan", {});
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await stop();

    sfn = await start();

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("States.Runtime");
    expect(execution.cause).toMatch(/local cloud stopped during this execution/);
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true }),
    );
    expect(events[0]?.type).toBe("ExecutionFailed");
  });
});
