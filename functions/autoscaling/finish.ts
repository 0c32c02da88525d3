import { SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { cloudwatch } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { releaseLease } from "./lease.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  owner: z.string(),
  rearm: z.array(z.string()),
  why: z.string(),
});

/**
 * Ends the loop: releases the lease, then sets each alarm still in ALARM back to OK. CloudWatch
 * re-evaluates it at its next period and, if the breach lasts, returns it to ALARM, which emits the
 * state change that starts a new execution (an alarm left in ALARM would never emit another).
 */
export const finish = async ({ registrationId, owner, rearm, why }: z.infer<typeof inputSchema>) => {
  const released = await releaseLease(STATE_TABLE_NAME, registrationId, owner);
  const rearmed: string[] = [];
  for (const alarmName of rearm) {
    try {
      await callAws("SetAlarmState", () =>
        cloudwatch.send(
          new SetAlarmStateCommand({
            AlarmName: alarmName,
            StateValue: "OK",
            StateReason: `mqops re-armed the alarm so a lasting breach starts a new decision (${why})`.slice(
              0,
              1023,
            ),
          }),
        ),
      );
      rearmed.push(alarmName);
    } catch (error) {
      // Deregistered meanwhile: nothing to re-arm.
      if (awsErrorName(error) !== "ResourceNotFound") throw error;
    }
  }
  return { released, rearmed };
};

export const handler = workflowStep(inputSchema, finish);
