import { describeBroker } from "../lib/describe-broker.js";
import { errorMessage } from "../lib/error-message.js";
import { MaintenancePostcheckFailedError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { brokerLogin } from "./broker-login.js";
import { withProbe } from "./broker-probe.js";
import { missingQueues } from "./checks.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema, POSTCHECK_QUEUE } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  snapshot: z.looseObject({ queues: z.array(z.string()) }),
});

/**
 * After the change: one persistent message sent and received through the failover list on the
 * reserved queue, as one of the broker's users, and every queue the broker had before still there.
 */
export const postcheck = async ({ runId, broker: ref, snapshot }: z.infer<typeof inputSchema>) => {
  await recordBrokerProgress(runId, ref.brokerId, "POSTCHECK");
  const broker = await describeBroker(ref.brokerId);
  const login = await brokerLogin(broker);
  const problems: string[] = [];
  let roundTripMs: number | undefined;
  let queues: string[] = [];
  try {
    await withProbe(broker, login, async (probe) => {
      roundTripMs = await probe.roundTrip(POSTCHECK_QUEUE).catch((error: unknown) => {
        problems.push(`no message round trip on ${POSTCHECK_QUEUE}: ${errorMessage(error)}`);
        return undefined;
      });
      queues = await probe.queues();
    });
  } catch (error) {
    problems.push(errorMessage(error));
  }
  const missing = problems.length > 0 ? [] : missingQueues(snapshot.queues, queues, [POSTCHECK_QUEUE]);
  if (missing.length > 0) problems.push(`queues missing after the change: ${missing.join(", ")}`);
  if (problems.length > 0) throw new MaintenancePostcheckFailedError(ref.brokerId, problems);
  return { roundTripMs, queues: queues.length, engineVersion: broker.EngineVersion };
};

export const handler = workflowStep(inputSchema, postcheck);
