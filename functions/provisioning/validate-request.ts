import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { checkActiveMqXml } from "../lib/activemq-xml.js";
import { awsErrorName, callAws } from "../lib/aws-errors.js";
import { brokerSpecSchema } from "../lib/broker-request.js";
import { sfn } from "../lib/clients.js";
import { requireEnv } from "../lib/config.js";
import { provisioningSettingsSchema } from "../lib/env.js";
import { RequestValidationError } from "../lib/errors.js";
import { executionArn } from "../lib/executions.js";
import { toFieldIssues } from "../lib/field-issues.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";

const STATE_MACHINE_ARN = requireEnv("PROVISIONING_STATE_MACHINE_ARN");

// The same bounds the API's environment is checked against (functions/lib/env.ts).
const settingsSchema = provisioningSettingsSchema;

const inputSchema = z.object({
  ...stepBase,
  request: z.unknown(),
  settings: z.unknown(),
  startedAt: z.string(),
  executionName: z.optional(z.string()),
});

/**
 * When the execution started, as Step Functions recorded it. A run re-driven after a restart (the
 * local engine re-runs from StartAt, and gives the context a new StartTime) must keep the deadline
 * of the request's first run, or a broker that never comes up would be waited for again and again.
 * `$$.Execution.StartTime` is the fallback for a run that Step Functions does not know.
 */
async function executionStart(executionName: string | undefined, startedAt: string): Promise<number> {
  const context = Date.parse(startedAt);
  const fallback = Number.isNaN(context) ? Date.now() : context;
  if (executionName === undefined) return fallback;
  try {
    const execution = await callAws("DescribeExecution", () =>
      sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArn(STATE_MACHINE_ARN, executionName) }),
      ),
    );
    return execution?.startDate?.getTime() ?? fallback;
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") return fallback;
    throw error;
  }
}

/** Re-validates what the workflow was started with (it can be started without the API) and sets its deadline. */
export const validateRequest = async (input: z.infer<typeof inputSchema>) => {
  const request = brokerSpecSchema.safeParse(input.request);
  const settings = settingsSchema.safeParse(input.settings);
  const issues = [
    ...(request.success
      ? []
      : toFieldIssues(request.error).map((i) => ({ ...i, field: `request.${i.field}` }))),
    ...(settings.success
      ? []
      : toFieldIssues(settings.error).map((i) => ({ ...i, field: `settings.${i.field}` }))),
  ];
  if (!request.success || !settings.success) throw new RequestValidationError(issues);
  const startedAt = await executionStart(input.executionName, input.startedAt);
  const xml = request.data.activemqXml;
  return {
    deadline: new Date(startedAt + settings.data.deadlineSeconds * 1000).toISOString(),
    warnings: xml === undefined ? [] : checkActiveMqXml(xml).warnings,
  };
};

export const handler = workflowStep(inputSchema, validateRequest);
