import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stateMachineArnFor, stateMachineEnvironment } from "../../../../local/states/service.js";
import { dataDirectory, functionArn, REGION, startStates, untilEnded, WORKFLOWS } from "./fixtures.js";

const ROLE = "arn:aws:iam::000000000000:role/test-states";

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

/** A one-Task definition calling `resource`. */
const oneTask = (resource: string, comment = "one task") =>
  JSON.stringify({
    Comment: comment,
    StartAt: "Greet",
    States: { Greet: { Type: "Task", Resource: resource, TimeoutSeconds: 5, End: true } },
  });

describe("registered workflows", () => {
  it("registers every workflow under its name, with the ARN the launcher sets for the handlers", async () => {
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));

    expect(stateMachines.map((machine) => machine.name)).toEqual(["greeting", "rejecting", "uncaught"]);
    expect(stateMachines[0]).toMatchObject({
      stateMachineArn: stateMachineArnFor("greeting", REGION),
      type: "STANDARD",
    });
    expect(stateMachineEnvironment(WORKFLOWS, REGION)).toMatchObject({
      GREETING_STATE_MACHINE_ARN: "arn:aws:states:us-east-1:000000000000:stateMachine:greeting",
    });
  });

  it("describes a workflow with its definition bound to the local function ARNs", async () => {
    const machine = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: stateMachineArnFor("greeting", REGION) }),
    );

    expect(machine).toMatchObject({ name: "greeting", status: "ACTIVE", type: "STANDARD" });
    expect(JSON.parse(machine.definition ?? "").States.Greet.Resource).toBe(functionArn("greeting", "Greet"));
    expect(machine.creationDate).toBeInstanceOf(Date);
  });

  it("pages ListStateMachines", async () => {
    const first = await sfn.send(new ListStateMachinesCommand({ maxResults: 2 }));
    const second = await sfn.send(
      new ListStateMachinesCommand({ maxResults: 2, nextToken: first.nextToken }),
    );

    expect(first.stateMachines).toHaveLength(2);
    expect(second.stateMachines?.map((machine) => machine.name)).toEqual(["uncaught"]);
    expect(second.nextToken).toBeUndefined();
  });
});

describe("CreateStateMachine", () => {
  it("creates a state machine over a registered function and runs it", async () => {
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: "custom",
        definition: oneTask(functionArn("greeting", "Greet")),
        roleArn: ROLE,
      }),
    );
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: created.stateMachineArn,
        name: "custom-1",
        input: JSON.stringify({ name: "Edsger" }),
      }),
    );

    expect(created.stateMachineArn).toBe(stateMachineArnFor("custom", REGION));
    const execution = await untilEnded(sfn, started.executionArn ?? "");
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "")).toEqual({ greeting: "hello Edsger" });
  });

  it("refuses a definition with a Task bound to no local function with InvalidDefinition", async () => {
    const unbound = "arn:aws:lambda:us-east-1:123456789012:function:somewhere-else";

    await expect(
      sfn.send(
        new CreateStateMachineCommand({ name: "unbound", definition: oneTask(unbound), roleArn: ROLE }),
      ),
    ).rejects.toMatchObject({ name: "InvalidDefinition", $metadata: { httpStatusCode: 400 } });
    await expect(
      sfn.send(
        new CreateStateMachineCommand({
          name: "sdk",
          definition: oneTask("arn:aws:states:::aws-sdk:mq:describeBroker"),
          roleArn: ROLE,
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidDefinition" });
  });

  it("refuses JSON that is not a definition, and JSONata with JSONPath fields, with InvalidDefinition", async () => {
    const create = (definition: string) =>
      sfn.send(new CreateStateMachineCommand({ name: "bad", definition, roleArn: ROLE }));

    await expect(create("{not json")).rejects.toMatchObject({ name: "InvalidDefinition" });
    await expect(create(JSON.stringify({ StartAt: "Nowhere", States: {} }))).rejects.toMatchObject({
      name: "InvalidDefinition",
    });
    await expect(
      create(
        JSON.stringify({
          QueryLanguage: "JSONata",
          StartAt: "Greet",
          States: {
            Greet: {
              Type: "Task",
              Resource: functionArn("greeting", "Greet"),
              InputPath: "$.who",
              End: true,
            },
          },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidDefinition" });
  });

  it("is idempotent for the same definition and refuses another one under the same name", async () => {
    const definition = oneTask(functionArn("greeting", "Greet"));
    const first = await sfn.send(new CreateStateMachineCommand({ name: "twice", definition, roleArn: ROLE }));
    const again = await sfn.send(new CreateStateMachineCommand({ name: "twice", definition, roleArn: ROLE }));

    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    expect(again.creationDate?.getTime()).toBe(first.creationDate?.getTime());
    await expect(
      sfn.send(
        new CreateStateMachineCommand({
          name: "twice",
          definition: oneTask(functionArn("greeting", "Greet"), "another"),
          roleArn: ROLE,
        }),
      ),
    ).rejects.toMatchObject({ name: "StateMachineAlreadyExists" });
    await expect(
      sfn.send(new CreateStateMachineCommand({ name: "bad/name", definition, roleArn: ROLE })),
    ).rejects.toMatchObject({ name: "InvalidName" });
  });

  it("updates and deletes a state machine", async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: "changing",
        definition: oneTask(functionArn("greeting", "Greet")),
        roleArn: ROLE,
      }),
    );

    const updated = await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn,
        definition: oneTask(functionArn("greeting", "Greet"), "v2"),
      }),
    );
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));

    expect(updated.updateDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.definition ?? "").Comment).toBe("v2");
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
    });
    await expect(
      sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn: stateMachineArnFor("greeting", REGION),
          definition: oneTask("arn:aws:lambda:us-east-1:1:function:x"),
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidDefinition" });
  });
});

describe("task tokens", () => {
  it("answers tokens no task waits for as Step Functions does", async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: "made-up", output: "{}" })),
    ).rejects.toMatchObject({
      name: "InvalidToken",
    });
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: "mqops-local-task-1", error: "E" })),
    ).rejects.toMatchObject({ name: "TaskDoesNotExist" });
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: "made-up" }))).rejects.toMatchObject({
      name: "InvalidToken",
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: "mqops-local-task-1", output: "{nope" })),
    ).rejects.toMatchObject({ name: "InvalidOutput" });
  });
});
