import { z } from "zod";

/**
 * Fault rules for the local cloud, pure: which request a rule matches and what it does. A rule
 * answers a service's operation with an AWS error (status, code) a given number of times, or delays it.
 * Read from MQOPS_FAULTS (a JSON array) or set by tests.
 */
export const faultRuleSchema = z.strictObject({
  /** The SigV4 signing name: `mq`, `states`, `secretsmanager`, `dynamodb`, … */
  service: z.string().min(1),
  /**
   * The operation: `X-Amz-Target`'s operation for JSON services (`StartExecution`), or for REST-JSON
   * `METHOD /path` with `*` for one segment (`GET /v1/brokers/*`).
   */
  operation: z.string().min(1),
  /** Answer with this AWS error instead of calling the service. */
  error: z.strictObject({ status: z.number().int().min(400).max(599), code: z.string().min(1) }).optional(),
  /** Wait this long before answering (or failing). */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** How many matching requests the rule applies to; unlimited when absent. */
  times: z.number().int().min(1).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** The rules in MQOPS_FAULTS; a bad value fails the local cloud's start with the field named. */
export function parseFaultPlan(text: string | undefined): FaultRule[] {
  if (text === undefined || text.trim() === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("MQOPS_FAULTS is not valid JSON (expected an array of fault rules)");
  }
  const parsed = z.array(faultRuleSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`MQOPS_FAULTS[${issue?.path.join(".") ?? ""}] ${issue?.message ?? "is invalid"}`);
  }
  return parsed.data;
}

/** The operation a request is, in the terms rules use. */
export function operationOf(request: {
  method: string;
  path: string;
  headers: Record<string, string>;
}): string {
  const target = request.headers["x-amz-target"];
  if (target !== undefined) return target.slice(target.lastIndexOf(".") + 1);
  return `${request.method} ${request.path}`;
}

/** Whether `rule.operation` names `operation` (`*` stands for one path segment). */
export function matches(rule: FaultRule, service: string, operation: string): boolean {
  if (rule.service !== service) return false;
  if (!rule.operation.includes("*")) return rule.operation === operation;
  const pattern = rule.operation
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${pattern}$`).test(operation);
}
