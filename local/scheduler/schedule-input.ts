import {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  type RetryPolicy,
} from "../targets.js";
import { constraint, validationException } from "./errors.js";
import { parseScheduleExpression } from "./expression.js";
import { isTimeZone } from "./zone.js";

/** A schedule's definition, as CreateSchedule and UpdateSchedule take it (dates in ms). */
export interface ScheduleDefinition {
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  StartDate?: number;
  EndDate?: number;
  Description?: string;
  State: "ENABLED" | "DISABLED";
  KmsKeyArn?: string;
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy: Required<RetryPolicy>;
    DeadLetterConfig?: { Arn?: string };
  };
  FlexibleTimeWindow: { Mode: "OFF" | "FLEXIBLE"; MaximumWindowInMinutes?: number };
  ActionAfterCompletion: "NONE" | "DELETE";
}

export const NAME = /^[0-9a-zA-Z-_.]{1,64}$/;
const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function checkName(value: unknown, member: string): string {
  if (typeof value !== "string" || !NAME.test(value)) {
    throw constraint(value, member, "Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$");
  }
  return value;
}

function integer(value: unknown, member: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw constraint(value, member, `Member must have value between ${min} and ${max}`);
  }
  return value;
}

function optionalString(value: unknown, member: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length > max) {
    throw constraint(value, member, `Member must have length less than or equal to ${max}`);
  }
  return value;
}

/** REST-JSON timestamps are epoch seconds. */
const date = (value: unknown, member: string) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw constraint(value, member, "Member must be a timestamp");
  return Math.round(value * 1000);
};

function oneOf<T extends string>(value: unknown, member: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (!allowed.includes(value as T)) {
    throw constraint(value, member, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value as T;
}

/** Validates a CreateSchedule/UpdateSchedule body as Scheduler does, with Scheduler's defaults. */
export function scheduleDefinition(body: Record<string, unknown>): ScheduleDefinition {
  const expression = body.ScheduleExpression;
  if (typeof expression !== "string" || parseScheduleExpression(expression) === undefined) {
    throw validationException(`Invalid Schedule Expression ${String(expression)}.`);
  }
  const timezone = body.ScheduleExpressionTimezone ?? "UTC";
  if (typeof timezone !== "string" || !isTimeZone(timezone)) {
    throw validationException(`Invalid time zone: ${String(timezone)}.`);
  }
  const StartDate = date(body.StartDate, "startDate");
  const EndDate = date(body.EndDate, "endDate");
  if (StartDate !== undefined && EndDate !== undefined && EndDate <= StartDate) {
    throw validationException("The EndDate must be later than the StartDate.");
  }

  const window = body.FlexibleTimeWindow;
  if (!isObject(window)) throw constraint(window, "flexibleTimeWindow", "Member must not be null");
  const Mode = oneOf(window.Mode, "flexibleTimeWindow.mode", ["OFF", "FLEXIBLE"] as const, "OFF");
  if (window.Mode === undefined)
    throw constraint(undefined, "flexibleTimeWindow.mode", "Member must not be null");
  let MaximumWindowInMinutes: number | undefined;
  if (Mode === "FLEXIBLE") {
    MaximumWindowInMinutes = integer(
      window.MaximumWindowInMinutes,
      "flexibleTimeWindow.maximumWindowInMinutes",
      1,
      1440,
    );
  } else if (window.MaximumWindowInMinutes !== undefined) {
    throw validationException("MaximumWindowInMinutes can only be set when Mode is FLEXIBLE.");
  }

  const target = body.Target;
  if (!isObject(target)) throw constraint(target, "target", "Member must not be null");
  if (typeof target.Arn !== "string" || target.Arn === "")
    throw constraint(target.Arn, "target.arn", "Member must not be null");
  if (typeof target.RoleArn !== "string" || target.RoleArn === "") {
    throw constraint(target.RoleArn, "target.roleArn", "Member must not be null");
  }
  if (!STATE_MACHINE_ARN.test(target.Arn)) {
    throw validationException(
      `The local cloud delivers schedules only to Step Functions state machines; ${target.Arn} is not one.`,
    );
  }
  const retry = isObject(target.RetryPolicy) ? target.RetryPolicy : {};
  const RetryPolicy = {
    MaximumEventAgeInSeconds:
      retry.MaximumEventAgeInSeconds === undefined
        ? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS
        : integer(retry.MaximumEventAgeInSeconds, "target.retryPolicy.maximumEventAgeInSeconds", 60, 86_400),
    MaximumRetryAttempts:
      retry.MaximumRetryAttempts === undefined
        ? DEFAULT_MAXIMUM_RETRY_ATTEMPTS
        : integer(retry.MaximumRetryAttempts, "target.retryPolicy.maximumRetryAttempts", 0, 185),
  };
  const Input = optionalString(target.Input, "target.input", 8192);
  const deadLetter = isObject(target.DeadLetterConfig) ? target.DeadLetterConfig : undefined;

  return {
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: timezone,
    StartDate,
    EndDate,
    Description: optionalString(body.Description, "description", 512),
    State: oneOf(body.State, "state", ["ENABLED", "DISABLED"] as const, "ENABLED"),
    KmsKeyArn: optionalString(body.KmsKeyArn, "kmsKeyArn", 2048),
    Target: {
      Arn: target.Arn,
      RoleArn: target.RoleArn,
      Input,
      RetryPolicy,
      DeadLetterConfig: deadLetter === undefined ? undefined : { Arn: String(deadLetter.Arn ?? "") },
    },
    FlexibleTimeWindow: MaximumWindowInMinutes === undefined ? { Mode } : { Mode, MaximumWindowInMinutes },
    ActionAfterCompletion: oneOf(
      body.ActionAfterCompletion,
      "actionAfterCompletion",
      ["NONE", "DELETE"] as const,
      "NONE",
    ),
  };
}
