import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { callAws } from "../lib/aws-errors.js";
import { ddb } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import { decisionItem } from "./decision-record.js";
import { releaseLease } from "./lease.js";
import { caughtErrorSchema } from "./step-input.js";

const STATE_TABLE_NAME = requireEnv("STATE_TABLE_NAME");

const inputSchema = z.object({
  ...stepBase,
  registrationId: z.string(),
  trigger: z.string(),
  owner: z.string(),
  error: caughtErrorSchema,
});

/**
 * Records a failed round among the queue's decisions (GET shows it with the error) and releases the
 * lease at once, so the next alarm need not wait for it to run out.
 */
export const recordFailure = async ({
  registrationId,
  trigger,
  owner,
  error,
}: z.infer<typeof inputSchema>) => {
  await callAws("PutItem", () =>
    ddb.send(
      new PutCommand({
        TableName: STATE_TABLE_NAME,
        Item: decisionItem({
          registrationId,
          owner,
          at: Math.floor(Date.now() / 1000),
          trigger,
          outcome: "failed",
          detail: { error: error.Error, cause: error.Cause?.slice(0, 2000) },
        }),
      }),
    ),
  );
  const released = await releaseLease(STATE_TABLE_NAME, registrationId, owner);
  return { recorded: true, released };
};

export const handler = workflowStep(inputSchema, recordFailure);
