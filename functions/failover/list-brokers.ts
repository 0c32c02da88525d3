import { RequestValidationError } from "../lib/errors.js";
import { toFieldIssues } from "../lib/field-issues.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { failoverRequestSchema } from "./request.js";
import { runSettingsFromEnv } from "./settings.js";
import { listWatchedBrokers } from "./watched-brokers.js";

const RUN_SETTINGS = runSettingsFromEnv();

const inputSchema = z.object({ ...stepBase, request: z.unknown() });

/**
 * Validates the run's input and lists the managed active/standby brokers to probe, with each
 * instance's endpoints, and how this run probes them (rounds, interval, timeout).
 */
export const listBrokers = async ({ request }: z.infer<typeof inputSchema>) => {
  const parsed = failoverRequestSchema.safeParse(request ?? {});
  if (!parsed.success) {
    throw new RequestValidationError(
      toFieldIssues(parsed.error).map((issue) => ({ ...issue, field: `request.${issue.field}` })),
    );
  }
  const brokers = await listWatchedBrokers(parsed.data.brokerIds);
  const settings = {
    ...RUN_SETTINGS,
    ...(parsed.data.rounds === undefined ? {} : { rounds: parsed.data.rounds }),
  };
  return { brokers, settings };
};

export const handler = workflowStep(inputSchema, listBrokers);
