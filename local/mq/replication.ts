import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { DataReplicationMode, PromoteMode } from "@aws-sdk/client-mq";
import type { MqContext } from "./context.js";
import { AlreadyReplicating, BadRequestException, InvalidParameter, UnknownBroker } from "./exceptions.js";
import type { Fields } from "./fields.js";
import { answers, type BridgeEndpoint, ReplicationBridge } from "./replication-bridge.js";
import type { OperationCall } from "./router.js";
import type { BrokerRecord, ReplicationRecord } from "./state.js";

/**
 * Cross-region data replication (CRDR) on one machine. A replica is a second local broker; the
 * primary's queues are mirrored (ActiveMQ mirrored queues, rendered into its activemq.xml) and a
 * one-way bridge (replication-bridge.ts) forwards the copies to the replica. Roles, pending fields
 * and Promote follow Amazon MQ's API: a new replica's primary replicates after its next reboot;
 * SWITCHOVER needs both brokers healthy and waits until replication has caught up; FAILOVER swaps
 * at once. `TotalReplicationLag` is published as a metric.
 */

/** The topic prefix mirrored queues copy to: queue `q` → topic `mqops.replication.q`. */
export const MIRROR_PREFIX = "mqops.replication.";
/** How long a SWITCHOVER waits for the replica to catch up before it gives up (roles unchanged). */
export const SWITCHOVER_DRAIN_MS = 30_000;

const brokerByArn = (context: MqContext, arn: string) =>
  Object.values(context.state.brokers).find((broker) => broker.arn === arn);

/**
 * CreateBroker's replication fields: undefined for NONE (or none given); for CRDR the primary the
 * new broker replicates, which must exist, be ACTIVE_STANDBY_MULTI_AZ and not be in a pair yet.
 */
export function replicaRequest(context: MqContext, body: Fields, deploymentMode: string) {
  const mode = body.string("dataReplicationMode");
  const primaryArn = body.string("dataReplicationPrimaryBrokerArn");
  if (mode !== undefined && !Object.values(DataReplicationMode).includes(mode as DataReplicationMode)) {
    throw new InvalidParameter("dataReplicationMode", `must be CRDR or NONE, not ${mode}`);
  }
  if (mode !== DataReplicationMode.CRDR) {
    if (primaryArn !== undefined) {
      throw new InvalidParameter(
        "dataReplicationPrimaryBrokerArn",
        "is only allowed with dataReplicationMode CRDR",
      );
    }
    return undefined;
  }
  if (primaryArn === undefined) {
    // Named for the mode: it is the CRDR request that is incomplete.
    throw new BadRequestException(
      "dataReplicationPrimaryBrokerArn must be set when dataReplicationMode is CRDR.",
      "dataReplicationMode",
    );
  }
  if (deploymentMode !== "ACTIVE_STANDBY_MULTI_AZ") {
    throw new BadRequestException(
      "Cross-region data replication needs ACTIVE_STANDBY_MULTI_AZ brokers.",
      "deploymentMode",
    );
  }
  const primary = brokerByArn(context, primaryArn);
  if (primary === undefined) {
    throw new BadRequestException(`No broker has the ARN ${primaryArn}.`, "dataReplicationPrimaryBrokerArn");
  }
  if (primary.deploymentMode !== "ACTIVE_STANDBY_MULTI_AZ") {
    throw new BadRequestException(
      `Broker ${primary.id} is ${primary.deploymentMode}; a CRDR primary must be ACTIVE_STANDBY_MULTI_AZ.`,
      "dataReplicationPrimaryBrokerArn",
    );
  }
  if (primary.replication !== undefined) {
    throw new AlreadyReplicating(primary.id);
  }
  return { primaryId: primary.id };
}

const regionOf = (broker: BrokerRecord) => broker.arn.split(":")[3] ?? "";

/**
 * Joins a new replica to its primary: the replica is a REPLICA at once; the primary's CRDR mode is
 * pending (`pendingDataReplicationMode`) until its next reboot, as on Amazon MQ.
 */
export function linkReplica(context: MqContext, replica: BrokerRecord, primaryId: string): void {
  const primary = context.state.brokers[primaryId];
  if (primary === undefined) return;
  replica.replication = { role: "REPLICA", counterpart: { brokerId: primary.id, region: regionOf(primary) } };
  primary.replication = {
    role: "PRIMARY",
    counterpart: { brokerId: replica.id, region: regionOf(replica) },
    pending: true,
  };
}

const metadata = (replication: ReplicationRecord) => ({
  dataReplicationCounterpart: replication.counterpart,
  dataReplicationRole: replication.role,
});

/** DescribeBroker's replication members, as the SDK's model names them. */
export function replicationDescription(broker: BrokerRecord) {
  const replication = broker.replication;
  if (replication === undefined) return { dataReplicationMode: DataReplicationMode.NONE };
  if (replication.pending === true) {
    return {
      dataReplicationMode: DataReplicationMode.NONE,
      pendingDataReplicationMode: DataReplicationMode.CRDR,
      pendingDataReplicationMetadata: metadata(replication),
    };
  }
  return { dataReplicationMode: DataReplicationMode.CRDR, dataReplicationMetadata: metadata(replication) };
}

/** A running replica shows Amazon MQ's REPLICA state; every other broker its own state. */
export function displayedState(broker: BrokerRecord): string {
  const replica = broker.replication?.role === "REPLICA" && broker.replication.pending !== true;
  return replica && broker.state === "RUNNING" ? "REPLICA" : broker.state;
}

/** The run spec's part: a broker in an applied pair mirrors its queues (either role, so no restart on promotion). */
export function replicationRunSpec(broker: BrokerRecord): { mirrorQueuesPrefix?: string } {
  return broker.replication !== undefined && broker.replication.pending !== true
    ? { mirrorQueuesPrefix: MIRROR_PREFIX }
    : {};
}

const serving = (context: MqContext, broker: BrokerRecord | undefined) =>
  broker !== undefined &&
  broker.state === "RUNNING" &&
  context.runtime.status(broker.id).some((instance) => instance.active);

/** The user the bridge logs in as: the broker's replication user, else its first user. */
function endpointOf(context: MqContext, brokerId: string): BridgeEndpoint | undefined {
  const broker = context.state.brokers[brokerId];
  if (broker === undefined || broker.state !== "RUNNING") return undefined;
  const users = broker.users.flatMap(({ username, active }) =>
    active === undefined ? [] : [{ username, active }],
  );
  const user = users.find((candidate) => candidate.active.replicationUser) ?? users[0];
  if (user === undefined) return undefined;
  return {
    stompPorts: broker.ports.map((ports) => ports.stomp),
    username: user.username,
    password: user.active.password,
  };
}

export interface ReplicationOptions {
  /** Publishes TotalReplicationLag (AWS/AmazonMQ) every `metricsPeriodSeconds`; omitted: no metric. */
  publishMetrics?: (namespace: "AWS/AmazonMQ", data: MetricDatum[]) => void | Promise<void>;
  metricsPeriodSeconds?: number;
  log?: (line: string) => void;
}

/**
 * Runs one bridge per applied pair, from the current primary to its replica, reconciled every second
 * with the control plane's state (a promotion reverses the direction), and the lag metric.
 */
export function replicationService(context: MqContext, options: ReplicationOptions = {}) {
  const bridges = new Map<string, ReplicationBridge>();
  const log = options.log ?? ((line: string) => console.error(`local/mq: ${line}`));
  let reconciler: NodeJS.Timeout | undefined;
  let publisher: NodeJS.Timeout | undefined;

  const key = (primaryId: string, replicaId: string) => `${primaryId}>${replicaId}`;

  const wantedPairs = () =>
    Object.values(context.state.brokers).flatMap((broker) => {
      const replication = broker.replication;
      if (replication?.role !== "PRIMARY" || replication.pending === true) return [];
      if (!Object.hasOwn(context.state.brokers, replication.counterpart.brokerId)) return [];
      return [{ primaryId: broker.id, replicaId: replication.counterpart.brokerId }];
    });

  const reconcile = () => {
    const wanted = new Map(wantedPairs().map((pair) => [key(pair.primaryId, pair.replicaId), pair]));
    for (const [name, bridge] of bridges) {
      if (!wanted.has(name)) {
        bridges.delete(name);
        void bridge.stop();
      }
    }
    for (const [name, { primaryId, replicaId }] of wanted) {
      if (bridges.has(name)) continue;
      const bridge = new ReplicationBridge({
        source: () => endpointOf(context, primaryId),
        target: () => endpointOf(context, replicaId),
        mirrorPrefix: MIRROR_PREFIX,
        clientId: `mqops-replication-to-${replicaId}`,
        log,
      });
      bridges.set(name, bridge);
      bridge.start();
    }
  };

  const bridgeOf = (primaryId: string, replicaId: string) => bridges.get(key(primaryId, replicaId));

  /** TotalReplicationLag per pair, dimension Broker = the primary's name: messages not yet on the replica. */
  const lagData = (): MetricDatum[] =>
    wantedPairs().flatMap(({ primaryId, replicaId }) => {
      const primary = context.state.brokers[primaryId];
      const bridge = bridgeOf(primaryId, replicaId);
      if (primary === undefined || bridge === undefined) return [];
      return [
        {
          MetricName: "TotalReplicationLag",
          Dimensions: [{ Name: "Broker", Value: primary.name }],
          Timestamp: new Date(),
          Unit: "Count",
          Value: bridge.inFlight,
        },
      ];
    });

  const swapRoles = (replica: BrokerRecord, primary: BrokerRecord) => {
    const replicaSide = replica.replication;
    const primarySide = primary.replication;
    if (replicaSide === undefined || primarySide === undefined) return;
    replica.replication = { ...replicaSide, role: "PRIMARY" };
    primary.replication = { ...primarySide, role: "REPLICA" };
    context.save();
    reconcile();
  };

  const operations = {
    /**
     * Promote (POST /v1/brokers/{brokerId}/promote, `{"mode"}`), called on the replica. FAILOVER swaps
     * the roles at once, whatever the primary's health. SWITCHOVER needs both brokers serving and
     * the bridge connected (each broker completes a STOMP handshake now); it answers at once and swaps once the replica has caught up (a marker
     * sent through the bridge), or leaves the roles as they were after SWITCHOVER_DRAIN_MS.
     */
    async Promote({ body, params }: OperationCall) {
      const id = params.brokerId ?? "";
      const replica = context.state.brokers[id];
      if (replica === undefined || !Object.hasOwn(context.state.brokers, id)) {
        throw new UnknownBroker(id);
      }
      const mode = body.string("mode");
      if (mode !== PromoteMode.SWITCHOVER && mode !== PromoteMode.FAILOVER) {
        throw new InvalidParameter("mode", "must be SWITCHOVER or FAILOVER");
      }
      const side = replica.replication;
      if (side === undefined || side.pending === true || side.role !== "REPLICA") {
        throw new BadRequestException(
          `Broker ${id} is not the replica of a data replication pair.`,
          "broker-id",
        );
      }
      const primary = context.state.brokers[side.counterpart.brokerId];
      if (primary === undefined) {
        throw new BadRequestException(`Broker ${id}'s primary no longer exists.`, "broker-id");
      }
      if (mode === PromoteMode.FAILOVER) {
        swapRoles(replica, primary);
        return { brokerId: id };
      }
      const bridge = bridgeOf(primary.id, replica.id);
      const healthy =
        serving(context, primary) &&
        serving(context, replica) &&
        bridge?.connected === true &&
        (await answers(endpointOf(context, primary.id))) &&
        (await answers(endpointOf(context, replica.id)));
      if (!healthy || bridge === undefined) {
        throw new BadRequestException(
          `A SWITCHOVER needs both brokers healthy and replicating; broker ${primary.id} or ${id} is not. Use FAILOVER.`,
          "mode",
        );
      }
      context.background(async () => {
        try {
          await bridge.drain(SWITCHOVER_DRAIN_MS);
        } catch (error) {
          log(`SWITCHOVER of ${id} gave up, roles unchanged: ${(error as Error).message}`);
          return;
        }
        const stillReplica = context.state.brokers[id];
        const stillPrimary = context.state.brokers[primary.id];
        if (stillReplica?.replication?.role === "REPLICA" && stillPrimary !== undefined) {
          swapRoles(stillReplica, stillPrimary);
        }
      });
      return { brokerId: id };
    },
  };

  return {
    operations,
    /** Starts the bridges of the applied pairs and the lag metric. */
    start() {
      reconcile();
      reconciler = setInterval(reconcile, 1_000);
      reconciler.unref();
      const publish = options.publishMetrics;
      if (publish !== undefined) {
        publisher = setInterval(
          () => {
            const data = lagData();
            if (data.length > 0) void Promise.resolve(publish("AWS/AmazonMQ", data)).catch(() => undefined);
          },
          (options.metricsPeriodSeconds ?? 60) * 1000,
        );
        publisher.unref();
      }
    },
    /** Messages not yet on the replica, per primary id (what TotalReplicationLag publishes). */
    lag(primaryId: string): number | undefined {
      const replicaId = context.state.brokers[primaryId]?.replication?.counterpart.brokerId;
      return replicaId === undefined ? undefined : bridgeOf(primaryId, replicaId)?.inFlight;
    },
    async stop() {
      clearInterval(reconciler);
      clearInterval(publisher);
      await Promise.all([...bridges.values()].map((bridge) => bridge.stop()));
      bridges.clear();
    },
  };
}
