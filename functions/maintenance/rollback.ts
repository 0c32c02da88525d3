import { RebootBrokerCommand, UpdateBrokerCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { describeBroker } from "../lib/describe-broker.js";
import { MaintenanceRollbackFailedError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { isRefusal, refusalReason } from "./mq-refusals.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";
import { runbook } from "./runbook.js";
import { reportsVersion } from "./versions.js";

const revisionSchema = z.object({ id: z.string(), revision: z.number().check(z.int()) });

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  snapshot: z.looseObject({ engineVersion: z.string(), configuration: z.optional(revisionSchema) }),
  plan: z.looseObject({ targetEngineVersion: z.optional(z.string()) }),
  error: z.object({ Error: z.string(), Cause: z.optional(z.string()) }),
  deadlineSeconds: z.number().check(z.int(), z.gte(1)),
});

/**
 * Rolls back what can be: the configuration revision (UpdateBroker back to the snapshot's, then
 * RebootBroker). An engine version cannot be downgraded: the runbook says what an operator does.
 */
export const rollback = async ({
  runId,
  broker: ref,
  snapshot,
  plan,
  error,
  deadlineSeconds,
}: z.infer<typeof inputSchema>) => {
  await recordBrokerProgress(runId, ref.brokerId, "ROLLING_BACK", { error: error.Error });
  const broker = await describeBroker(ref.brokerId);
  const before = snapshot.configuration;
  const current = broker.Configurations?.Current;
  const pending = broker.Configurations?.Pending;
  const configurationChanged =
    before !== undefined &&
    (current?.Id !== before.id || current?.Revision !== before.revision || pending !== undefined);
  const engineChanged =
    broker.PendingEngineVersion !== undefined ||
    !reportsVersion(broker.EngineVersion ?? "", snapshot.engineVersion);
  if (configurationChanged && before !== undefined) {
    try {
      await callAws("UpdateBroker", () =>
        mq.send(
          new UpdateBrokerCommand({
            BrokerId: ref.brokerId,
            Configuration: { Id: before.id, Revision: before.revision },
          }),
        ),
      );
      await callAws("RebootBroker", () => mq.send(new RebootBrokerCommand({ BrokerId: ref.brokerId })));
    } catch (failure) {
      if (isRefusal(failure))
        throw new MaintenanceRollbackFailedError(ref.brokerId, refusalReason(failure), { cause: failure });
      throw failure;
    }
  }
  const steps = runbook({
    brokerId: ref.brokerId,
    brokerName: ref.brokerName,
    error: error.Error,
    engineChanged,
    fromEngineVersion: snapshot.engineVersion,
    toEngineVersion: broker.PendingEngineVersion ?? plan.targetEngineVersion ?? broker.EngineVersion,
    configurationRolledBack: configurationChanged,
    ...(before === undefined ? {} : { fromRevision: before.revision }),
  });
  return {
    rebooted: configurationChanged,
    configurationRolledBack: configurationChanged,
    engineChanged,
    expect: before === undefined ? {} : { configuration: before },
    deadline: new Date(Date.now() + deadlineSeconds * 1000).toISOString(),
    runbook: steps,
  };
};

export const handler = workflowStep(inputSchema, rollback);
