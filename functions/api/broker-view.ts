import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { clientUrls, instanceViews } from "../lib/broker-endpoints.js";

/** What GET /brokers/{id} returns: state, endpoints, engine version and every pending change. Pure. */
export function brokerView(broker: DescribeBrokerResponse) {
  const instances = instanceViews(broker);
  const pendingUsers = (broker.Users ?? []).filter((user) => user.PendingChange !== undefined);
  return {
    brokerId: broker.BrokerId,
    brokerArn: broker.BrokerArn,
    brokerName: broker.BrokerName,
    brokerState: broker.BrokerState,
    deploymentMode: broker.DeploymentMode,
    engineType: broker.EngineType,
    engineVersion: broker.EngineVersion,
    hostInstanceType: broker.HostInstanceType,
    autoMinorVersionUpgrade: broker.AutoMinorVersionUpgrade,
    publiclyAccessible: broker.PubliclyAccessible,
    instances,
    urls: clientUrls(broker.DeploymentMode ?? "SINGLE_INSTANCE", instances),
    configuration: broker.Configurations?.Current,
    authenticationStrategy: broker.AuthenticationStrategy,
    // The directory's location and searches; Amazon MQ never returns the service account's password.
    ldap: broker.LdapServerMetadata && {
      hosts: broker.LdapServerMetadata.Hosts,
      userBase: broker.LdapServerMetadata.UserBase,
      roleBase: broker.LdapServerMetadata.RoleBase,
      serviceAccountUsername: broker.LdapServerMetadata.ServiceAccountUsername,
    },
    maintenanceWindowStartTime: broker.MaintenanceWindowStartTime,
    pendingChanges: {
      engineVersion: broker.PendingEngineVersion,
      hostInstanceType: broker.PendingHostInstanceType,
      configuration: broker.Configurations?.Pending,
      securityGroups: broker.PendingSecurityGroups,
      authenticationStrategy: broker.PendingAuthenticationStrategy,
      users: pendingUsers.map((user) => ({ username: user.Username, change: user.PendingChange })),
    },
    created: broker.Created?.toISOString(),
    tags: broker.Tags,
  };
}
