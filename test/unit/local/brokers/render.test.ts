import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { BrokerConfigurationError } from "../../../../local/brokers/errors.js";
import { instanceLayout } from "../../../../local/brokers/layout.js";
import { renderActiveMqXml, renderLog4jProperties } from "../../../../local/brokers/render.js";
import type { BrokerRunSpec, BrokerUser, DeploymentMode } from "../../../../local/brokers/types.js";

const DATA_DIR = "/var/tmp/mqops-test";

const USER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<broker xmlns="http://activemq.apache.org/schema/core" schedulerSupport="true" brokerName="theirs" useJmx="true" tmpDataDirectory="/elsewhere">
  <destinationPolicy>
    <policyMap>
      <policyEntries>
        <policyEntry queue="orders.&gt;" gcInactiveDestinations="true" inactiveTimoutBeforeGC="600000"/>
      </policyEntries>
    </policyMap>
  </destinationPolicy>
  <transportConnectors>
    <transportConnector name="openwire" uri="tcp://0.0.0.0:61616"/>
  </transportConnectors>
  <persistenceAdapter>
    <jdbcPersistenceAdapter dataSource="#postgres"/>
  </persistenceAdapter>
  <plugins>
    <authorizationPlugin>
      <map>
        <authorizationMap>
          <authorizationEntries>
            <authorizationEntry queue=">" read="admins" write="admins" admin="admins"/>
          </authorizationEntries>
        </authorizationMap>
      </map>
    </authorizationPlugin>
    <simpleAuthenticationPlugin>
      <users><authenticationUser username="sneaky" password="x" groups="admins"/></users>
    </simpleAuthenticationPlugin>
  </plugins>
  <managementContext><managementContext createConnector="true"/></managementContext>
</broker>`;

function spec(mode: DeploymentMode, overrides: Partial<BrokerRunSpec> = {}): BrokerRunSpec {
  const instances = { SINGLE_INSTANCE: 1, ACTIVE_STANDBY_MULTI_AZ: 2, CLUSTER_MULTI_AZ: 3 }[mode];
  return {
    brokerId: "b-1234",
    brokerName: "orders",
    deploymentMode: mode,
    configurationXml: USER_XML,
    users: [{ username: "app", password: `p&<"'>w`, groups: ["admins", "apps"] }],
    ports: Array.from({ length: instances }, (_, i) => ({ openwire: 41000 + i * 2, stomp: 41001 + i * 2 })),
    ...overrides,
  };
}

const NETWORK_USER: BrokerUser = { username: "bridge", password: "bridge-secret", groups: ["admins"] };

function render(runSpec: BrokerRunSpec, instanceIndex: number): string {
  const layout = instanceLayout(DATA_DIR, runSpec.brokerId, runSpec.deploymentMode, instanceIndex);
  const networkUser = runSpec.deploymentMode === "CLUSTER_MULTI_AZ" ? NETWORK_USER : undefined;
  return renderActiveMqXml(runSpec, { instanceIndex, layout, ...(networkUser ? { networkUser } : {}) });
}

type Json = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseAttributeValue: false,
});

/** The rendered `<broker>` element as plain objects (attributes prefixed with '@'). */
function brokerOf(xml: string): Json {
  const document = parser.parse(xml) as { beans: { broker: Json } };
  return document.beans.broker;
}

function asArray(value: unknown): Json[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Json[];
}

describe("renderActiveMqXml", () => {
  it("renders a Spring beans document with the broker in ActiveMQ's namespace", () => {
    const xml = render(spec("SINGLE_INSTANCE"), 0);

    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<beans ')).toBe(true);
    expect(brokerOf(xml)["@xmlns"]).toBe("http://activemq.apache.org/schema/core");
  });

  it("owns the broker name, JMX, persistence and data directory whatever the user wrote", () => {
    const broker = brokerOf(render(spec("SINGLE_INSTANCE"), 0));

    expect(broker["@brokerName"]).toBe("orders");
    expect(broker["@useJmx"]).toBe("false");
    expect(broker["@persistent"]).toBe("true");
    expect(broker["@dataDirectory"]).toBe(`${DATA_DIR}/b-1234/instance-1/data`);
  });

  it("keeps broker attributes Amazon MQ permits and drops the others", () => {
    const broker = brokerOf(render(spec("SINGLE_INSTANCE"), 0));

    expect(broker["@schedulerSupport"]).toBe("true");
    expect(broker["@tmpDataDirectory"]).toBeUndefined();
  });

  it("never enables JMX or a management context", () => {
    const xml = render(spec("SINGLE_INSTANCE"), 0);

    expect(xml).not.toContain("managementContext");
    expect(xml).not.toContain('useJmx="true"');
  });

  it("keeps the user's destinationPolicy as written", () => {
    const broker = brokerOf(render(spec("SINGLE_INSTANCE"), 0));

    const entry = broker.destinationPolicy as Json as { policyMap: { policyEntries: { policyEntry: Json } } };
    expect(entry.policyMap.policyEntries.policyEntry).toEqual({
      "@queue": "orders.>",
      "@gcInactiveDestinations": "true",
      "@inactiveTimoutBeforeGC": "600000",
    });
  });

  it("replaces the user's transport connectors with OpenWire and STOMP on loopback ports", () => {
    const broker = brokerOf(render(spec("SINGLE_INSTANCE"), 0));

    const connectors = asArray((broker.transportConnectors as Json).transportConnector);
    expect(connectors).toEqual([
      { "@name": "openwire", "@uri": "tcp://127.0.0.1:41000" },
      { "@name": "stomp", "@uri": "stomp://127.0.0.1:41001" },
    ]);
  });

  it("replaces the user's persistence adapter with KahaDB in the instance directory", () => {
    const broker = brokerOf(render(spec("SINGLE_INSTANCE"), 0));

    expect(broker.persistenceAdapter).toEqual({
      kahaDB: { "@directory": `${DATA_DIR}/b-1234/instance-1/data/kahadb` },
    });
  });

  it("adds the spec's users, XML-escaped, and drops users the configuration declared", () => {
    const xml = render(spec("SINGLE_INSTANCE"), 0);
    const plugins = brokerOf(xml).plugins as Json;

    expect(xml).toContain('password="p&amp;&lt;&quot;&apos;&gt;w"');
    const users = asArray(((plugins.simpleAuthenticationPlugin as Json).users as Json).authenticationUser);
    expect(users).toEqual([{ "@username": "app", "@password": `p&<"'>w`, "@groups": "admins,apps" }]);
    expect(xml).not.toContain("sneaky");
  });

  it("keeps the user's authorization plugin and always adds the statistics plugin", () => {
    const plugins = brokerOf(render(spec("SINGLE_INSTANCE"), 0)).plugins as Json;

    expect(Object.keys(plugins)).toEqual([
      "simpleAuthenticationPlugin",
      "statisticsBrokerPlugin",
      "authorizationPlugin",
    ]);
  });

  it("renders concrete values only, no property placeholders", () => {
    expect(render(spec("CLUSTER_MULTI_AZ"), 0)).not.toMatch(/\$\{/);
  });

  it("puts both instances of an active/standby pair on one KahaDB store with a shared file locker", () => {
    const first = brokerOf(render(spec("ACTIVE_STANDBY_MULTI_AZ"), 0));
    const second = brokerOf(render(spec("ACTIVE_STANDBY_MULTI_AZ"), 1));

    const shared = {
      kahaDB: {
        "@directory": `${DATA_DIR}/b-1234/shared/kahadb`,
        locker: { "shared-file-locker": { "@lockAcquireSleepInterval": "500" } },
      },
    };
    expect(first.persistenceAdapter).toEqual(shared);
    expect(second.persistenceAdapter).toEqual(shared);
    expect([first["@brokerName"], second["@brokerName"]]).toEqual(["orders", "orders"]);
    expect(first["@dataDirectory"]).not.toBe(second["@dataDirectory"]);
    expect(asArray((second.transportConnectors as Json).transportConnector)[0]).toEqual({
      "@name": "openwire",
      "@uri": "tcp://127.0.0.1:41002",
    });
    expect(first.networkConnectors).toBeUndefined();
  });

  it("networks each cluster member to its two peers under a distinct broker name", () => {
    const runSpec = spec("CLUSTER_MULTI_AZ");
    const second = brokerOf(render(runSpec, 1));

    expect(second["@brokerName"]).toBe("orders-2");
    expect((second.persistenceAdapter as { kahaDB: Json }).kahaDB["@directory"]).toBe(
      `${DATA_DIR}/b-1234/instance-2/data/kahadb`,
    );
    const connectors = asArray((second.networkConnectors as Json).networkConnector);
    expect(connectors.map((connector) => [connector["@name"], connector["@uri"]])).toEqual([
      [
        "orders-2-to-orders-1",
        "static:(tcp://127.0.0.1:41000)?maxReconnectDelay=2000&useExponentialBackOff=false",
      ],
      [
        "orders-2-to-orders-3",
        "static:(tcp://127.0.0.1:41004)?maxReconnectDelay=2000&useExponentialBackOff=false",
      ],
    ]);
    expect(connectors[0]).toMatchObject({
      "@userName": "bridge",
      "@password": "bridge-secret",
      "@duplex": "false",
      "@conduitSubscriptions": "false",
      "@decreaseNetworkConsumerPriority": "false",
      "@networkTTL": "2",
    });
  });

  it("adds the cluster's network user to the broker's users", () => {
    const plugins = brokerOf(render(spec("CLUSTER_MULTI_AZ"), 0)).plugins as Json;

    const users = asArray(((plugins.simpleAuthenticationPlugin as Json).users as Json).authenticationUser);
    expect(users.map((user) => user["@username"])).toEqual(["app", "bridge"]);
  });

  it("refuses a cluster without a network user", () => {
    const runSpec = spec("CLUSTER_MULTI_AZ");
    const layout = instanceLayout(DATA_DIR, runSpec.brokerId, runSpec.deploymentMode, 0);

    expect(() => renderActiveMqXml(runSpec, { instanceIndex: 0, layout })).toThrow(BrokerConfigurationError);
  });

  it("renders an empty configuration as a broker with only what the runtime owns", () => {
    const broker = brokerOf(render(spec("SINGLE_INSTANCE", { configurationXml: "" }), 0));

    expect(Object.keys(broker).filter((key) => !key.startsWith("@"))).toEqual([
      "plugins",
      "persistenceAdapter",
      "systemUsage",
      "transportConnectors",
    ]);
  });

  it("throws BrokerConfigurationError for XML that is not well-formed or has no <broker> root", () => {
    expect(() =>
      render(spec("SINGLE_INSTANCE", { configurationXml: "<broker><plugins></broker>" }), 0),
    ).toThrow(/not well-formed/);
    expect(() => render(spec("SINGLE_INSTANCE", { configurationXml: "<beans/>" }), 0)).toThrow(
      /must have <broker> as its root element, found <beans>/,
    );
  });

  it("throws BrokerConfigurationError when the instance has no ports", () => {
    expect(() => render(spec("SINGLE_INSTANCE", { ports: [] }), 0)).toThrow(BrokerConfigurationError);
  });
});

describe("renderLog4jProperties", () => {
  it("logs with log4j 1.x to the given file", () => {
    const properties = renderLog4jProperties("/data/b/instance-1/activemq.log");

    expect(properties).toContain("log4j.rootLogger=INFO, logfile");
    expect(properties).toContain("log4j.appender.logfile.file=/data/b/instance-1/activemq.log");
  });

  it("escapes backslashes and non-ASCII characters in the file name", () => {
    expect(renderLog4jProperties("/data/ü\\x.log")).toContain(
      "log4j.appender.logfile.file=/data/\\u00fc\\\\x.log",
    );
  });
});
