import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { instanceLayout } from "../../../../local/brokers/layout.js";
import { renderActiveMqXml, renderExtraFiles } from "../../../../local/brokers/render.js";
import { renderLoginConfig } from "../../../../local/brokers/render-ldap.js";
import type { BrokerLdap, BrokerRunSpec } from "../../../../local/brokers/types.js";

const LDAP: BrokerLdap = {
  hosts: ["127.0.0.1:3389", "ldap-2.example.com"],
  userBase: "ou=Users,dc=mqops,dc=local",
  userSearchMatching: "(uid={0})",
  roleBase: "ou=Groups,dc=mqops,dc=local",
  roleName: "cn",
  roleSearchMatching: "(member={0})",
  roleSearchSubtree: true,
  serviceAccountUsername: "uid=mqops-broker,ou=Services,dc=mqops,dc=local",
  serviceAccountPassword: 'Quote"And\\Slash-1',
};

const CONFIGURATION = `<broker xmlns="http://activemq.apache.org/schema/core">
  <plugins>
    <authorizationPlugin>
      <map>
        <cachedLDAPAuthorizationMap legacyGroupMapping="false" queueSearchBase="ou=Queue,ou=Destination,ou=ActiveMQ,dc=mqops,dc=local"
          connectionURL="ldap://evil:389" connectionPassword="theirs"/>
      </map>
    </authorizationPlugin>
  </plugins>
</broker>`;

const spec = (overrides: Partial<BrokerRunSpec> = {}): BrokerRunSpec => ({
  brokerId: "b-ldap",
  brokerName: "ldap",
  deploymentMode: "SINGLE_INSTANCE",
  configurationXml: CONFIGURATION,
  users: [],
  ldap: LDAP,
  ports: [{ openwire: 61616, stomp: 61613 }],
  ...overrides,
});
const layout = instanceLayout("/var/tmp/mqops-test", "b-ldap", "SINGLE_INSTANCE", 0);
const monitorUser = { username: "mqops+monitor", password: "monitor-secret", groups: ["admins"] };
const context = { instanceIndex: 0, layout, monitorUser };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });
type Plugins = {
  beans: {
    broker: {
      plugins: {
        jaasAuthenticationPlugin?: { configuration: string };
        simpleAuthenticationPlugin?: unknown;
        authorizationPlugin: { map: { cachedLDAPAuthorizationMap: Record<string, string> } };
      };
    };
  };
};

describe("an LDAP broker's rendered files", () => {
  it("authenticates through JAAS and points the authorization map at the directory as the service account", () => {
    const xml = parser.parse(renderActiveMqXml(spec(), context)) as Plugins;
    const plugins = xml.beans.broker.plugins;

    expect(plugins.simpleAuthenticationPlugin).toBeUndefined();
    expect(plugins.jaasAuthenticationPlugin).toEqual({ configuration: "mqops-ldap" });
    expect(plugins.authorizationPlugin.map.cachedLDAPAuthorizationMap).toEqual({
      legacyGroupMapping: "false",
      queueSearchBase: "ou=Queue,ou=Destination,ou=ActiveMQ,dc=mqops,dc=local",
      refreshInterval: "300000",
      connectionURL: "ldap://127.0.0.1:3389 ldap://ldap-2.example.com:389",
      connectionUsername: LDAP.serviceAccountUsername,
      connectionPassword: LDAP.serviceAccountPassword,
    });
  });

  it("keeps the configuration's own refresh interval", () => {
    const configurationXml = CONFIGURATION.replace(
      "<cachedLDAPAuthorizationMap",
      '<cachedLDAPAuthorizationMap refreshInterval="1000"',
    );
    const xml = parser.parse(renderActiveMqXml(spec({ configurationXml }), context)) as Plugins;

    expect(xml.beans.broker.plugins.authorizationPlugin.map.cachedLDAPAuthorizationMap.refreshInterval).toBe(
      "1000",
    );
  });

  it("writes login.config with the LDAP module after the local cloud's own users, values quoted for JAAS", () => {
    const login = renderLoginConfig(LDAP, "/conf");

    expect(login).toMatch(
      /^mqops-ldap \{\n {2}org\.apache\.activemq\.jaas\.PropertiesLoginModule sufficient\n/,
    );
    expect(login).toContain('    baseDir="/conf";');
    expect(login).toContain("  org.apache.activemq.jaas.LDAPLoginModule required\n");
    expect(login).toContain('    connectionURL="ldap://127.0.0.1:3389 ldap://ldap-2.example.com:389"');
    expect(login).toContain('    connectionPassword="Quote\\"And\\\\Slash-1"');
    expect(login).toContain('    connectionProtocol="s"');
    expect(login).toContain('    userSearchSubtree="false"');
    expect(login).toContain('    roleSearchSubtree="true"');
    expect(login).not.toContain("userRoleName");
    expect(login.trimEnd().endsWith('roleSearchSubtree="true";\n};')).toBe(true);
  });

  it("lists the metrics collector in the internal users file, in group admins", () => {
    const files = renderExtraFiles(spec(), context);

    expect(Object.keys(files).sort()).toEqual([
      "login.config",
      "mqops-internal-groups.properties",
      "mqops-internal-users.properties",
    ]);
    expect(files["mqops-internal-users.properties"]).toBe("mqops+monitor=monitor-secret\n");
    expect(files["mqops-internal-groups.properties"]).toBe("admins=mqops+monitor\n");
  });

  it("renders nothing extra, and simple authentication, for a SIMPLE broker", () => {
    const simple = spec({ ldap: undefined, users: [{ username: "app", password: "App-Password-12" }] });
    const xml = parser.parse(renderActiveMqXml(simple, context)) as Plugins;

    expect(renderExtraFiles(simple, context)).toEqual({});
    expect(xml.beans.broker.plugins.jaasAuthenticationPlugin).toBeUndefined();
    expect(xml.beans.broker.plugins.simpleAuthenticationPlugin).toBeDefined();
  });
});
