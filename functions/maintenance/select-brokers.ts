import { RequestValidationError } from "../lib/errors.js";
import { toFieldIssues } from "../lib/field-issues.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { gatherCandidates } from "./candidates.js";
import { recordBrokerProgress, recordRun } from "./progress.js";
import { type MaintenanceSettings, maintenanceRequestSchema, settingFromEnv } from "./request.js";
import { selectBrokers } from "./selection.js";

// Amazon MQ's maintenance takes up to 2 hours; a poll a minute is plenty there (the local cloud sets 2 s).
const DEFAULT_SETTINGS: MaintenanceSettings = {
  pollIntervalSeconds: settingFromEnv("MAINTENANCE_POLL_SECONDS", 60),
  deadlineSeconds: settingFromEnv("MAINTENANCE_DEADLINE_SECONDS", 2 * 3600),
};

const inputSchema = z.object({ ...stepBase, runId: z.string(), startedAt: z.string(), request: z.unknown() });

/**
 * Validates the run's input (it may come from the schedule, the API or StartExecution), selects the
 * brokers (managed, not skip-tagged, in their window for the schedule; the first is the canary) and
 * records the run and every broker in the state table.
 */
export const selectMaintenanceBrokers = async ({
  runId,
  startedAt,
  request,
}: z.infer<typeof inputSchema>) => {
  const parsed = maintenanceRequestSchema.safeParse(request ?? {});
  if (!parsed.success) {
    throw new RequestValidationError(
      toFieldIssues(parsed.error).map((issue) => ({ ...issue, field: `request.${issue.field}` })),
    );
  }
  const { settings: overrides, correlationId, ...rest } = parsed.data;
  const settings = { ...DEFAULT_SETTINGS, ...overrides };
  const at = [rest.scheduledTime, startedAt]
    .map((text) => Date.parse(text ?? ""))
    .find((ms) => !Number.isNaN(ms));
  const now = at === undefined ? new Date() : new Date(at);
  const { candidates, missing } = await gatherCandidates(rest.brokerIds);
  const selected = selectBrokers(candidates, rest.selection, now);
  const skipped = [
    ...selected.skipped,
    ...missing.map((brokerId) => ({
      brokerId,
      brokerName: brokerId,
      brokerArn: "",
      reason: "the broker does not exist",
    })),
  ];
  await recordRun(runId, {
    status: rest.dryRun ? "DRY_RUN" : "RUNNING",
    request: rest,
    startedAt: now.toISOString(),
    brokerIds: selected.brokers.map((b) => b.brokerId),
    skippedBrokerIds: skipped.map((b) => b.brokerId),
  });
  for (const [index, broker] of selected.brokers.entries()) {
    await recordBrokerProgress(runId, broker.brokerId, "SELECTED", {
      brokerName: broker.brokerName,
      status: "PENDING",
      role: index === 0 ? "canary" : "wave",
    });
  }
  return {
    runId,
    correlationId: correlationId ?? runId,
    request: rest,
    settings,
    brokers: selected.brokers,
    canary: selected.brokers.slice(0, 1),
    wave: selected.brokers.slice(1),
    skipped,
  };
};

export const handler = workflowStep(inputSchema, selectMaintenanceBrokers);
