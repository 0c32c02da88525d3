import { describeBroker } from "../lib/describe-broker.js";
import { BrokerRebootFailedError, MaintenanceDeadlineExceededError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { settledVerdict } from "./checks.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  expect: z.object({
    engineVersion: z.optional(z.string()),
    configuration: z.optional(z.object({ id: z.string(), revision: z.number().check(z.int()) })),
  }),
  deadline: z.string(),
});

/**
 * One poll of the wait after a reboot: settled (RUNNING, nothing pending, the planned version and
 * revision), not yet, or failed (BrokerRebootFailedError); MaintenanceDeadlineExceededError once
 * the deadline has passed without it settling.
 */
export const checkSettled = async ({ runId, broker: ref, expect, deadline }: z.infer<typeof inputSchema>) => {
  const broker = await describeBroker(ref.brokerId);
  const verdict = settledVerdict(broker, expect);
  if (verdict.verdict === "failed") throw new BrokerRebootFailedError(ref.brokerId, verdict.detail);
  if (verdict.verdict === "waiting" && Date.now() >= Date.parse(deadline)) {
    throw new MaintenanceDeadlineExceededError(ref.brokerId, verdict.detail, deadline);
  }
  const detail = verdict.verdict === "waiting" ? verdict.detail : "settled";
  await recordBrokerProgress(runId, ref.brokerId, "WAITING", {
    brokerState: broker.BrokerState,
    engineVersion: broker.EngineVersion,
    detail,
  });
  return { settled: verdict.verdict === "settled", brokerState: broker.BrokerState, detail };
};

export const handler = workflowStep(inputSchema, checkSettled);
