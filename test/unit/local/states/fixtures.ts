import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeExecutionCommand, type DescribeExecutionOutput, SFNClient } from "@aws-sdk/client-sfn";
import { localFunctionArn } from "../../../../local/states/bindings.js";
import { createStatesService } from "../../../../local/states/service.js";
import type { WorkflowSpec } from "../../../../workflows/types.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

export const REGION = "us-east-1";
const HANDLERS = "test/unit/local/states/handlers/tasks";

/**
 * greet → Choice on `$.wait` → Wait `$.waitSeconds` → Pass: covers Task, Choice, Wait and Pass, and
 * stays RUNNING as long as the input asks.
 */
export const greeting: WorkflowSpec = {
  name: "greeting",
  functions: { Greet: `${HANDLERS}.greet` },
  definition: (arn) => ({
    Comment: "Greets, then waits if asked",
    StartAt: "Greet",
    States: {
      Greet: {
        Type: "Task",
        Resource: arn("Greet"),
        Parameters: { "name.$": "$.name" },
        ResultPath: "$.result",
        TimeoutSeconds: 10,
        Next: "ShouldWait",
      },
      ShouldWait: {
        Type: "Choice",
        Choices: [
          {
            And: [
              { Variable: "$.wait", IsPresent: true },
              { Variable: "$.wait", BooleanEquals: true },
            ],
            Next: "Pause",
          },
        ],
        Default: "Done",
      },
      Pause: { Type: "Wait", SecondsPath: "$.waitSeconds", Next: "Done" },
      Done: { Type: "Pass", OutputPath: "$.result", End: true },
    },
  }),
};

/** A Task that throws OrderRejectedError, caught into a Fail state named after it. */
export const rejecting: WorkflowSpec = {
  name: "rejecting",
  functions: { Reject: `${HANDLERS}.reject` },
  definition: (arn) => ({
    Comment: "Rejects every order",
    StartAt: "Reject",
    States: {
      Reject: {
        Type: "Task",
        Resource: arn("Reject"),
        TimeoutSeconds: 10,
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Rejected" }],
        Next: "Unreachable",
      },
      Unreachable: { Type: "Succeed" },
      Rejected: { Type: "Fail", Error: "OrderRejectedError", Cause: "The order was rejected" },
    },
  }),
};

/**
 * The same Task with nothing to catch its error: the execution fails with the function's error. Also
 * holds `Flaky`, which no state of its own calls, for state machines created in tests.
 */
export const uncaught: WorkflowSpec = {
  name: "uncaught",
  functions: { Reject: `${HANDLERS}.reject`, Flaky: `${HANDLERS}.flaky` },
  definition: (arn) => ({
    Comment: "Rejects every order, uncaught",
    StartAt: "Reject",
    States: { Reject: { Type: "Task", Resource: arn("Reject"), TimeoutSeconds: 10, End: true } },
  }),
};

export const WORKFLOWS = [greeting, rejecting, uncaught];

export const functionArn = (workflow: string, key: string) =>
  localFunctionArn(workflow, key, REGION, "000000000000");

/** A data directory for one test, removed by `remove`. */
export function dataDirectory() {
  const dir = mkdtempSync(path.join(tmpdir(), "mqops-states-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The local Step Functions on a loopback endpoint, with the real SFNClient pointed at it. */
export async function startStates(dataDir: string, options: { skipDelays?: boolean; resume?: boolean } = {}) {
  const service = createStatesService({
    dataDir,
    region: REGION,
    workflows: WORKFLOWS,
    skipDelays: options.skipDelays,
  });
  const endpoint = await startLocalEndpoint([service], REGION);
  if (options.resume !== false) await service.resume();
  return { service, endpoint, sfn: new SFNClient(endpoint.clientConfig) };
}

/** Polls DescribeExecution until the execution has ended (or the test times out). */
export async function untilEnded(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionOutput> {
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== "RUNNING") return execution;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
