import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSchedulerService } from "../../../../local/scheduler/service.js";
import type { SetTimer } from "../../../../local/targets.js";
import { manualTime, recordingStartExecution } from "../../../support/fake-targets.js";
import { startLocalEndpoint } from "../../../support/local-endpoint.js";

const MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:mqops-local-maintenance";
const ROLE = "arn:aws:iam::000000000000:role/mqops-local-scheduler";
const START = Date.parse("2026-11-30T12:00:00Z");

let dataDir: string;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;
let client: SchedulerClient;
let targets: ReturnType<typeof recordingStartExecution>;
let time: ReturnType<typeof manualTime>;

async function start(clock: { now?: () => number; setTimer?: SetTimer } = time) {
  endpoint = await startLocalEndpoint([
    createSchedulerService({
      dataDir,
      region: "us-east-1",
      startExecution: targets.startExecution,
      now: clock.now,
      setTimer: clock.setTimer,
    }),
  ]);
  client = new SchedulerClient(endpoint.clientConfig);
}

async function restart(clock: { now?: () => number; setTimer?: SetTimer } = time) {
  client.destroy();
  await endpoint.close();
  await start(clock);
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-scheduler-"));
  targets = recordingStartExecution();
  time = manualTime(START);
  await start();
});

afterEach(async () => {
  client.destroy();
  await endpoint.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const schedule = (overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: "maintenance",
  ScheduleExpression: "cron(0 3 ? * SUN *)",
  FlexibleTimeWindow: { Mode: "OFF" },
  Target: { Arn: MACHINE, RoleArn: ROLE, Input: '{"window": "weekly"}' },
  ...overrides,
});

describe("schedules", () => {
  it("creates, gets with Scheduler's defaults, lists, updates and deletes a schedule", async () => {
    const created = await client.send(new CreateScheduleCommand(schedule({ Description: "weekly" })));
    expect(created.ScheduleArn).toBe("arn:aws:scheduler:us-east-1:000000000000:schedule/default/maintenance");
    const got = await client.send(new GetScheduleCommand({ Name: "maintenance" }));
    expect(got).toMatchObject({
      Arn: created.ScheduleArn,
      Name: "maintenance",
      GroupName: "default",
      ScheduleExpression: "cron(0 3 ? * SUN *)",
      ScheduleExpressionTimezone: "UTC",
      State: "ENABLED",
      Description: "weekly",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "NONE",
      Target: {
        Arn: MACHINE,
        RoleArn: ROLE,
        Input: '{"window": "weekly"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      },
    });
    expect(got.CreationDate?.getTime()).toBe(START);

    await client.send(
      new CreateScheduleCommand(schedule({ Name: "check-1", ScheduleExpression: "rate(5 minutes)" })),
    );
    await client.send(
      new CreateScheduleCommand(
        schedule({ Name: "check-2", ScheduleExpression: "rate(5 minutes)", State: "DISABLED" }),
      ),
    );
    const page1 = await client.send(new ListSchedulesCommand({ NamePrefix: "check-", MaxResults: 1 }));
    expect(page1.Schedules?.map((item) => item.Name)).toEqual(["check-1"]);
    const page2 = await client.send(
      new ListSchedulesCommand({ NamePrefix: "check-", NextToken: page1.NextToken }),
    );
    expect(page2.Schedules?.map((item) => item.Name)).toEqual(["check-2"]);
    expect(page2.NextToken).toBeUndefined();
    const disabled = await client.send(new ListSchedulesCommand({ State: "DISABLED", GroupName: "default" }));
    expect(disabled.Schedules).toEqual([
      expect.objectContaining({
        Name: "check-2",
        GroupName: "default",
        State: "DISABLED",
        Target: { Arn: MACHINE },
      }),
    ]);

    await client.send(
      new UpdateScheduleCommand(
        schedule({ ScheduleExpression: "cron(0 4 ? * SUN *)", ScheduleExpressionTimezone: "Europe/Paris" }),
      ),
    );
    const updated = await client.send(new GetScheduleCommand({ Name: "maintenance", GroupName: "default" }));
    expect(updated).toMatchObject({
      ScheduleExpression: "cron(0 4 ? * SUN *)",
      ScheduleExpressionTimezone: "Europe/Paris",
    });
    expect(updated.Description).toBeUndefined();

    await client.send(new DeleteScheduleCommand({ Name: "maintenance" }));
    await expect(client.send(new GetScheduleCommand({ Name: "maintenance" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Schedule maintenance does not exist.",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("answers AWS's errors: 409 for a duplicate, 404 for a missing group or schedule, 400 for a bad expression", async () => {
    await client.send(new CreateScheduleCommand(schedule()));
    await expect(client.send(new CreateScheduleCommand(schedule()))).rejects.toMatchObject({
      name: "ConflictException",
      message: "Schedule maintenance already exists.",
      $metadata: { httpStatusCode: 409 },
    });
    await expect(
      client.send(new CreateScheduleCommand(schedule({ GroupName: "ops" }))),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Schedule group ops does not exist.",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new UpdateScheduleCommand(schedule({ Name: "nope" })))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new DeleteScheduleCommand({ Name: "nope" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await expect(
      client.send(
        new CreateScheduleCommand(schedule({ Name: "bad", ScheduleExpression: "cron(7 20 * * 1-7 *)" })),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "Invalid Schedule Expression cron(7 20 * * 1-7 *).",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(
        new CreateScheduleCommand(schedule({ Name: "bad", ScheduleExpressionTimezone: "Mars/Olympus" })),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      client.send(
        new CreateScheduleCommand(
          schedule({
            Name: "bad",
            Target: { Arn: MACHINE, RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 186 } },
          }),
        ),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(
      client.send(
        new CreateScheduleCommand(schedule({ Name: "bad", FlexibleTimeWindow: { Mode: "FLEXIBLE" } })),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("has the default schedule group", async () => {
    const group = await client.send(new GetScheduleGroupCommand({ Name: "default" }));
    expect(group).toMatchObject({
      Name: "default",
      State: "ACTIVE",
      Arn: "arn:aws:scheduler:us-east-1:000000000000:schedule-group/default",
    });
  });
});

describe("firing", () => {
  it("fires a rate schedule at once and every period, with the target's Input", async () => {
    await client.send(
      new CreateScheduleCommand(schedule({ Name: "check", ScheduleExpression: "rate(5 minutes)" })),
    );
    await time.advance(0);
    expect(targets.calls).toHaveLength(1);
    await time.advance(5 * 60_000 - 1);
    expect(targets.calls).toHaveLength(1);
    await time.advance(1);
    expect(targets.calls).toHaveLength(2);
    await time.advance(10 * 60_000);
    expect(targets.calls).toHaveLength(4);
    expect(targets.calls[0]).toMatchObject({ stateMachineArn: MACHINE, input: '{"window": "weekly"}' });
  });

  it("fires a cron schedule at its times in its time zone", async () => {
    // Sunday 2026-12-06 03:00 in Paris is 02:00 UTC.
    await client.send(new CreateScheduleCommand(schedule({ ScheduleExpressionTimezone: "Europe/Paris" })));
    await time.advance(Date.parse("2026-12-06T02:00:00Z") - START - 1);
    expect(targets.calls).toHaveLength(0);
    await time.advance(1);
    expect(targets.calls).toHaveLength(1);
    await time.advance(7 * 86_400_000);
    expect(targets.calls).toHaveLength(2);
  });

  it("does not fire a disabled schedule, and fires it once enabled", async () => {
    await client.send(
      new CreateScheduleCommand(
        schedule({ Name: "check", ScheduleExpression: "rate(1 minute)", State: "DISABLED" }),
      ),
    );
    await time.advance(10 * 60_000);
    expect(targets.calls).toHaveLength(0);
    await client.send(
      new UpdateScheduleCommand(schedule({ Name: "check", ScheduleExpression: "rate(1 minute)" })),
    );
    await time.advance(60_000);
    expect(targets.calls).toHaveLength(2);
  });

  it("stops at EndDate and deletes a finished schedule whose ActionAfterCompletion is DELETE", async () => {
    await client.send(
      new CreateScheduleCommand(
        schedule({
          Name: "twice",
          ScheduleExpression: "rate(1 hour)",
          EndDate: new Date(START + 90 * 60_000),
          ActionAfterCompletion: "DELETE",
        }),
      ),
    );
    await time.advance(24 * 3_600_000);
    expect(targets.calls).toHaveLength(2);
    await expect(client.send(new GetScheduleCommand({ Name: "twice" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("retries a failing start per the target's RetryPolicy", async () => {
    targets.setFailures(100);
    await client.send(
      new CreateScheduleCommand(
        schedule({
          Name: "once",
          ScheduleExpression: "at(2026-11-30T12:10:00)",
          Target: {
            Arn: MACHINE,
            RoleArn: ROLE,
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          },
        }),
      ),
    );
    await time.advance(3_600_000);
    expect(targets.calls).toHaveLength(4);
    expect(time.delays().slice(1)).toEqual([1000, 2000, 4000]);
  });

  it("keeps schedules across a restart and fires them again", async () => {
    await client.send(
      new CreateScheduleCommand(schedule({ Name: "check", ScheduleExpression: "rate(10 minutes)" })),
    );
    await time.advance(0);
    expect(targets.calls).toHaveLength(1);
    await restart();
    await time.advance(10 * 60_000);
    expect(targets.calls).toHaveLength(2);
    expect((await client.send(new GetScheduleCommand({ Name: "check" }))).State).toBe("ENABLED");
  });

  it("fires an at(...) schedule on time, within a second, with real timers", async () => {
    await restart({});
    // The next whole second at least 1.5 s away, as at(...) names seconds.
    const due = Math.ceil((Date.now() + 1500) / 1000) * 1000;
    const at = new Date(due).toISOString().slice(0, 19);
    await client.send(new CreateScheduleCommand(schedule({ Name: "soon", ScheduleExpression: `at(${at})` })));
    const deadline = due + 1000;
    while (targets.calls.length === 0 && Date.now() < deadline + 500) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(targets.calls).toHaveLength(1);
    const firedAt = targets.calls[0]?.at ?? 0;
    expect(firedAt).toBeGreaterThanOrEqual(due);
    expect(firedAt - due).toBeLessThan(1000);
  });
});
