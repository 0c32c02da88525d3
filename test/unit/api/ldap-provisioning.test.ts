import {
  CreateBrokerCommand,
  CreateConfigurationCommand,
  ListConfigurationsCommand,
  MqClient,
} from "@aws-sdk/client-mq";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { usersSecretValue, withoutPasswords } from "../../../functions/api/provisioning-request.js";
import { brokerSpecSchema, createBrokerRequestSchema } from "../../../functions/lib/broker-request.js";
import { createBroker } from "../../../functions/provisioning/create-broker.js";
import { createConfiguration } from "../../../functions/provisioning/create-configuration.js";
import {
  BROKER_ARN,
  BROKER_ID,
  CONFIGURATION_ARN,
  CONFIGURATION_ID,
  goodRequest,
} from "../../fixtures/requests.js";

const mq = mockClient(MqClient);
const secrets = mockClient(SecretsManagerClient);
const SERVICE_PASSWORD = "Directory-Service-Secret-9";
const TOKEN = "ldap-token-1";

const request = createBrokerRequestSchema.parse(
  goodRequest({
    authenticationStrategy: "LDAP",
    users: [],
    ldapServerMetadata: {
      hosts: ["ldap.example.com"],
      userBase: "ou=Users,dc=example,dc=com",
      userSearchMatching: "(uid={0})",
      roleBase: "ou=Groups,dc=example,dc=com",
      roleName: "cn",
      roleSearchMatching: "(member={0})",
      serviceAccountUsername: "cn=svc,dc=example,dc=com",
      serviceAccountPassword: SERVICE_PASSWORD,
    },
  }),
);
const spec = brokerSpecSchema.parse(withoutPasswords(request));

beforeEach(() => {
  mq.reset();
  secrets.reset();
});

describe("provisioning an LDAP broker", () => {
  it("creates an LDAP configuration", async () => {
    mq.on(ListConfigurationsCommand).resolves({ Configurations: [] });
    mq.on(CreateConfigurationCommand).resolves({ Id: CONFIGURATION_ID, Arn: CONFIGURATION_ARN });

    await createConfiguration({ request: spec, clientToken: TOKEN });

    expect(mq).toHaveReceivedCommandWith(CreateConfigurationCommand, { AuthenticationStrategy: "LDAP" });
  });

  it("passes the metadata to CreateBroker with the service account's password from the users secret", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(usersSecretValue(request)) });
    mq.on(CreateBrokerCommand).resolves({ BrokerId: BROKER_ID, BrokerArn: BROKER_ARN });

    const created = await createBroker({
      request: spec,
      clientToken: TOKEN,
      usersSecretId: `mqops/brokers/${TOKEN}`,
      configuration: {
        configurationId: CONFIGURATION_ID,
        configurationArn: CONFIGURATION_ARN,
        revision: 2,
        warnings: [],
      },
    });

    expect(created).toEqual({ brokerId: BROKER_ID, brokerArn: BROKER_ARN });
    expect(mq).toHaveReceivedCommandWith(CreateBrokerCommand, {
      AuthenticationStrategy: "LDAP",
      Users: undefined,
      LdapServerMetadata: {
        Hosts: ["ldap.example.com"],
        UserBase: "ou=Users,dc=example,dc=com",
        UserSearchMatching: "(uid={0})",
        UserSearchSubtree: undefined,
        UserRoleName: undefined,
        RoleBase: "ou=Groups,dc=example,dc=com",
        RoleName: "cn",
        RoleSearchMatching: "(member={0})",
        RoleSearchSubtree: undefined,
        ServiceAccountUsername: "cn=svc,dc=example,dc=com",
        ServiceAccountPassword: SERVICE_PASSWORD,
      },
    });
    expect(JSON.stringify(spec)).not.toContain(SERVICE_PASSWORD);
  });
});
