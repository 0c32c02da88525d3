import { requireEnv } from "../lib/config.js";
import { RegistrationNotFoundError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { parseAlarmName } from "./alarm-specs.js";
import { getRegistration } from "./registration-store.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({ ...stepBase, alarmName: z.string().check(z.minLength(1)) });

/**
 * The registration behind the alarm that started the workflow (its id rides in the alarm name). Read
 * again on every round of the loop, so a queue deregistered meanwhile stops being scaled at once.
 * `trigger` is the kind of alarm that started the execution.
 */
export const resolveRegistration = async ({ alarmName }: z.infer<typeof inputSchema>) => {
  const parsed = parseAlarmName(alarmName);
  if (parsed === undefined) throw new RegistrationNotFoundError(`alarm ${alarmName}`);
  const registration = await getRegistration(STATE_TABLE_NAME, parsed.registrationId);
  if (registration === undefined || registration.alarms[parsed.kind] !== alarmName) {
    throw new RegistrationNotFoundError(`alarm ${alarmName}`);
  }
  return { ...registration, trigger: parsed.kind };
};

export const handler = workflowStep(inputSchema, resolveRegistration);
