import { describe, expect, it } from "vitest";
import { withContextAttributes } from "../../../../local/scheduler/context-attributes.js";

describe("withContextAttributes", () => {
  const context = {
    scheduleArn: "arn:aws:scheduler:us-east-1:000000000000:schedule/default/hourly",
    scheduledTime: Date.UTC(2026, 10, 30, 13, 0, 0),
    executionId: "e-1",
  };

  it("replaces the schedule's ARN, fire time, execution id and attempt number", () => {
    const input = JSON.stringify({
      arn: "<aws.scheduler.schedule-arn>",
      at: "<aws.scheduler.scheduled-time>",
      id: "<aws.scheduler.execution-id>",
      attempt: "<aws.scheduler.attempt-number>",
    });
    expect(JSON.parse(withContextAttributes(input, context))).toEqual({
      arn: context.scheduleArn,
      at: "2026-11-30T13:00:00Z",
      id: "e-1",
      attempt: "1",
    });
  });

  it("leaves text that is not a context attribute as it is", () => {
    const input = '{"a":"<aws.scheduler.unknown>","b":"<other>"}';
    expect(withContextAttributes(input, context)).toBe(input);
  });
});
