/**
 * A CreateBroker request's shape and its rules across fields, without the activemq.xml check (and so
 * without an XML parser): what the provisioning steps after ValidateRequest parse their input with.
 */
import { MAX_CONFIGURATION_XML_CHARS } from "./activemq-xml.js";
import {
  AUTHENTICATION_STRATEGIES,
  BROKER_NAME,
  DAYS_OF_WEEK,
  DEPLOYMENT_MODES,
  ENGINE_TYPE,
  ENGINE_VERSIONS,
  HOST_INSTANCE_TYPES,
  isSupportedEngineVersion,
  MAX_GROUPS_PER_USER,
  MAX_REPLICATION_USERS,
  MAX_USERS,
  PASSWORD,
  requiresAutoMinorVersionUpgrade,
  SINGLE_INSTANCE_ONLY_HOST,
  subnetCountIssue,
  TAGS,
  TIME_OF_DAY,
  toMajorMinor,
  USERNAME,
} from "./amazon-mq.js";
import { ldapServerMetadataSchema } from "./ldap-server-metadata.js";
import { CLIENT_TOKEN } from "./state-table.js";
import { DEFAULT_TIME_ZONE, isMaintenanceTimeZone, TIME_ZONE_RULE } from "./time-zone.js";
import * as z from "./zod.js";

const SUBNET = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8,17}$/;
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/[A-Za-z0-9/_-]+|[0-9a-f-]{36})$/;

const password = z.string().check(
  z.minLength(PASSWORD.minLength, `must be at least ${PASSWORD.minLength} characters`),
  z.maxLength(PASSWORD.maxLength, `must be at most ${PASSWORD.maxLength} characters`),
  z.refine(
    (value) => new Set(value).size >= PASSWORD.minUniqueCharacters,
    `must contain at least ${PASSWORD.minUniqueCharacters} unique characters`,
  ),
  z.refine((value) => !PASSWORD.forbidden.test(value), "must not contain commas, colons or equal signs"),
);

/** A broker user as the workflow carries it: everything but the password, which stays in Secrets Manager. */
export const brokerUserSchema = z.strictObject({
  username: z.string().check(z.regex(USERNAME, "must be 2-100 of letters, digits and - . _ ~")),
  consoleAccess: z._default(z.boolean(), false),
  groups: z._default(
    z
      .array(z.string().check(z.regex(USERNAME, "must be 2-100 of letters, digits and - . _ ~")))
      .check(z.maxLength(MAX_GROUPS_PER_USER)),
    [],
  ),
  replicationUser: z._default(z.boolean(), false),
});
export const userWithPassword = z.extend(brokerUserSchema, { password });

const engineVersion = z
  .pipe(z.string(), z.transform(toMajorMinor))
  .check(z.refine(isSupportedEngineVersion, `must be one of ${ENGINE_VERSIONS.join(", ")} (major.minor)`));

const tags = z._default(
  z
    .record(
      z.string().check(
        z.minLength(1),
        z.maxLength(TAGS.keyMaxLength),
        z.refine(
          (key) => !key.toLowerCase().startsWith(TAGS.reservedPrefix),
          `must not start with ${TAGS.reservedPrefix}`,
        ),
      ),
      z.string().check(z.maxLength(TAGS.valueMaxLength)),
    )
    .check(z.refine((value) => Object.keys(value).length <= TAGS.max, `must have at most ${TAGS.max} tags`)),
  {},
);

export function requestShape<
  U extends z.ZodMiniType<{ username: string; replicationUser: boolean }>,
  L extends z.ZodMiniType<object>,
>(users: U, ldapServerMetadata: L) {
  return z.strictObject({
    brokerName: z.string().check(z.regex(BROKER_NAME, "must be 1-50 of letters, digits, - and _")),
    engineType: z.pipe(
      z.pipe(
        z.string(),
        z.transform((value) => value.toUpperCase()),
      ),
      z.literal(ENGINE_TYPE, `must be ${ENGINE_TYPE}`),
    ),
    engineVersion,
    autoMinorVersionUpgrade: z._default(z.boolean(), true),
    deploymentMode: z.enum(DEPLOYMENT_MODES, `must be one of ${DEPLOYMENT_MODES.join(", ")}`),
    hostInstanceType: z.enum(HOST_INSTANCE_TYPES, `must be one of ${HOST_INSTANCE_TYPES.join(", ")}`),
    // At least one with SIMPLE (checked across fields); LDAP brokers authenticate against the directory.
    users: z._default(z.array(users).check(z.maxLength(MAX_USERS)), []),
    authenticationStrategy: z._default(
      z.enum(AUTHENTICATION_STRATEGIES, `must be one of ${AUTHENTICATION_STRATEGIES.join(", ")}`),
      "SIMPLE",
    ),
    ldapServerMetadata: z.optional(ldapServerMetadata),
    activemqXml: z.optional(
      z
        .string()
        .check(
          z.maxLength(
            MAX_CONFIGURATION_XML_CHARS,
            `must be at most ${MAX_CONFIGURATION_XML_CHARS} characters`,
          ),
        ),
    ),
    maintenanceWindowStartTime: z.optional(
      z.strictObject({
        dayOfWeek: z.enum(DAYS_OF_WEEK, `must be one of ${DAYS_OF_WEEK.join(", ")}`),
        timeOfDay: z.string().check(z.regex(TIME_OF_DAY, "must be HH:MM (24-hour)")),
        timeZone: z._default(
          z.string().check(z.refine(isMaintenanceTimeZone, TIME_ZONE_RULE)),
          DEFAULT_TIME_ZONE,
        ),
      }),
    ),
    encryptionOptions: z._default(
      z.strictObject({
        useAwsOwnedKey: z.boolean(),
        kmsKeyId: z.optional(z.string().check(z.regex(KMS_KEY, "must be a KMS key id, alias or ARN"))),
      }),
      { useAwsOwnedKey: true },
    ),
    publiclyAccessible: z._default(z.boolean(), false),
    subnetIds: z._default(
      z.array(z.string().check(z.regex(SUBNET, "must be a subnet id (subnet-…)"))).check(z.maxLength(3)),
      [],
    ),
    securityGroups: z._default(
      z
        .array(z.string().check(z.regex(SECURITY_GROUP, "must be a security group id (sg-…)")))
        .check(z.maxLength(5)),
      [],
    ),
    logs: z._default(
      z.strictObject({ general: z._default(z.boolean(), false), audit: z._default(z.boolean(), false) }),
      {
        general: false,
        audit: false,
      },
    ),
    tags,
    clientToken: z.optional(
      z.string().check(z.regex(CLIENT_TOKEN, "must be 1-64 of letters, digits, - and _")),
    ),
  });
}

type RequestShape = z.infer<
  ReturnType<typeof requestShape<typeof brokerUserSchema, typeof ldapServerMetadataSchema>>
>;

/** Rules that span fields, as Amazon MQ applies them at CreateBroker (activemq.xml aside: broker-request.ts). */
export function checkAcrossFields(request: RequestShape, ctx: z.core.$RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  if (!request.autoMinorVersionUpgrade && requiresAutoMinorVersionUpgrade(request.engineVersion)) {
    issue(["autoMinorVersionUpgrade"], `must be true for engine version ${request.engineVersion}`);
  }
  const subnets = request.subnetIds;
  if (new Set(subnets).size !== subnets.length) issue(["subnetIds"], "must not repeat a subnet");
  const subnetIssue = subnetCountIssue(request.deploymentMode, subnets.length);
  if (subnetIssue !== undefined) issue(["subnetIds"], subnetIssue);
  if (
    request.hostInstanceType === SINGLE_INSTANCE_ONLY_HOST &&
    request.deploymentMode !== "SINGLE_INSTANCE"
  ) {
    issue(["hostInstanceType"], `${SINGLE_INSTANCE_ONLY_HOST} supports SINGLE_INSTANCE only`);
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
  if (request.users.filter((u) => u.replicationUser).length > MAX_REPLICATION_USERS) {
    issue(["users"], "must have at most one replication user");
  }
}

/**
 * The request as the workflow carries it after ValidateRequest (passwords in Secrets Manager, the
 * activemq.xml already checked there): the steps that act on it parse it with this.
 */
export const carriedBrokerSpecSchema = requestShape(brokerUserSchema, ldapServerMetadataSchema).check(
  z.superRefine(checkAcrossFields),
);
