import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ecsServiceRefSchema, queueNameIssues } from "../autoscaling/registration.js";
import { scalingSettingsSchema } from "../autoscaling/settings.js";
import { type FieldIssue, RequestValidationError } from "../lib/errors.js";
import { toFieldIssues } from "../lib/field-issues.js";
import { jsonBody, pathParameter } from "../lib/http.js";
import { checkBrokerId } from "../lib/mq-errors.js";
import * as z from "../lib/zod.js";

/** The body of PUT /brokers/{id}/queues/{queue}/autoscaling. Settings default as the policy documents. */
export const registrationRequestSchema = z.strictObject({
  ecs: ecsServiceRefSchema,
  settings: z.prefault(scalingSettingsSchema, {}),
});
export type RegistrationRequest = z.infer<typeof registrationRequestSchema>;

export type RegistrationValidation =
  | { ok: true; request: RegistrationRequest }
  | { ok: false; issues: FieldIssue[] };

/** Validates a registration body and the queue name, listing every problem by field. Pure. */
export function validateRegistration(queue: string, body: unknown): RegistrationValidation {
  const parsed = registrationRequestSchema.safeParse(body);
  const issues = [
    ...queueNameIssues(queue).map((message) => ({ field: "queue", message })),
    ...(parsed.success ? [] : toFieldIssues(parsed.error)),
  ];
  if (!parsed.success || issues.length > 0) return { ok: false, issues };
  return { ok: true, request: parsed.data };
}

/** `{id}` and `{queue}` of the autoscaling routes, checked. */
export function registrationPath(event: APIGatewayProxyEventV2): { brokerId: string; queue: string } {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  const queue = pathParameter(event, "queue");
  const issues = queueNameIssues(queue).map((message) => ({ field: "queue", message }));
  if (issues.length > 0) throw new RequestValidationError(issues);
  return { brokerId, queue };
}

/** Parses PUT's path and body; a 400 names every bad field. */
export function parseRegistrationRequest(event: APIGatewayProxyEventV2) {
  const brokerId = checkBrokerId(pathParameter(event, "id"));
  const queue = pathParameter(event, "queue");
  const validation = validateRegistration(queue, jsonBody(event));
  if (!validation.ok) throw new RequestValidationError(validation.issues);
  return { brokerId, queue, ...validation.request };
}
