import { z } from "zod";
import { checkActiveMqXml } from "../lib/activemq-xml.js";
import { brokerSpecSchema, toFieldIssues } from "../lib/broker-request.js";
import { provisioningSettingsSchema } from "../lib/env.js";
import { RequestValidationError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";

// The same bounds the API's environment is checked against (functions/lib/env.ts).
const settingsSchema = provisioningSettingsSchema;

const inputSchema = z.object({
  ...stepBase,
  request: z.unknown(),
  settings: z.unknown(),
  startedAt: z.string(),
});

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
  const started = Date.parse(input.startedAt);
  const startedAt = Number.isNaN(started) ? Date.now() : started;
  const xml = request.data.activemqXml;
  return {
    deadline: new Date(startedAt + settings.data.deadlineSeconds * 1000).toISOString(),
    warnings: xml === undefined ? [] : checkActiveMqXml(xml).warnings,
  };
};

export const handler = workflowStep(inputSchema, validateRequest);
