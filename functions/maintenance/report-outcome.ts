import { PublishCommand } from "@aws-sdk/client-sns";
import { callAws } from "../lib/aws-errors.js";
import { sns } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { workflowStep } from "../lib/middleware.js";
import { type Notification, publishInput } from "../lib/notifications.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { recordBrokerProgress } from "./progress.js";
import { brokerRefSchema } from "./request.js";
import { runbook } from "./runbook.js";

const NOTIFICATIONS_TOPIC_ARN = requireEnv("NOTIFICATIONS_TOPIC_ARN");

export const OUTCOMES = ["COMPLETED", "SKIPPED", "FAILED", "ROLLED_BACK"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const EVENT_TYPES: Record<Outcome, Notification["type"]> = {
  COMPLETED: "MaintenanceCompleted",
  SKIPPED: "MaintenanceSkipped",
  FAILED: "MaintenanceFailed",
  ROLLED_BACK: "MaintenanceRolledBack",
};

const errorSchema = z.object({ Error: z.string(), Cause: z.optional(z.string()) });

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  broker: brokerRefSchema,
  status: z.enum(OUTCOMES),
  /** The iteration's state: whatever of these the broker's steps got to. */
  state: z.catchall(
    z.object({
      reason: z.optional(z.string()),
      plan: z.optional(
        z.catchall(
          z.object({
            targetEngineVersion: z.optional(z.string()),
            reasons: z.optional(z.array(z.string())),
            refusal: z.optional(z.string()),
          }),
          z.unknown(),
        ),
      ),
      error: z.optional(errorSchema),
      snapshot: z.optional(
        z.catchall(
          z.object({
            engineVersion: z.string(),
            configuration: z.optional(z.looseObject({ revision: z.number() })),
          }),
          z.unknown(),
        ),
      ),
      rollback: z.optional(z.catchall(z.object({ runbook: z.optional(z.array(z.string())) }), z.unknown())),
      rollbackError: z.optional(errorSchema),
    }),
    z.unknown(),
  ),
});

/** A step's Cause as Lambda reports it (`{"errorType","errorMessage"}`), or the text itself. */
function causeText(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === "string" ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

type State = z.infer<typeof inputSchema>["state"];

/**
 * The operator's runbook: the one Rollback wrote, or, when Rollback itself failed, one from what the
 * run planned and snapshotted, so a broker possibly left changed is never reported without one.
 */
function runbookOf(broker: z.infer<typeof brokerRefSchema>, state: State): string[] | undefined {
  if (state.rollback?.runbook !== undefined) return state.rollback.runbook;
  if (state.rollbackError === undefined) return undefined;
  const target = state.plan?.targetEngineVersion;
  return runbook({
    brokerId: broker.brokerId,
    brokerName: broker.brokerName,
    error: state.error?.Error ?? state.rollbackError.Error,
    engineChanged: target !== undefined && target !== state.snapshot?.engineVersion,
    ...(state.snapshot === undefined ? {} : { fromEngineVersion: state.snapshot.engineVersion }),
    ...(target === undefined ? {} : { toEngineVersion: target }),
    configurationRolledBack: false,
    ...(state.snapshot?.configuration === undefined
      ? {}
      : { fromRevision: state.snapshot.configuration.revision }),
    rollbackFailed: state.rollbackError.Error,
  });
}

/**
 * Ends one broker's maintenance: its state-table record gets the outcome, and the notifications topic
 * an event (`eventType` MaintenanceCompleted, MaintenanceSkipped, MaintenanceFailed or
 * MaintenanceRolledBack; a rollback or failure carries the runbook). Returns the broker's outcome.
 */
export const reportOutcome = async (input: z.infer<typeof inputSchema>) => {
  const { runId, broker, status, state } = input;
  const error = state.rollbackError ?? state.error;
  const reason = state.reason ?? state.plan?.refusal ?? state.plan?.reasons?.join("; ");
  const steps = runbookOf(broker, state);
  const outcome = {
    brokerId: broker.brokerId,
    brokerName: broker.brokerName,
    status,
    ...(state.plan?.targetEngineVersion === undefined
      ? {}
      : { targetEngineVersion: state.plan.targetEngineVersion }),
    ...(reason === undefined || reason === "" ? {} : { reason }),
    ...(error === undefined ? {} : { error: error.Error, cause: causeText(error.Cause)?.slice(0, 1000) }),
    ...(steps === undefined ? {} : { runbook: steps }),
  };
  await recordBrokerProgress(runId, broker.brokerId, "DONE", {
    ...outcome,
    finishedAt: new Date().toISOString(),
  });
  await callAws("Publish", () =>
    sns.send(
      new PublishCommand(
        publishInput(NOTIFICATIONS_TOPIC_ARN, {
          type: EVENT_TYPES[status],
          brokerName: broker.brokerName,
          detail: { runId, ...outcome },
        }),
      ),
    ),
  );
  return outcome;
};

export const handler = workflowStep(inputSchema, reportOutcome);
