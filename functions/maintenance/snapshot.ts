import { describeBroker } from "../lib/describe-broker.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { brokerLogin } from "./broker-login.js";
import { withProbe } from "./broker-probe.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";

const inputSchema = z.object({ ...stepBase, runId: z.string(), broker: brokerRefSchema });

/**
 * What the broker is before the change, to compare with and roll back to: engine version, the
 * current configuration revision, its users (names only) and its queues.
 */
export const snapshot = async ({ runId, broker: ref }: z.infer<typeof inputSchema>) => {
  const broker = await describeBroker(ref.brokerId);
  const current = broker.Configurations?.Current;
  const login = await brokerLogin(broker);
  const queues = await withProbe(broker, login, (probe) => probe.queues());
  const taken = {
    engineVersion: broker.EngineVersion ?? "",
    autoMinorVersionUpgrade: broker.AutoMinorVersionUpgrade ?? false,
    ...(current?.Id === undefined || current.Revision === undefined
      ? {}
      : { configuration: { id: current.Id, revision: current.Revision } }),
    users: (broker.Users ?? []).flatMap((user) => (user.Username === undefined ? [] : [user.Username])),
    queues,
    takenAt: new Date().toISOString(),
  };
  await recordBrokerProgress(runId, ref.brokerId, "SNAPSHOT", { snapshot: taken });
  return taken;
};

export const handler = workflowStep(inputSchema, snapshot);
