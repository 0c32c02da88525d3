import { DayOfWeek, MAX_USERS } from "../../functions/lib/amazon-mq.js";
import { findConfiguration, findRevision } from "./configurations.js";
import type { MqContext } from "./context.js";
import { InvalidParameter, MissingParameter } from "./exceptions.js";
import type { Fields } from "./fields.js";
import { ldapServerMetadata } from "./ldap.js";
import { replicaRequest } from "./replication.js";
import type { BrokerAuthentication, ConfigurationRef } from "./state.js";
import * as validate from "./validation.js";

/** Parsing of the broker requests' bodies (the request side of moto's responses.py). */

/**
 * The configuration revision a request names (`{id, revision}`; the latest revision when omitted).
 * A configuration's engineVersion is not matched against the broker's: the runtime runs the same
 * ActiveMQ for every label, and a 5.18 configuration stays valid after an upgrade to 5.19.
 */
export function configurationRef(context: MqContext, fields: Fields): ConfigurationRef {
  const id = fields.requiredString("id");
  const configuration = findConfiguration(context, id, fields.attribute("id"));
  const revision = fields.integer("revision") ?? configuration.revisions.length;
  findRevision(configuration, revision, fields.attribute("revision"));
  return { id, revision };
}

function requestedUsers(body: Fields, authenticationStrategy: BrokerAuthentication) {
  const entries = body.objectList("users");
  // An LDAP broker's clients log in with the directory's users; Amazon MQ makes `users` optional then.
  if (authenticationStrategy === "LDAP" && (entries === undefined || entries.length === 0)) return [];
  if (entries === undefined || entries.length === 0) {
    throw new InvalidParameter("users", "must have at least one user");
  }
  if (entries.length > MAX_USERS) {
    throw new InvalidParameter("users", `must have at most ${MAX_USERS} users`);
  }
  const users = entries.map((entry) => validate.newUser(entry, entry.requiredString("username")));
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.username)) throw new InvalidParameter("users", `repeats the username ${user.username}`);
    seen.add(user.username);
  }
  if (users.filter((user) => user.replicationUser).length > 1) {
    throw new InvalidParameter("users", "must have at most one replication user");
  }
  return users;
}

/**
 * A CreateBroker request checked member by member, in the order Amazon MQ reports them: the new
 * broker's settings, or the BadRequestException of the first member that breaks a rule.
 */
export function parseCreateBroker(context: MqContext, body: Fields) {
  const name = validate.brokerName(body.requiredString("brokerName"));
  validate.engineType(body.string("engineType"));
  const engineVersion = validate.engineVersion(body.string("engineVersion"));
  const autoMinorVersionUpgrade = validate.autoMinorVersionUpgrade(
    body.boolean("autoMinorVersionUpgrade"),
    engineVersion,
  );
  const deploymentMode = validate.deploymentMode(body.string("deploymentMode"));
  const hostInstanceType = validate.hostInstanceType(body.string("hostInstanceType"), deploymentMode);
  const storageType = validate.storageType(body.string("storageType"), deploymentMode);
  const publiclyAccessible = body.boolean("publiclyAccessible");
  if (publiclyAccessible === undefined) throw new MissingParameter("publiclyAccessible");
  const authenticationStrategy = validate.authenticationStrategy(body.string("authenticationStrategy"));
  const ldapFields = body.object("ldapServerMetadata");
  if (authenticationStrategy === "LDAP" && ldapFields === undefined) {
    throw new InvalidParameter("ldapServerMetadata", "is required when authenticationStrategy is LDAP");
  }
  if (authenticationStrategy === "SIMPLE" && ldapFields !== undefined) {
    throw new InvalidParameter("ldapServerMetadata", "must be omitted unless authenticationStrategy is LDAP");
  }
  const ldap = ldapFields === undefined ? undefined : ldapServerMetadata(ldapFields, context.sealingKey);
  const replica = replicaRequest(context, body, deploymentMode);
  const users = requestedUsers(body, authenticationStrategy);
  const encryption = body.object("encryptionOptions");
  const useAwsOwnedKey = encryption?.boolean("useAwsOwnedKey") ?? true;
  const kmsKeyId = encryption?.string("kmsKeyId");
  if (useAwsOwnedKey && kmsKeyId !== undefined) {
    throw new InvalidParameter("encryptionOptions.kmsKeyId", "must be omitted when useAwsOwnedKey is true");
  }
  const logs = body.object("logs");
  const maintenanceWindowStartTime = validate.maintenanceWindow(
    body.object("maintenanceWindowStartTime"),
  ) ?? {
    dayOfWeek: DayOfWeek.SUNDAY,
    timeOfDay: "02:00",
    timeZone: "UTC",
  };
  const tags = validate.tags(body.stringMap("tags"));
  const requested = body.object("configuration");
  const configuration = requested === undefined ? undefined : configurationRef(context, requested);
  return {
    replica,
    configuration,
    ldap,
    users,
    settings: {
      name,
      engineVersion,
      autoMinorVersionUpgrade,
      deploymentMode,
      hostInstanceType,
      storageType,
      publiclyAccessible,
      authenticationStrategy,
      encryptionOptions: { useAwsOwnedKey, ...(kmsKeyId === undefined ? {} : { kmsKeyId }) },
      logs: { general: logs?.boolean("general") ?? false, audit: logs?.boolean("audit") ?? false },
      maintenanceWindowStartTime,
      securityGroups: body.stringList("securityGroups") ?? [],
      subnetIds: body.stringList("subnetIds") ?? [],
      tags,
    },
  };
}
