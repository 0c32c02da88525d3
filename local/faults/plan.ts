import { z } from "zod";

/**
 * Fault rules for the local cloud, pure: which request a rule matches and what it does. A rule
 * answers a service's operation with an AWS error (status, code) a given number of times, delays it,
 * drops its connection without an answer, or stops the whole local cloud while the request is under
 * way. Read from MQOPS_FAULTS (a JSON array), or set at runtime with `mqops chaos` and by tests.
 */
export const faultRuleSchema = z
  .strictObject({
    /** The SigV4 signing name: `mq`, `states`, `secretsmanager`, `dynamodb`, … */
    service: z.string().min(1),
    /**
     * The operation: `X-Amz-Target`'s operation for JSON services (`StartExecution`), the `Action` of
     * a Query request (SNS `Publish`), or for REST-JSON `METHOD /path` with `*` for one segment
     * (`GET /v1/brokers/*`).
     */
    operation: z.string().min(1).max(1000),
    /** Answer with this AWS error instead of calling the service. */
    error: z.strictObject({ status: z.number().int().min(400).max(599), code: z.string().min(1) }).optional(),
    /** Wait this long before answering (or failing). */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Close the connection without an answer (the caller sees a network error, as on a lost response). */
    drop: z.literal(true).optional(),
    /**
     * Stop the local cloud while this request is under way (its connection is dropped): executions
     * stay RUNNING and are re-run at the next start, brokers are stopped and started again.
     */
    stopCloud: z.literal(true).optional(),
    /** Let this many matching requests through untouched first (e.g. the second DescribeBroker of a run). */
    after: z.number().int().min(0).max(1_000_000).optional(),
    /** How many matching requests the rule applies to; unlimited when absent. */
    times: z.number().int().min(1).max(1_000_000).optional(),
  })
  .refine((rule) => [rule.error, rule.delayMs, rule.drop, rule.stopCloud].some((v) => v !== undefined), {
    message: "needs at least one of error, delayMs, drop, stopCloud",
  })
  .refine((rule) => [rule.error, rule.drop, rule.stopCloud].filter((v) => v !== undefined).length <= 1, {
    message: "error, drop and stopCloud exclude each other (one outcome per request)",
  });
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** The rules in MQOPS_FAULTS; a bad value fails the local cloud's start with the field named. */
export function parseFaultPlan(text: string | undefined, source = "MQOPS_FAULTS"): FaultRule[] {
  if (text === undefined || text.trim() === "") return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON (expected an array of fault rules)`);
  }
  return checkFaultRules(value, source);
}

/** `value` as fault rules, or an error naming the first bad field (`MQOPS_FAULTS[0.error.status] …`). */
export function checkFaultRules(value: unknown, source = "MQOPS_FAULTS"): FaultRule[] {
  const parsed = z.array(faultRuleSchema).max(1000).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}[${issue?.path.join(".") ?? ""}] ${issue?.message ?? "is invalid"}`);
  }
  return parsed.data;
}

/** The operation a request is, in the terms rules use. */
export function operationOf(request: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}): string {
  const target = request.headers["x-amz-target"];
  if (target !== undefined) return target.slice(target.lastIndexOf(".") + 1);
  const contentType = request.headers["content-type"] ?? "";
  if (request.body !== undefined && contentType.startsWith("application/x-www-form-urlencoded")) {
    const action = new URLSearchParams(request.body.toString("utf8")).get("Action");
    if (action !== null) return action;
  }
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
