import { ENGINE_TYPE } from "../../functions/lib/amazon-mq.js";
import { INSTANCE_LOST_CODE } from "./broker-lifecycle.js";
import { describeLdap } from "./ldap.js";
import { displayedState, replicationDescription } from "./replication.js";
import type { BrokerRecord } from "./state.js";

/** How the API shows a broker (DescribeBroker, ListBrokers): the serialising side, as moto's responses.py. */

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

export function describeBroker(broker: BrokerRecord) {
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

/** A ListBrokers entry. */
export function brokerSummary(broker: BrokerRecord) {
  return {
    brokerArn: broker.arn,
    brokerId: broker.id,
    brokerName: broker.name,
    brokerState: displayedState(broker),
    created: broker.created,
    deploymentMode: broker.deploymentMode,
    engineType: ENGINE_TYPE,
    hostInstanceType: broker.hostInstanceType,
  };
}
