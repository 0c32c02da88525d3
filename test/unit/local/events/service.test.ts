import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEventsService } from "../../../../local/events/service.js";
import { manualTime, recordingStartExecution } from "../../../support/fake-targets.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:mqops-local-autoscaling";
const ROLE = "arn:aws:iam::000000000000:role/mqops-local-events";
const ALARM_PATTERN = JSON.stringify({
  source: ["aws.cloudwatch"],
  "detail-type": ["CloudWatch Alarm State Change"],
  detail: { alarmName: [{ prefix: "mqops-local-scale-out" }], state: { value: ["ALARM"] } },
});

let dataDir: string;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: EventBridgeClient;
let targets: ReturnType<typeof recordingStartExecution>;
let time: ReturnType<typeof manualTime>;
let service: ReturnType<typeof createEventsService>;

async function start() {
  service = createEventsService({
    dataDir,
    region: "us-east-1",
    startExecution: targets.startExecution,
    now: time.now,
    setTimer: time.setTimer,
  });
  endpoint = await startLocalEndpoint([service]);
  client = new EventBridgeClient(endpoint.clientConfig);
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-events-"));
  targets = recordingStartExecution();
  time = manualTime();
  await start();
});

afterEach(async () => {
  client.destroy();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ruleWithTarget(target: Record<string, unknown> = {}) {
  await client.send(new PutRuleCommand({ Name: "scale-out", EventPattern: ALARM_PATTERN }));
  await client.send(
    new PutTargetsCommand({
      Rule: "scale-out",
      Targets: [{ Id: "workflow", Arn: MACHINE, RoleArn: ROLE, ...target }],
    }),
  );
}

const alarmEntry = (alarmName: string, state = "ALARM") => ({
  Source: "mqops.test",
  DetailType: "CloudWatch Alarm State Change",
  Detail: JSON.stringify({ alarmName, state: { value: state } }),
});

const alarmEvent = (alarmName: string, state = "ALARM") => ({
  version: "0",
  id: "3f9c0e4c-0000-4000-8000-000000000001",
  "detail-type": "CloudWatch Alarm State Change",
  source: "aws.cloudwatch",
  account: "000000000000",
  time: "2026-11-30T12:00:00Z",
  region: "us-east-1",
  resources: [`arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarmName}`],
  detail: { alarmName, state: { value: state, reason: "Threshold Crossed" }, previousState: { value: "OK" } },
});

/** Lets background deliveries (promise chains, no timers) settle. */
const settle = async () => {
  for (let turn = 0; turn < 20; turn++) await Promise.resolve();
};

describe("rules", () => {
  it("puts, describes, lists with a prefix and pages, and deletes a rule", async () => {
    const put = await client.send(
      new PutRuleCommand({ Name: "scale-out", EventPattern: ALARM_PATTERN, Description: "alarms" }),
    );
    expect(put.RuleArn).toBe("arn:aws:events:us-east-1:000000000000:rule/scale-out");
    const described = await client.send(new DescribeRuleCommand({ Name: "scale-out" }));
    expect(described).toMatchObject({
      Name: "scale-out",
      Arn: put.RuleArn,
      EventPattern: ALARM_PATTERN,
      State: "ENABLED",
      Description: "alarms",
      EventBusName: "default",
      CreatedBy: "000000000000",
    });
    for (const name of ["a-1", "a-2", "a-3"]) {
      await client.send(new PutRuleCommand({ Name: name, ScheduleExpression: "rate(5 minutes)" }));
    }
    const first = await client.send(new ListRulesCommand({ NamePrefix: "a-", Limit: 2 }));
    expect(first.Rules?.map((rule) => rule.Name)).toEqual(["a-1", "a-2"]);
    const second = await client.send(new ListRulesCommand({ NamePrefix: "a-", NextToken: first.NextToken }));
    expect(second.Rules?.map((rule) => rule.Name)).toEqual(["a-3"]);
    expect(second.NextToken).toBeUndefined();
    expect(second.Rules?.[0]?.ScheduleExpression).toBe("rate(5 minutes)");

    await client.send(new DeleteRuleCommand({ Name: "scale-out" }));
    await expect(client.send(new DescribeRuleCommand({ Name: "scale-out" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Rule scale-out does not exist on EventBus default.",
    });
  });

  it("refuses a rule without a pattern or schedule, and a bad pattern", async () => {
    await expect(client.send(new PutRuleCommand({ Name: "r" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "Parameter(s) EventPattern or ScheduleExpression must be specified.",
    });
    await expect(
      client.send(new PutRuleCommand({ Name: "r", EventPattern: '{"source": "aws.ec2"}' })),
    ).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
    });
    await expect(
      client.send(new PutRuleCommand({ Name: "bad name", EventPattern: ALARM_PATTERN })),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("refuses to delete a rule that has targets, until they are removed", async () => {
    await ruleWithTarget();
    await expect(client.send(new DeleteRuleCommand({ Name: "scale-out" }))).rejects.toMatchObject({
      name: "ValidationException",
      message: "Rule can't be deleted since it has targets.",
    });
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: "scale-out" }));
    expect(listed.Targets).toEqual([{ Id: "workflow", Arn: MACHINE, RoleArn: ROLE }]);
    const byTarget = await client.send(new ListRuleNamesByTargetCommand({ TargetArn: MACHINE }));
    expect(byTarget.RuleNames).toEqual(["scale-out"]);
    await client.send(new RemoveTargetsCommand({ Rule: "scale-out", Ids: ["workflow"] }));
    await client.send(new DeleteRuleCommand({ Name: "scale-out" }));
    expect((await client.send(new ListRulesCommand({}))).Rules).toEqual([]);
  });

  it("reports bad targets in FailedEntries and keeps the good ones", async () => {
    await client.send(new PutRuleCommand({ Name: "scale-out", EventPattern: ALARM_PATTERN }));
    const result = await client.send(
      new PutTargetsCommand({
        Rule: "scale-out",
        Targets: [
          { Id: "good", Arn: MACHINE, RoleArn: ROLE },
          { Id: "no-role", Arn: MACHINE },
          { Id: "two-inputs", Arn: MACHINE, RoleArn: ROLE, Input: "{}", InputPath: "$.detail" },
          {
            Id: "bad-template",
            Arn: MACHINE,
            RoleArn: ROLE,
            InputTransformer: { InputPathsMap: { a: "$.detail" }, InputTemplate: '{"x": <b>}' },
          },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(3);
    expect(result.FailedEntries?.map((entry) => entry.TargetId)).toEqual([
      "no-role",
      "two-inputs",
      "bad-template",
    ]);
    expect(result.FailedEntries?.[0]).toMatchObject({ ErrorCode: "ValidationException" });
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: "scale-out" }));
    expect(listed.Targets?.map((target) => target.Id)).toEqual(["good"]);
  });

  it("answers ResourceNotFoundException for targets of a rule that does not exist", async () => {
    await expect(
      client.send(
        new PutTargetsCommand({ Rule: "nope", Targets: [{ Id: "t", Arn: MACHINE, RoleArn: ROLE }] }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(client.send(new EnableRuleCommand({ Name: "nope" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("keeps rules and targets across a restart", async () => {
    await ruleWithTarget();
    await client.send(new DisableRuleCommand({ Name: "scale-out" }));
    client.destroy();
    await endpoint.close();
    await start();
    expect((await client.send(new DescribeRuleCommand({ Name: "scale-out" }))).State).toBe("DISABLED");
    expect((await client.send(new ListTargetsByRuleCommand({ Rule: "scale-out" }))).Targets).toHaveLength(1);
  });
});

describe("scheduled rules", () => {
  it("sends EventBridge's Scheduled Event to the rule's targets every period", async () => {
    await client.send(new PutRuleCommand({ Name: "tick", ScheduleExpression: "rate(5 minutes)" }));
    await client.send(
      new PutTargetsCommand({ Rule: "tick", Targets: [{ Id: "w", Arn: MACHINE, RoleArn: ROLE }] }),
    );
    await time.advance(5 * 60_000 - 1);
    expect(targets.calls).toHaveLength(0);
    await time.advance(1);
    expect(targets.calls).toHaveLength(1);
    expect(JSON.parse(targets.calls[0]?.input ?? "")).toMatchObject({
      version: "0",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "000000000000",
      time: "2026-11-30T12:05:00Z",
      region: "us-east-1",
      resources: ["arn:aws:events:us-east-1:000000000000:rule/tick"],
      detail: {},
    });
    await time.advance(10 * 60_000);
    expect(targets.calls).toHaveLength(3);
    await client.send(new DisableRuleCommand({ Name: "tick" }));
    await time.advance(60 * 60_000);
    expect(targets.calls).toHaveLength(3);
  });

  it("fires a cron rule at its UTC times", async () => {
    await client.send(new PutRuleCommand({ Name: "daily", ScheduleExpression: "cron(0 13 * * ? *)" }));
    await client.send(
      new PutTargetsCommand({ Rule: "daily", Targets: [{ Id: "w", Arn: MACHINE, RoleArn: ROLE }] }),
    );
    await time.advance(60 * 60_000 - 1);
    expect(targets.calls).toHaveLength(0);
    await time.advance(1);
    expect(targets.calls).toHaveLength(1);
  });

  it("refuses a schedule expression EventBridge would refuse", async () => {
    for (const expression of ["rate(1 minutes)", "cron(0 10 * * *)", "at(2026-12-01T00:00:00)"]) {
      await expect(
        client.send(new PutRuleCommand({ Name: "bad", ScheduleExpression: expression })),
      ).rejects.toMatchObject({
        name: "ValidationException",
        message: "Parameter ScheduleExpression is not valid.",
      });
    }
  });
});

describe("PutEvents", () => {
  it("starts the target with each matching event and appends every event to events.jsonl", async () => {
    await ruleWithTarget();
    await client.send(
      new PutRuleCommand({ Name: "scale-out", EventPattern: JSON.stringify({ source: ["mqops.test"] }) }),
    );
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          alarmEntry("mqops-local-scale-out-orders"),
          { Source: "other", DetailType: "x", Detail: "{}" },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.every((entry) => typeof entry.EventId === "string")).toBe(true);
    await settle();
    expect(targets.calls).toHaveLength(1);
    const input = JSON.parse(targets.calls[0]?.input ?? "{}");
    expect(input).toMatchObject({
      version: "0",
      id: result.Entries?.[0]?.EventId,
      source: "mqops.test",
      "detail-type": "CloudWatch Alarm State Change",
      account: "000000000000",
      region: "us-east-1",
      resources: [],
      detail: { alarmName: "mqops-local-scale-out-orders", state: { value: "ALARM" } },
    });
    expect(input.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const logged = readFileSync(path.join(dataDir, "events.jsonl"), "utf8").trim().split("\n");
    expect(logged.map((line) => JSON.parse(line).source)).toEqual(["mqops.test", "other"]);
  });

  it("reports each bad entry in place and puts the others", async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { DetailType: "x", Detail: "{}" },
          { Source: "s", Detail: "{}" },
          { Source: "s", DetailType: "x" },
          { Source: "s", DetailType: "x", Detail: "[1]" },
          { Source: "s", DetailType: "x", Detail: "{}" },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries?.slice(0, 4)).toEqual([
      {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument.",
      },
      {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
      },
      {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument.",
      },
      { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
    ]);
    expect(result.Entries?.[4]?.EventId).toBeTypeOf("string");
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({
      name: "ValidationException",
    });
    const big = JSON.stringify({ data: "x".repeat(200 * 1024) });
    await expect(
      client.send(
        new PutEventsCommand({
          Entries: [
            { Source: "s", DetailType: "x", Detail: big },
            { Source: "s", DetailType: "x", Detail: big },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "Total size of the entries in the request is over the limit.",
    });
  });

  it("routes an event the local cloud puts itself (an alarm state change) by the alarm-name prefix", async () => {
    await ruleWithTarget();
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await service.putEvent(alarmEvent("mqops-local-scale-in-orders"));
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders", "OK"));
    await settle();
    expect(targets.calls.map((call) => JSON.parse(call.input).detail.alarmName)).toEqual([
      "mqops-local-scale-out-orders",
    ]);
    expect(targets.calls[0]?.stateMachineArn).toBe(MACHINE);
  });

  it("does not start the targets of a disabled rule", async () => {
    await ruleWithTarget();
    await client.send(new DisableRuleCommand({ Name: "scale-out" }));
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await settle();
    expect(targets.calls).toHaveLength(0);
    await client.send(new EnableRuleCommand({ Name: "scale-out" }));
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await settle();
    expect(targets.calls).toHaveLength(1);
  });

  it("gives the target a constant Input, or what InputPath selects", async () => {
    await ruleWithTarget({ Input: '{"reason": "constant"}' });
    await service.putEvent(alarmEvent("mqops-local-scale-out-a"));
    await ruleWithTarget({ Input: undefined, InputPath: "$.detail.state" });
    await service.putEvent(alarmEvent("mqops-local-scale-out-b"));
    await settle();
    expect(targets.calls.map((call) => JSON.parse(call.input))).toEqual([
      { reason: "constant" },
      { value: "ALARM", reason: "Threshold Crossed" },
    ]);
  });

  it("fills an InputTransformer's template, quoted and unquoted, with EventBridge's own variables", async () => {
    await ruleWithTarget({
      InputTransformer: {
        InputPathsMap: { alarm: "$.detail.alarmName", state: "$.detail.state", missing: "$.detail.nope" },
        InputTemplate:
          '{"alarm": <alarm>, "text": "alarm <alarm> is \\"<missing>\\"", "state": <state>, "rule": "<aws.events.rule-name>", "none": <missing>}',
      },
    });
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await settle();
    expect(JSON.parse(targets.calls[0]?.input ?? "")).toEqual({
      alarm: "mqops-local-scale-out-orders",
      text: 'alarm mqops-local-scale-out-orders is ""',
      state: { value: "ALARM", reason: "Threshold Crossed" },
      rule: "scale-out",
      none: null,
    });
  });

  it("retries a failing start with exponential backoff, without blocking PutEvents", async () => {
    targets.setFailures(3);
    await ruleWithTarget();
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await settle();
    expect(targets.calls).toHaveLength(1);
    await time.advance(1000);
    expect(targets.calls).toHaveLength(2);
    await time.advance(2000);
    expect(targets.calls).toHaveLength(3);
    await time.advance(4000);
    expect(targets.calls).toHaveLength(4);
    expect(time.delays()).toEqual([1000, 2000, 4000]);
    expect(time.pending()).toBe(0);
  });

  it("honours the target's RetryPolicy: no more than MaximumRetryAttempts retries", async () => {
    targets.setFailures(100);
    await ruleWithTarget({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } });
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await time.advance(60 * 60 * 1000);
    expect(targets.calls).toHaveLength(3);
  });

  it("gives up when the event would be older than MaximumEventAgeInSeconds", async () => {
    targets.setFailures(100);
    await ruleWithTarget({ RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 } });
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await time.advance(24 * 60 * 60 * 1000);
    // 1 + retries after 1, 2, 4, 8, 16 s (31 s); the next, 32 s later, would be past 60 s.
    expect(targets.calls).toHaveLength(6);
  });

  it("does not retry a start that can never succeed", async () => {
    targets = recordingStartExecution({ failures: 5, errorName: "StateMachineDoesNotExist" });
    client.destroy();
    await endpoint.close();
    await start();
    await ruleWithTarget();
    await service.putEvent(alarmEvent("mqops-local-scale-out-orders"));
    await time.advance(60 * 60 * 1000);
    expect(targets.calls).toHaveLength(1);
  });
});

describe("TestEventPattern", () => {
  const event = JSON.stringify(alarmEvent("mqops-local-scale-out-orders"));

  it("answers whether the event matches", async () => {
    expect(
      await client.send(new TestEventPatternCommand({ EventPattern: ALARM_PATTERN, Event: event })),
    ).toMatchObject({
      Result: true,
    });
    const other = JSON.stringify({ detail: { state: { value: ["OK"] } } });
    expect(
      await client.send(new TestEventPatternCommand({ EventPattern: other, Event: event })),
    ).toMatchObject({
      Result: false,
    });
  });

  it("answers InvalidEventPatternException for a bad pattern", async () => {
    await expect(
      client.send(
        new TestEventPatternCommand({
          EventPattern: '{"detail": {"n": [{"numeric": [">", "x"]}]}}',
          Event: event,
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      message: "Event pattern is not valid. Reason: Value of > must be numeric",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("refuses an event without EventBridge's required fields", async () => {
    await expect(
      client.send(new TestEventPatternCommand({ EventPattern: ALARM_PATTERN, Event: '{"source": "x"}' })),
    ).rejects.toMatchObject({ name: "ValidationException", message: "Parameter Event is not valid." });
  });
});
