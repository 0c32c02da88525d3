import { createHash } from "node:crypto";
import * as z from "../lib/zod.js";
import { scalingSettingsSchema } from "./settings.js";

/**
 * A queue registered for consumer autoscaling, as the state table keeps it. Items of one registration
 * share the partition `AUTOSCALING#<registrationId>`:
 * - `REGISTRATION`: what was registered (broker, queue, ECS service, settings, alarm names);
 * - `STATE`: what decisions carry between runs (service-rate hint, last scale times) and the decision
 *   lease (owner, expiry, sequence) that lets one execution at a time decide for the queue;
 * - `DECISION#<time>#<execution>#<round>`: one per decision or failure, newest last (kept 30 days: `expiresAt`).
 * An ECS service scaled for one queue carries a claim item, so a second queue cannot fight over it.
 */
export const ALARM_KINDS = ["scale-out", "scale-in", "from-zero"] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export const registrationKey = (registrationId: string) => ({
  pk: `AUTOSCALING#${registrationId}`,
  sk: "REGISTRATION",
});
export const scalingStateKey = (registrationId: string) => ({
  pk: `AUTOSCALING#${registrationId}`,
  sk: "STATE",
});
export const DECISION_PREFIX = "DECISION#";
/** `round` tells apart the records one execution makes in one second (its rounds, its failure). */
export const decisionKey = (registrationId: string, at: string, owner: string, round: string) => ({
  pk: `AUTOSCALING#${registrationId}`,
  sk: `${DECISION_PREFIX}${at}#${owner.slice(-36)}#${round}`,
});
/** The claim on an ECS service (by its ARN): at most one registered queue scales a service. */
export const serviceClaimKey = (serviceArn: string) => ({
  pk: `AUTOSCALING-SERVICE#${serviceArn}`,
  sk: "CLAIM",
});

/** Decision records expire after this long (DynamoDB TTL on `expiresAt`). */
export const DECISION_RETENTION_SECONDS = 30 * 86_400;

/**
 * A registration's id: the same broker and queue always give the same id, so PUT is an upsert and the
 * id can ride in alarm names (which CloudWatch limits to 255 characters, too few for any queue name).
 */
export function registrationId(brokerId: string, queue: string): string {
  return createHash("sha256").update(`${brokerId}\n${queue}`).digest("hex").slice(0, 16);
}

export const ecsServiceRefSchema = z.strictObject({
  /** Cluster name or ARN, as ECS takes it. */
  cluster: z
    .string()
    .check(
      z.regex(
        /^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255})$/,
        "must be an ECS cluster name (1-255 of letters, digits, - and _) or ARN",
      ),
    ),
  /** Service name or ARN. */
  service: z
    .string()
    .check(
      z.regex(
        /^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/([A-Za-z0-9_-]{1,255}\/)?[A-Za-z0-9_-]{1,255})$/,
        "must be an ECS service name (1-255 of letters, digits, - and _) or ARN",
      ),
    ),
});
export type EcsServiceRef = z.infer<typeof ecsServiceRefSchema>;

export const registrationSchema = z.object({
  registrationId: z.string(),
  brokerId: z.string(),
  brokerName: z.string(),
  /** CloudWatch `Broker` dimension values: `<name>-1`, and `<name>-2` for an active/standby pair. */
  instances: z.array(z.string()).check(z.minLength(1)),
  queue: z.string(),
  ecs: z.extend(ecsServiceRefSchema, { serviceArn: z.string() }),
  settings: scalingSettingsSchema,
  /** Alarm period (seconds); the re-decide loop waits this long between decisions. */
  periodSeconds: z.number().check(z.int(), z.gte(10)),
  alarms: z.strictObject({ "scale-out": z.string(), "scale-in": z.string(), "from-zero": z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Registration = z.infer<typeof registrationSchema>;

/** What the STATE item carries between decisions (all optional: a new registration has none). */
export const scalingStateSchema = z.object({
  serviceRateHint: z.optional(z.number().check(z.positive())),
  lastScaleOutAt: z.optional(z.number()),
  lastScaleInAt: z.optional(z.number()),
  sequence: z._default(z.number().check(z.int(), z.gte(0)), 0),
});
export type ScalingState = z.infer<typeof scalingStateSchema>;

/**
 * An ActiveMQ physical queue name the autoscaler can watch. ActiveMQ reads `,` as a composite destination
 * and `*`, `>` as wildcards (one name, many queues: no per-queue metrics), and `.` as the hierarchy
 * separator (an empty segment names nothing); a `queue://` prefix is a URL, not a name. CloudWatch's
 * dimension values are 1-1024 characters. Returns the problems, none for a valid name. Pure.
 */
export function queueNameIssues(queue: string): string[] {
  const issues: string[] = [];
  if (queue.length === 0 || queue.length > 1024) issues.push("must be 1-1024 characters");
  if (/[,*>]/.test(queue)) issues.push("must be one physical queue: no , (composite) or * > (wildcards)");
  if (/[\s\p{Cc}]/u.test(queue)) issues.push("must not contain whitespace or control characters");
  if (queue.startsWith(".") || queue.endsWith(".") || queue.includes("..")) {
    issues.push("must not have an empty .-separated segment");
  }
  if (/^(queue|topic|temp-queue|temp-topic):\/\//i.test(queue)) {
    issues.push("must be the queue's name without a destination URL prefix");
  }
  return issues;
}
