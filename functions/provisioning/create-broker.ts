import { CreateBrokerCommand, type DeploymentMode, type User } from "@aws-sdk/client-mq";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { callAws } from "../lib/aws-errors.js";
import { carriedBrokerSpecSchema } from "../lib/broker-spec.js";
import { mq, secrets } from "../lib/clients.js";
import { workflowStep } from "../lib/middleware.js";
import { TAG_CLIENT_TOKEN } from "../lib/state-table.js";
import { configurationRefSchema, stepBase } from "../lib/step-input.js";
import { usersSecretSchema } from "../lib/users-secret.js";
import * as z from "../lib/zod.js";

const inputSchema = z.object({
  ...stepBase,
  request: carriedBrokerSpecSchema,
  clientToken: z.string(),
  usersSecretId: z.string(),
  configuration: configurationRefSchema,
});

/**
 * Creates the broker. The client token is the CreatorRequestId, so a retry after a lost response
 * returns the broker already created instead of a second one. Passwords (the users' and an LDAP
 * broker's service account's) are read from Secrets Manager here and go nowhere but the CreateBroker call.
 */
export const createBroker = async ({
  request,
  clientToken,
  usersSecretId,
  configuration,
}: z.infer<typeof inputSchema>) => {
  const secret = await callAws("GetSecretValue", () =>
    secrets.send(new GetSecretValueCommand({ SecretId: usersSecretId })),
  );
  const { passwords, ldapServiceAccountPassword } = z.parse(
    usersSecretSchema,
    JSON.parse(secret.SecretString ?? "{}"),
  );
  const ldap = request.ldapServerMetadata;
  const users: User[] = request.users.map((user) => ({
    Username: user.username,
    Password: passwords[user.username],
    ConsoleAccess: user.consoleAccess,
    Groups: user.groups,
    ReplicationUser: user.replicationUser,
  }));
  const created = await callAws("CreateBroker", () =>
    mq.send(
      new CreateBrokerCommand({
        BrokerName: request.brokerName,
        EngineType: "ACTIVEMQ",
        EngineVersion: request.engineVersion,
        DeploymentMode: request.deploymentMode as DeploymentMode,
        HostInstanceType: request.hostInstanceType,
        AutoMinorVersionUpgrade: request.autoMinorVersionUpgrade,
        PubliclyAccessible: request.publiclyAccessible,
        AuthenticationStrategy: request.authenticationStrategy,
        LdapServerMetadata: ldap && {
          Hosts: ldap.hosts,
          UserBase: ldap.userBase,
          UserSearchMatching: ldap.userSearchMatching,
          UserSearchSubtree: ldap.userSearchSubtree,
          UserRoleName: ldap.userRoleName,
          RoleBase: ldap.roleBase,
          RoleName: ldap.roleName,
          RoleSearchMatching: ldap.roleSearchMatching,
          RoleSearchSubtree: ldap.roleSearchSubtree,
          ServiceAccountUsername: ldap.serviceAccountUsername,
          ServiceAccountPassword: ldapServiceAccountPassword,
        },
        Configuration: { Id: configuration.configurationId, Revision: configuration.revision },
        Users: users.length > 0 ? users : undefined,
        MaintenanceWindowStartTime: request.maintenanceWindowStartTime && {
          DayOfWeek: request.maintenanceWindowStartTime.dayOfWeek,
          TimeOfDay: request.maintenanceWindowStartTime.timeOfDay,
          TimeZone: request.maintenanceWindowStartTime.timeZone,
        },
        EncryptionOptions: {
          UseAwsOwnedKey: request.encryptionOptions.useAwsOwnedKey,
          KmsKeyId: request.encryptionOptions.kmsKeyId,
        },
        Logs: { General: request.logs.general, Audit: request.logs.audit },
        SubnetIds: request.subnetIds.length > 0 ? request.subnetIds : undefined,
        SecurityGroups: request.securityGroups.length > 0 ? request.securityGroups : undefined,
        Tags: { ...request.tags, [TAG_CLIENT_TOKEN]: clientToken },
        CreatorRequestId: clientToken,
      }),
    ),
  );
  if (created.BrokerId === undefined || created.BrokerArn === undefined) {
    throw new Error("CreateBroker returned no broker id");
  }
  return { brokerId: created.BrokerId, brokerArn: created.BrokerArn };
};

export const handler = workflowStep(inputSchema, createBroker);
