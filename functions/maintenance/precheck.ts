import { describeBroker } from "../lib/describe-broker.js";
import { errorMessage } from "../lib/error-message.js";
import { MaintenancePrecheckFailedError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { brokerLogin } from "./broker-login.js";
import { withProbe } from "./broker-probe.js";
import { type BrokerLoad, type PrecheckLimits, precheckProblems } from "./checks.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema, settingFromEnv } from "./request.js";

const LIMITS: PrecheckLimits = {
  maxStorePercent: settingFromEnv("MAINTENANCE_MAX_STORE_PERCENT", 80),
  maxBacklog: settingFromEnv("MAINTENANCE_MAX_BACKLOG", 100_000),
};

const inputSchema = z.object({ ...stepBase, runId: z.string(), broker: brokerRefSchema });

/**
 * Is the broker fit to be changed now? RUNNING, nothing required or pending, every instance listed
 * with endpoints, a STOMP session through the failover list as one of its users, and store usage and
 * backlog under the limits (from statisticsBrokerPlugin when the broker runs it; not measured otherwise).
 */
export const precheck = async ({ runId, broker: ref }: z.infer<typeof inputSchema>) => {
  await recordBrokerProgress(runId, ref.brokerId, "PRECHECK", { status: "IN_PROGRESS" });
  const broker = await describeBroker(ref.brokerId);
  const described = precheckProblems(broker, undefined, LIMITS);
  if (described.length > 0) throw new MaintenancePrecheckFailedError(ref.brokerId, described);
  const login = await brokerLogin(broker);
  let load: BrokerLoad | undefined;
  try {
    const statistics = await withProbe(broker, login, (probe) => probe.brokerStatistics());
    load =
      statistics === undefined
        ? undefined
        : { storePercentUsage: statistics.storePercentUsage, backlog: statistics.size };
  } catch (error) {
    throw new MaintenancePrecheckFailedError(ref.brokerId, [errorMessage(error)]);
  }
  const problems = precheckProblems(broker, load, LIMITS);
  if (problems.length > 0) throw new MaintenancePrecheckFailedError(ref.brokerId, problems);
  return {
    engineVersion: broker.EngineVersion,
    deploymentMode: broker.DeploymentMode,
    load: load ?? "not measured (no statisticsBrokerPlugin answer)",
  };
};

export const handler = workflowStep(inputSchema, precheck);
