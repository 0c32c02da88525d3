import { createHash, randomUUID } from "node:crypto";
import { compareMajorMinor } from "../../functions/lib/amazon-mq.js";
import { errorMessage } from "../../functions/lib/error-message.js";
import { LOCAL_ACCOUNT } from "../server/service.js";
import { type brokerLifecycle, noteLostInstances } from "./broker-lifecycle.js";
import { configurationRef, parseCreateBroker } from "./broker-requests.js";
import { brokerSummary, describeBroker } from "./broker-views.js";
import { addConfiguration } from "./configurations.js";
import type { MqContext } from "./context.js";
import {
  BrokerNameTaken,
  CreatorRequestIdReused,
  InvalidParameter,
  NoFreePorts,
  NotSupportedLocally,
  UnknownBroker,
} from "./exceptions.js";
import { page } from "./pagination.js";
import { linkReplica } from "./replication.js";
import type { OperationCall } from "./router.js";
import {
  applyPendingChanges,
  assertCanDelete,
  assertCanReboot,
  assertCanUpdate,
  type BrokerRecord,
} from "./state.js";
import * as validate from "./validation.js";

/**
 * The broker operations (CreateBroker, DescribeBroker, ListBrokers, UpdateBroker, RebootBroker,
 * DeleteBroker): the state changes each makes; parsing is in broker-requests.ts, the lifecycle that
 * follows in broker-lifecycle.ts, the responses' shapes in broker-views.ts.
 */

export function findBroker(context: MqContext, id: string): BrokerRecord {
  // Own keys only: `__proto__` or `constructor` in a path is an unknown broker, not Object's prototype.
  const broker = Object.hasOwn(context.state.brokers, id) ? context.state.brokers[id] : undefined;
  if (broker === undefined) throw new UnknownBroker(id);
  return broker;
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
      throw new CreatorRequestIdReused(creatorRequestId, earlier.id);
    }
    return { brokerArn: earlier.arn, brokerId: earlier.id };
  };

  const assertNameFree = (name: string) => {
    if (Object.values(context.state.brokers).some((broker) => broker.name === name)) {
      throw new BrokerNameTaken(name);
    }
  };

  return {
    async CreateBroker({ body, request }: OperationCall) {
      const creatorRequestId = body.string("creatorRequestId");
      const digest = createHash("sha256").update(request.body).digest("hex");
      const retried = earlierRequest(creatorRequestId, digest);
      if (retried !== undefined) return retried;

      const { replica, configuration, ldap, users, settings } = parseCreateBroker(context, body);
      const { name } = settings;
      assertNameFree(name);

      let ports: BrokerRecord["ports"];
      try {
        ports = await context.runtime.allocatePorts(settings.deploymentMode);
      } catch (error) {
        throw new NoFreePorts(errorMessage(error));
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
            engineVersion: settings.engineVersion,
            region: request.region,
            tags: {},
            authenticationStrategy: settings.authenticationStrategy,
          });
          return { id: created.id, revision: 1 };
        })();
      const broker: BrokerRecord = {
        ...settings,
        id,
        arn: `arn:aws:mq:${request.region}:${LOCAL_ACCOUNT}:broker:${name}:${id}`,
        created: new Date().toISOString(),
        state: "CREATION_IN_PROGRESS",
        ...(ldap === undefined ? {} : { ldapServerMetadata: ldap }),
        configuration: { current, history: [] },
        users: users.map(({ username, ...rest }) => ({ username, active: rest })),
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
        brokerSummaries: items.map(brokerSummary),
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
        throw new NotSupportedLocally(
          "authenticationStrategy",
          `Changing authenticationStrategy (${broker.authenticationStrategy} to ${strategy})`,
        );
      }
      if (body.has("ldapServerMetadata")) {
        throw new NotSupportedLocally(
          "ldapServerMetadata",
          "Changing ldapServerMetadata (create a new broker)",
        );
      }
      const requestedVersion = body.string("engineVersion");
      const targetVersion =
        requestedVersion === undefined
          ? (broker.pendingEngineVersion ?? broker.engineVersion)
          : validate.engineVersion(requestedVersion);
      if (compareMajorMinor(targetVersion, broker.engineVersion) < 0) {
        throw new InvalidParameter(
          "engineVersion",
          `${targetVersion} is older than the broker's ${broker.engineVersion}; Amazon MQ does not downgrade`,
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
