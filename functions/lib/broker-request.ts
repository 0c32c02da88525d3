import { z } from "zod";
import { checkActiveMqXml, MAX_CONFIGURATION_XML_CHARS } from "./activemq-xml.js";
import type { FieldIssue } from "./errors.js";
import {
  AUTHENTICATION_STRATEGIES,
  ldapServerMetadataInputSchema,
  ldapServerMetadataSchema,
} from "./ldap-server-metadata.js";
import { DEFAULT_TIME_ZONE, isMaintenanceTimeZone, TIME_ZONE_RULE } from "./time-zone.js";

/** Engine versions Amazon MQ accepts for ActiveMQ today (major.minor). */
export const SUPPORTED_ENGINE_VERSIONS = ["5.18", "5.19"] as const;
export const DEPLOYMENT_MODES = ["SINGLE_INSTANCE", "ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ"] as const;
export const HOST_INSTANCE_TYPES = [
  "mq.t3.micro",
  "mq.m5.large",
  "mq.m5.xlarge",
  "mq.m5.2xlarge",
  "mq.m5.4xlarge",
] as const;
const DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;

const NAME = /^[A-Za-z0-9_-]{1,50}$/;
const USERNAME = /^[A-Za-z0-9._~-]{2,100}$/;
const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36})$/;
export const CLIENT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

const password = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(250, "must be at most 250 characters")
  .refine((value) => new Set(value).size >= 4, "must contain at least 4 unique characters")
  .refine((value) => !/[,:=]/.test(value), "must not contain commas, colons or equal signs");

/** A broker user as the workflow carries it: everything but the password, which stays in Secrets Manager. */
export const brokerUserSchema = z.strictObject({
  username: z.string().regex(USERNAME, "must be 2-100 of letters, digits and - . _ ~"),
  consoleAccess: z.boolean().default(false),
  groups: z
    .array(z.string().regex(USERNAME, "must be 2-100 of letters, digits and - . _ ~"))
    .max(20)
    .default([]),
  replicationUser: z.boolean().default(false),
});
const userWithPassword = brokerUserSchema.extend({ password });

const engineVersion = z
  .string()
  .transform((value) => value.trim().split(".").slice(0, 2).join("."))
  .refine(
    (value) => (SUPPORTED_ENGINE_VERSIONS as readonly string[]).includes(value),
    `must be one of ${SUPPORTED_ENGINE_VERSIONS.join(", ")} (major.minor)`,
  );

const tags = z
  .record(
    z
      .string()
      .min(1)
      .max(128)
      .refine((key) => !key.toLowerCase().startsWith("aws:"), "must not start with aws:"),
    z.string().max(256),
  )
  .refine((value) => Object.keys(value).length <= 50, "must have at most 50 tags")
  .default({});

function requestShape<
  U extends z.ZodType<{ username: string; replicationUser: boolean }>,
  L extends z.ZodType<object>,
>(users: U, ldapServerMetadata: L) {
  return z.strictObject({
    brokerName: z.string().regex(NAME, "must be 1-50 of letters, digits, - and _"),
    engineType: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.literal("ACTIVEMQ", "must be ACTIVEMQ")),
    engineVersion,
    autoMinorVersionUpgrade: z.boolean().default(true),
    deploymentMode: z.enum(DEPLOYMENT_MODES, `must be one of ${DEPLOYMENT_MODES.join(", ")}`),
    hostInstanceType: z.enum(HOST_INSTANCE_TYPES, `must be one of ${HOST_INSTANCE_TYPES.join(", ")}`),
    // At least one with SIMPLE (checked across fields); LDAP brokers authenticate against the directory.
    users: z.array(users).max(250).default([]),
    authenticationStrategy: z
      .enum(AUTHENTICATION_STRATEGIES, `must be one of ${AUTHENTICATION_STRATEGIES.join(", ")}`)
      .default("SIMPLE"),
    ldapServerMetadata: ldapServerMetadata.optional(),
    activemqXml: z
      .string()
      .max(MAX_CONFIGURATION_XML_CHARS, `must be at most ${MAX_CONFIGURATION_XML_CHARS} characters`)
      .optional(),
    maintenanceWindowStartTime: z
      .strictObject({
        dayOfWeek: z.enum(DAYS, `must be one of ${DAYS.join(", ")}`),
        timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour)"),
        timeZone: z.string().refine(isMaintenanceTimeZone, TIME_ZONE_RULE).default(DEFAULT_TIME_ZONE),
      })
      .optional(),
    encryptionOptions: z
      .strictObject({
        useAwsOwnedKey: z.boolean(),
        kmsKeyId: z.string().regex(KMS_KEY, "must be a KMS key id, alias or ARN").optional(),
      })
      .default({ useAwsOwnedKey: true }),
    publiclyAccessible: z.boolean().default(false),
    subnetIds: z.array(z.string().regex(SUBNET, "must be a subnet id (subnet-…)")).max(3).default([]),
    securityGroups: z
      .array(z.string().regex(SECURITY_GROUP, "must be a security group id (sg-…)"))
      .max(5)
      .default([]),
    logs: z.strictObject({ general: z.boolean().default(false), audit: z.boolean().default(false) }).default({
      general: false,
      audit: false,
    }),
    tags,
    clientToken: z.string().regex(CLIENT_TOKEN, "must be 1-64 of letters, digits, - and _").optional(),
  });
}

type RequestShape = z.infer<
  ReturnType<typeof requestShape<typeof brokerUserSchema, typeof ldapServerMetadataSchema>>
>;

/** Rules that span fields, as Amazon MQ applies them at CreateBroker. */
function checkAcrossFields(request: RequestShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  if (!request.autoMinorVersionUpgrade) {
    issue(["autoMinorVersionUpgrade"], `must be true for engine version ${request.engineVersion}`);
  }
  const subnets = request.subnetIds;
  if (new Set(subnets).size !== subnets.length) issue(["subnetIds"], "must not repeat a subnet");
  if (request.deploymentMode === "SINGLE_INSTANCE" && subnets.length > 1) {
    issue(["subnetIds"], "must have at most one subnet for SINGLE_INSTANCE");
  }
  if (request.deploymentMode === "ACTIVE_STANDBY_MULTI_AZ" && subnets.length !== 0 && subnets.length !== 2) {
    issue(
      ["subnetIds"],
      "must have exactly two subnets (in two Availability Zones) for ACTIVE_STANDBY_MULTI_AZ",
    );
  }
  if (request.deploymentMode === "CLUSTER_MULTI_AZ" && subnets.length === 1) {
    issue(["subnetIds"], "must have at least two subnets for CLUSTER_MULTI_AZ");
  }
  if (request.hostInstanceType === "mq.t3.micro" && request.deploymentMode !== "SINGLE_INSTANCE") {
    issue(["hostInstanceType"], "mq.t3.micro supports SINGLE_INSTANCE only");
  }
  if (request.encryptionOptions.useAwsOwnedKey && request.encryptionOptions.kmsKeyId !== undefined) {
    issue(["encryptionOptions", "kmsKeyId"], "must be omitted when useAwsOwnedKey is true");
  }
  if (request.authenticationStrategy === "SIMPLE" && request.users.length === 0) {
    issue(["users"], "must have at least one user");
  }
  if (request.authenticationStrategy === "LDAP" && request.ldapServerMetadata === undefined) {
    issue(["ldapServerMetadata"], "is required when authenticationStrategy is LDAP");
  }
  if (request.authenticationStrategy === "SIMPLE" && request.ldapServerMetadata !== undefined) {
    issue(["ldapServerMetadata"], "must be omitted unless authenticationStrategy is LDAP");
  }
  const names = request.users.map((u) => u.username);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) issue(["users", index, "username"], `repeats ${name}`);
  });
  if (request.users.filter((u) => u.replicationUser).length > 1) {
    issue(["users"], "must have at most one replication user");
  }
  if (request.activemqXml !== undefined) {
    for (const message of checkActiveMqXml(request.activemqXml).errors) issue(["activemqXml"], message);
  }
}

/** A CreateBroker request as the API takes it (Amazon MQ's CreateBroker members, camelCase). */
export const createBrokerRequestSchema = requestShape(
  userWithPassword,
  ldapServerMetadataInputSchema,
).superRefine(checkAcrossFields);
export type CreateBrokerRequest = z.infer<typeof createBrokerRequestSchema>;

/** The same request as the workflow carries it: passwords removed (they are in Secrets Manager). */
export const brokerSpecSchema = requestShape(brokerUserSchema, ldapServerMetadataSchema).superRefine(
  checkAcrossFields,
);
export type BrokerSpec = z.infer<typeof brokerSpecSchema>;

/** Formats a zod path as the API reports fields: `users[0].password`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    const name = String(part);
    // A key that is not a plain name (empty, control characters, huge) is quoted and cut, so the
    // field is never blank and a 400 never echoes a whole user-supplied key.
    if (!/^[!-~]{1,128}$/.test(name)) return `${text}[${JSON.stringify(name.slice(0, 64))}]`;
    return text === "" ? name : `${text}.${name}`;
  }, "");
}

export type ValidationResult =
  | { ok: true; request: CreateBrokerRequest }
  | { ok: false; issues: FieldIssue[] };

/** Validates a CreateBroker request and lists every problem by field. Pure. */
export function validateCreateBrokerRequest(input: unknown): ValidationResult {
  const parsed = createBrokerRequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, issues: toFieldIssues(parsed.error) };
}

/** Lists zod's issues by field, in the API's words. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        message: "is not a known field",
      }));
    }
    if (issue.code === "invalid_key") {
      const inner = issue.issues[0]?.message ?? issue.message;
      return [{ field: fieldPath(issue.path), message: `key ${inner}` }];
    }
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    return [{ field: fieldPath(issue.path) || "body", message: missing ? "is required" : issue.message }];
  });
}
