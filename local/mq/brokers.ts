import { createHash, randomUUID } from "node:crypto";
import { ENGINE_TYPE } from "../../functions/lib/amazon-mq.js";
import type { BrokerRunSpec } from "../brokers/types.js";
import { AwsServiceError, badRequest, conflict, notFound } from "../server/aws-error.js";
import { LOCAL_ACCOUNT } from "../server/service.js";
import { addConfiguration, findConfiguration, findRevision, revisionXml } from "./configurations.js";
import type { MqContext } from "./context.js";
import type { Fields } from "./fields.js";
import { describeLdap, ldapServerMetadata, runtimeLdap } from "./ldap.js";
import { page } from "./pagination.js";
import {
  displayedState,
  linkReplica,
  replicaRequest,
  replicationDescription,
  replicationRunSpec,
} from "./replication.js";
import type { OperationCall } from "./router.js";
import {
  applyPendingChanges,
  assertCanDelete,
  assertCanReboot,
  assertCanUpdate,
  type BrokerRecord,
  type BrokerState,
  type ConfigurationRef,
  maskPasswords,
} from "./state.js";
import * as validate from "./validation.js";

export function findBroker(context: MqContext, id: string): BrokerRecord {
  // Own keys only: `__proto__` or `constructor` in a path is an unknown broker, not Object's prototype.
  const broker = Object.hasOwn(context.state.brokers, id) ? context.state.brokers[id] : undefined;
  if (broker === undefined) throw notFound(`Broker ${id} does not exist.`, "broker-id");
  return broker;
}

/** What the runtime starts the broker with: its current configuration revision, decoded, and its active users. */
function runSpec(context: MqContext, broker: BrokerRecord): BrokerRunSpec {
  const { id, revision } = broker.configuration.current;
  const configuration = findConfiguration(context, id, "configuration");
  return {
    brokerId: broker.id,
    brokerName: broker.name,
    deploymentMode: broker.deploymentMode,
    configurationXml: revisionXml(findRevision(configuration, revision, "configuration")),
    // The users the broker has now; pending user changes reach the runtime only through a reboot.
    users: broker.users.flatMap(({ username, active }) =>
      active === undefined
        ? []
        : [
            {
              username,
              password: active.password,
              groups: active.groups,
              consoleAccess: active.consoleAccess,
            },
          ],
    ),
    ...(broker.ldapServerMetadata === undefined
      ? {}
      : { ldap: runtimeLdap(broker.ldapServerMetadata, context.sealingKey) }),
    ports: broker.ports,
    ...replicationRunSpec(broker),
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The broker lifecycle steps that run after the request: each waits for the runtime and records the
 * outcome in the broker's state. A broker record is never dropped on failure: the reason is kept in
 * `problem` (DescribeBroker's `actionsRequired`), passwords masked.
 */
export function brokerLifecycle(context: MqContext) {
  /**
   * Records a step's failure, unless the broker has moved on meanwhile (`from` is the state the step
   * began in): a late answer from the runtime never overwrites a newer state.
   */
  const fail = (brokerId: string, from: BrokerState, to: BrokerState, code: string, error: unknown) => {
    const broker = context.state.brokers[brokerId];
    if (broker === undefined || broker.state !== from) return;
    broker.state = to;
    broker.problem = { code, info: maskPasswords(broker, message(error)) };
    context.save();
  };

  /** Starts the broker's processes: RUNNING once it accepts connections, `failState` if it cannot start. */
  const bringUp = async (brokerId: string, failState: "CREATION_FAILED" | "CRITICAL_ACTION_REQUIRED") => {
    const broker = context.state.brokers[brokerId];
    if (broker === undefined) return;
    const from = broker.state;
    try {
      await context.runtime.start(runSpec(context, broker));
    } catch (error) {
      fail(brokerId, from, failState, "BROKER_START_FAILED", error);
      return;
    }
    const started = context.state.brokers[brokerId];
    if (started === undefined || started.state !== from) return;
    started.state = "RUNNING";
    started.problem = undefined;
    context.save();
  };

  /**
   * Amazon MQ reboots an active/standby pair one instance at a time, so one always serves: the
   * runtime's rolling restart does that with the pending changes applied. Other brokers (and a
   * runtime without it) are stopped and started.
   */
  const reboot = async (brokerId: string) => {
    const broker = context.state.brokers[brokerId];
    const rollingReboot = context.runtime.reboot?.bind(context.runtime);
    if (broker?.deploymentMode === "ACTIVE_STANDBY_MULTI_AZ" && rollingReboot !== undefined) {
      try {
        await rollingReboot(runSpec(context, broker));
      } catch (error) {
        fail(brokerId, "REBOOT_IN_PROGRESS", "CRITICAL_ACTION_REQUIRED", "BROKER_START_FAILED", error);
        return;
      }
      const restarted = context.state.brokers[brokerId];
      if (restarted === undefined || restarted.state !== "REBOOT_IN_PROGRESS") return;
      restarted.state = "RUNNING";
      restarted.problem = undefined;
      context.save();
      return;
    }
    try {
      await context.runtime.stop(brokerId);
    } catch (error) {
      fail(brokerId, "REBOOT_IN_PROGRESS", "CRITICAL_ACTION_REQUIRED", "BROKER_STOP_FAILED", error);
      return;
    }
    await bringUp(brokerId, "CRITICAL_ACTION_REQUIRED");
  };

  /** Removes the broker once its processes are stopped and its data deleted. */
  const remove = async (brokerId: string) => {
    try {
      await context.runtime.destroy(brokerId);
    } catch (error) {
      fail(brokerId, "DELETION_IN_PROGRESS", "CRITICAL_ACTION_REQUIRED", "BROKER_DELETION_FAILED", error);
      return;
    }
    delete context.state.brokers[brokerId];
    context.save();
  };

  /**
   * After a restart of the local cloud: RUNNING brokers start again (CRITICAL_ACTION_REQUIRED if
   * they no longer can); a creation or reboot that was under way is carried out again (its pending
   * changes were applied when the reboot began); a deletion that was under way is finished.
   * CREATION_FAILED and CRITICAL_ACTION_REQUIRED brokers stay as they are.
   */
  const resume = async () => {
    const steps = Object.values(context.state.brokers).map((broker) => {
      switch (broker.state) {
        case "RUNNING":
        case "REBOOT_IN_PROGRESS":
          return bringUp(broker.id, "CRITICAL_ACTION_REQUIRED");
        case "CREATION_IN_PROGRESS":
          return bringUp(broker.id, "CREATION_FAILED");
        case "DELETION_IN_PROGRESS":
          return remove(broker.id);
        default:
          return Promise.resolve();
      }
    });
    await Promise.all(steps);
  };

  return { bringUp, reboot, remove, resume };
}

/**
 * The configuration revision a request names (`{id, revision}`; the latest revision when omitted).
 * A configuration's engineVersion is not matched against the broker's: the runtime runs the same
 * ActiveMQ for every label, and a 5.18 configuration stays valid after an upgrade to 5.19.
 */
function configurationRef(context: MqContext, fields: Fields): ConfigurationRef {
  const id = fields.requiredString("id");
  const configuration = findConfiguration(context, id, fields.attribute("id"));
  const revision = fields.integer("revision") ?? configuration.revisions.length;
  findRevision(configuration, revision, fields.attribute("revision"));
  return { id, revision };
}

/** The actionRequiredCode of a broker with an instance the runtime gave up restarting. */
export const INSTANCE_LOST_CODE = "BROKER_INSTANCE_FAILED";

/**
 * A RUNNING broker with an instance whose JVM kept dying until the runtime gave up restarting it
 * is CRITICAL_ACTION_REQUIRED from then on: Amazon MQ's state for "running, but in a degraded state
 * and requires immediate action" (a pair that lost an instance for good can no longer fail over; a
 * single instance serves nothing). The action is RebootBroker, which starts every instance afresh.
 * Checked when the broker is read: the runtime owns the processes, the control plane the state.
 */
export function noteLostInstances(context: MqContext, broker: BrokerRecord): BrokerRecord {
  if (broker.state !== "RUNNING") return broker;
  const lost = context.runtime
    .status(broker.id)
    .flatMap((instance, index) => (instance.gaveUp === true ? [index + 1] : []));
  if (lost.length === 0) return broker;
  broker.state = "CRITICAL_ACTION_REQUIRED";
  broker.problem = {
    code: INSTANCE_LOST_CODE,
    info: `Instance ${lost.join(", ")} of ${broker.ports.length} stopped and the local cloud gave up restarting it after repeated failures. Reboot the broker (RebootBroker) to start it again.`,
  };
  context.save();
  return broker;
}

function brokerInstances(broker: BrokerRecord) {
  const degraded = broker.state === "CRITICAL_ACTION_REQUIRED" && broker.problem?.code === INSTANCE_LOST_CODE;
  if (broker.state !== "RUNNING" && broker.state !== "REBOOT_IN_PROGRESS" && !degraded) return [];
  // What works on this machine: plain OpenWire and STOMP on loopback (Amazon MQ lists ssl:// and
  // stomp+ssl:// on its own host). No web console runs locally, so there is no consoleURL.
  return broker.ports.map((ports) => ({
    endpoints: [`tcp://127.0.0.1:${ports.openwire}`, `stomp://127.0.0.1:${ports.stomp}`],
    ipAddress: "127.0.0.1",
  }));
}

function describeBroker(broker: BrokerRecord) {
  return {
    ...(broker.problem === undefined
      ? {}
      : {
          actionsRequired: [
            { actionRequiredCode: broker.problem.code, actionRequiredInfo: broker.problem.info },
          ],
        }),
    authenticationStrategy: broker.authenticationStrategy,
    ...(broker.ldapServerMetadata === undefined
      ? {}
      : { ldapServerMetadata: describeLdap(broker.ldapServerMetadata) }),
    autoMinorVersionUpgrade: broker.autoMinorVersionUpgrade,
    brokerArn: broker.arn,
    brokerId: broker.id,
    brokerInstances: brokerInstances(broker),
    brokerName: broker.name,
    brokerState: displayedState(broker),
    configurations: broker.configuration,
    created: broker.created,
    deploymentMode: broker.deploymentMode,
    encryptionOptions: broker.encryptionOptions,
    engineType: ENGINE_TYPE,
    engineVersion: broker.engineVersion,
    hostInstanceType: broker.hostInstanceType,
    logs: broker.logs,
    maintenanceWindowStartTime: broker.maintenanceWindowStartTime,
    pendingEngineVersion: broker.pendingEngineVersion,
    pendingHostInstanceType: broker.pendingHostInstanceType,
    publiclyAccessible: broker.publiclyAccessible,
    securityGroups: broker.securityGroups,
    storageType: broker.storageType,
    subnetIds: broker.subnetIds,
    tags: broker.tags,
    users: broker.users.map((user) => ({
      username: user.username,
      ...(user.pending === undefined ? {} : { pendingChange: user.pending.change }),
    })),
    ...replicationDescription(broker),
  };
}

function requestedUsers(body: Fields, authenticationStrategy: "SIMPLE" | "LDAP") {
  const entries = body.objectList("users");
  // An LDAP broker's clients log in with the directory's users; Amazon MQ makes `users` optional then.
  if (authenticationStrategy === "LDAP" && (entries === undefined || entries.length === 0)) return [];
  if (entries === undefined || entries.length === 0) {
    throw badRequest("users must have at least one user.", "users");
  }
  if (entries.length > validate.MAX_USERS) {
    throw badRequest(`users must have at most ${validate.MAX_USERS} users.`, "users");
  }
  const users = entries.map((entry) => validate.newUser(entry, entry.requiredString("username")));
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.username)) throw badRequest(`users repeats the username ${user.username}.`, "users");
    seen.add(user.username);
  }
  if (users.filter((user) => user.replicationUser).length > 1) {
    throw badRequest("users must have at most one replication user.", "users");
  }
  return users;
}

export function brokerOperations(context: MqContext, lifecycle: ReturnType<typeof brokerLifecycle>) {
  /** The broker an earlier CreateBroker with this creatorRequestId made, if the request is a retry. */
  const earlierRequest = (creatorRequestId: string | undefined, digest: string) => {
    if (creatorRequestId === undefined) return undefined;
    const earlier = Object.values(context.state.brokers).find(
      (broker) => broker.creatorRequestId === creatorRequestId,
    );
    if (earlier === undefined) return undefined;
    if (earlier.requestDigest !== digest) {
      throw conflict(
        `creatorRequestId ${creatorRequestId} was used for broker ${earlier.id} with different parameters.`,
        "creatorRequestId",
      );
    }
    return { brokerArn: earlier.arn, brokerId: earlier.id };
  };

  const assertNameFree = (name: string) => {
    if (Object.values(context.state.brokers).some((broker) => broker.name === name)) {
      throw conflict(`A broker named ${name} already exists; broker names are unique.`, "brokerName");
    }
  };

  return {
    async CreateBroker({ body, request }: OperationCall) {
      const creatorRequestId = body.string("creatorRequestId");
      const digest = createHash("sha256").update(request.body).digest("hex");
      const retried = earlierRequest(creatorRequestId, digest);
      if (retried !== undefined) return retried;

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
      if (publiclyAccessible === undefined) {
        throw badRequest("publiclyAccessible is required.", "publiclyAccessible");
      }
      const authenticationStrategy = validate.authenticationStrategy(body.string("authenticationStrategy"));
      const ldapFields = body.object("ldapServerMetadata");
      if (authenticationStrategy === "LDAP" && ldapFields === undefined) {
        throw badRequest(
          "ldapServerMetadata is required when authenticationStrategy is LDAP.",
          "ldapServerMetadata",
        );
      }
      if (authenticationStrategy === "SIMPLE" && ldapFields !== undefined) {
        throw badRequest(
          "ldapServerMetadata must be omitted unless authenticationStrategy is LDAP.",
          "ldapServerMetadata",
        );
      }
      const ldap = ldapFields === undefined ? undefined : ldapServerMetadata(ldapFields, context.sealingKey);
      const replica = replicaRequest(context, body, deploymentMode);
      const users = requestedUsers(body, authenticationStrategy);
      const encryption = body.object("encryptionOptions");
      const useAwsOwnedKey = encryption?.boolean("useAwsOwnedKey") ?? true;
      const kmsKeyId = encryption?.string("kmsKeyId");
      if (useAwsOwnedKey && kmsKeyId !== undefined) {
        throw badRequest(
          "encryptionOptions.kmsKeyId must be omitted when useAwsOwnedKey is true.",
          "encryptionOptions.kmsKeyId",
        );
      }
      const logs = body.object("logs");
      const maintenanceWindowStartTime = validate.maintenanceWindow(
        body.object("maintenanceWindowStartTime"),
      ) ?? {
        dayOfWeek: "SUNDAY",
        timeOfDay: "02:00",
        timeZone: "UTC",
      };
      const tags = validate.tags(body.stringMap("tags"));
      const requested = body.object("configuration");
      const configuration = requested === undefined ? undefined : configurationRef(context, requested);
      assertNameFree(name);

      let ports: BrokerRecord["ports"];
      try {
        ports = await context.runtime.allocatePorts(deploymentMode);
      } catch (error) {
        throw new AwsServiceError(
          "InternalServerErrorException",
          `No free loopback ports for the broker: ${message(error)}`,
          500,
        );
      }
      // Another CreateBroker (or this one, retried) may have got there while the ports were found.
      const retriedMeanwhile = earlierRequest(creatorRequestId, digest);
      if (retriedMeanwhile !== undefined) return retriedMeanwhile;
      assertNameFree(name);
      const id = `b-${randomUUID()}`;
      const current =
        configuration ??
        (() => {
          const created = addConfiguration(context, {
            name: `${name}-configuration`,
            engineVersion,
            region: request.region,
            tags: {},
            authenticationStrategy,
          });
          return { id: created.id, revision: 1 };
        })();
      const broker: BrokerRecord = {
        id,
        arn: `arn:aws:mq:${request.region}:${LOCAL_ACCOUNT}:broker:${name}:${id}`,
        name,
        created: new Date().toISOString(),
        state: "CREATION_IN_PROGRESS",
        deploymentMode,
        engineVersion,
        hostInstanceType,
        storageType,
        autoMinorVersionUpgrade,
        publiclyAccessible,
        authenticationStrategy,
        ...(ldap === undefined ? {} : { ldapServerMetadata: ldap }),
        configuration: { current, history: [] },
        encryptionOptions: { useAwsOwnedKey, ...(kmsKeyId === undefined ? {} : { kmsKeyId }) },
        logs: { general: logs?.boolean("general") ?? false, audit: logs?.boolean("audit") ?? false },
        maintenanceWindowStartTime,
        securityGroups: body.stringList("securityGroups") ?? [],
        subnetIds: body.stringList("subnetIds") ?? [],
        tags,
        users: users.map(({ username, ...settings }) => ({ username, active: settings })),
        ports,
        ...(creatorRequestId === undefined ? {} : { creatorRequestId, requestDigest: digest }),
      };
      context.state.brokers[id] = broker;
      if (replica !== undefined) linkReplica(context, broker, replica.primaryId);
      context.save();
      context.background(() => lifecycle.bringUp(id, "CREATION_FAILED"));
      return { brokerArn: broker.arn, brokerId: id };
    },

    DescribeBroker({ params }: OperationCall) {
      return describeBroker(noteLostInstances(context, findBroker(context, params.brokerId ?? "")));
    },

    ListBrokers({ request }: OperationCall) {
      const limit = validate.maxResults(request.query);
      const { items, nextToken } = page(
        Object.values(context.state.brokers).map((broker) => noteLostInstances(context, broker)),
        (broker) => `${broker.created}/${broker.id}`,
        limit,
        request.query.get("nextToken"),
      );
      return {
        brokerSummaries: items.map((broker) => ({
          brokerArn: broker.arn,
          brokerId: broker.id,
          brokerName: broker.name,
          brokerState: displayedState(broker),
          created: broker.created,
          deploymentMode: broker.deploymentMode,
          engineType: ENGINE_TYPE,
          hostInstanceType: broker.hostInstanceType,
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    /**
     * Configuration, engine version and host instance type wait for a reboot (pending*); the
     * maintenance window, logs, security groups and autoMinorVersionUpgrade apply at once.
     */
    UpdateBroker({ body, params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      assertCanUpdate(broker);
      const strategy = body.string("authenticationStrategy");
      const changed =
        strategy !== undefined && validate.authenticationStrategy(strategy) !== broker.authenticationStrategy;
      if (changed) {
        throw badRequest(
          `Changing authenticationStrategy (${broker.authenticationStrategy} to ${strategy}) is not supported by the local Amazon MQ.`,
          "authenticationStrategy",
        );
      }
      if (body.has("ldapServerMetadata")) {
        throw badRequest(
          "Changing ldapServerMetadata is not supported by the local Amazon MQ; create a new broker.",
          "ldapServerMetadata",
        );
      }
      const requestedVersion = body.string("engineVersion");
      const targetVersion =
        requestedVersion === undefined
          ? (broker.pendingEngineVersion ?? broker.engineVersion)
          : validate.engineVersion(requestedVersion);
      if (validate.compareVersions(targetVersion, broker.engineVersion) < 0) {
        throw badRequest(
          `engineVersion ${targetVersion} is older than the broker's ${broker.engineVersion}; Amazon MQ does not downgrade.`,
          "engineVersion",
        );
      }
      const autoMinorVersionUpgrade = body.boolean("autoMinorVersionUpgrade");
      validate.autoMinorVersionUpgrade(autoMinorVersionUpgrade, targetVersion);
      const requestedType = body.string("hostInstanceType");
      const hostInstanceType =
        requestedType === undefined
          ? undefined
          : validate.hostInstanceType(requestedType, broker.deploymentMode);
      const requestedConfiguration = body.object("configuration");
      const configuration =
        requestedConfiguration === undefined ? undefined : configurationRef(context, requestedConfiguration);
      const maintenanceWindowStartTime = validate.maintenanceWindow(
        body.object("maintenanceWindowStartTime"),
      );
      const logs = body.object("logs");
      const securityGroups = body.stringList("securityGroups");

      if (requestedVersion !== undefined) {
        broker.pendingEngineVersion = targetVersion === broker.engineVersion ? undefined : targetVersion;
      }
      if (hostInstanceType !== undefined) {
        broker.pendingHostInstanceType =
          hostInstanceType === broker.hostInstanceType ? undefined : hostInstanceType;
      }
      if (configuration !== undefined) {
        const { current } = broker.configuration;
        const unchanged = configuration.id === current.id && configuration.revision === current.revision;
        broker.configuration.pending = unchanged ? undefined : configuration;
      }
      if (maintenanceWindowStartTime !== undefined)
        broker.maintenanceWindowStartTime = maintenanceWindowStartTime;
      if (logs !== undefined) {
        broker.logs = {
          general: logs.boolean("general") ?? broker.logs.general,
          audit: logs.boolean("audit") ?? broker.logs.audit,
        };
      }
      if (securityGroups !== undefined) broker.securityGroups = securityGroups;
      context.save();
      return {
        authenticationStrategy: broker.authenticationStrategy,
        autoMinorVersionUpgrade: broker.autoMinorVersionUpgrade,
        brokerId: broker.id,
        ...(configuration === undefined ? {} : { configuration }),
        ...(requestedVersion === undefined ? {} : { engineVersion: targetVersion }),
        ...(hostInstanceType === undefined ? {} : { hostInstanceType }),
        logs: broker.logs,
        maintenanceWindowStartTime: broker.maintenanceWindowStartTime,
        securityGroups: broker.securityGroups,
      };
    },

    RebootBroker({ params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      assertCanReboot(broker);
      broker.state = "REBOOT_IN_PROGRESS";
      broker.problem = undefined;
      applyPendingChanges(broker);
      context.save();
      context.background(() => lifecycle.reboot(broker.id));
      return {};
    },

    DeleteBroker({ params }: OperationCall) {
      const broker = findBroker(context, params.brokerId ?? "");
      assertCanDelete(broker);
      broker.state = "DELETION_IN_PROGRESS";
      context.save();
      context.background(() => lifecycle.remove(broker.id));
      return { brokerId: broker.id };
    },
  };
}
