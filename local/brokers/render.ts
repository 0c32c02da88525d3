import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { MAX_XML_DEPTH, parseOrIssue, unsafeXmlIssue } from "../../functions/lib/activemq-xml.js";
import { PERMITTED_BROKER_ATTRIBUTES } from "../../functions/lib/amazon-mq.js";
import { BrokerConfigurationError } from "./errors.js";
import type { InstanceLayout } from "./layout.js";
import { jaasAuthenticationPlugin, renderLdapFiles, withLdapConnection } from "./render-ldap.js";
import type { BrokerRunSpec, BrokerUser, InstancePorts } from "./types.js";

/**
 * Renders one broker instance's activemq.xml (Spring/xbean) and log4j 1.x properties. Pure: the
 * runtime decides paths, ports and credentials; these functions only turn them into files.
 *
 * The user's `<broker>` element keeps what Amazon MQ lets a configuration change (destination
 * policies, destinations, interceptors, permitted plugins, permitted broker attributes). What makes
 * the broker run here is owned by the runtime and replaces whatever the user wrote: names, JMX,
 * persistence, storage, connectors, authentication and memory limits.
 */

/** This instance's paths and, for a cluster, the user its network connectors log in to peers as. */
export interface RenderContext {
  instanceIndex: number;
  layout: InstanceLayout;
  /** CLUSTER_MULTI_AZ only: added to the broker's users and used by every network connector. */
  networkUser?: BrokerUser;
  /** Added to the broker's users: the local metrics collector reads the statistics plugin as this user. */
  monitorUser?: BrokerUser;
}

/** `<broker>` children kept from the user's configuration, as written. */
const USER_OWNED_CHILDREN = new Set(["destinationInterceptors", "destinationPolicy", "destinations"]);

/**
 * Plugins a user may add (Amazon MQ's list). `statisticsBrokerPlugin` is left out because the
 * runtime always adds it, and authentication plugins because the runtime owns the users.
 */
const USER_PLUGINS = new Set([
  "authorizationPlugin",
  "discardingDLQBrokerPlugin",
  "forcePersistencyModeBrokerPlugin",
  "redeliveryPlugin",
  "timeStampingBrokerPlugin",
]);

/** Memory, store and temporary-store limits; sized for the runtime's 256 MB heap. */
export const SYSTEM_USAGE = {
  memoryPercentOfJvmHeap: 50,
  storeLimit: "2 gb",
  tempLimit: "512 mb",
} as const;

/** How long a standby sleeps between attempts to take the shared KahaDB lock. */
export const LOCK_ACQUIRE_SLEEP_MS = 500;

/** Network connector reconnects: a peer that starts later (or restarts) is reached within seconds. */
const NETWORK_RECONNECT_QUERY = "maxReconnectDelay=2000&useExponentialBackOff=false";

type Attributes = Record<string, string>;
/** fast-xml-parser's ordered form: `{ tag: children, ":@": attributes }` or `{ "#text": text }`. */
type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
});

// The builder XML-escapes every attribute value and text node (&, <, >, ", ').
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
});

function element(name: string, attributes: Attributes = {}, children: XmlNode[] = []): XmlNode {
  return Object.keys(attributes).length === 0 ? { [name]: children } : { [name]: children, ":@": attributes };
}

function tagName(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => !key.startsWith("#") && key !== ":@" && !key.startsWith("?"));
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

function childrenOf(node: XmlNode, name: string): XmlNode[] {
  const children = node[name];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
}

function attributesOf(node: XmlNode): Attributes {
  const attributes = node[":@"];
  return typeof attributes === "object" && attributes !== null ? (attributes as Attributes) : {};
}

interface UserBroker {
  attributes: Attributes;
  children: XmlNode[];
}

/** The user's `<broker>` element, parsed; an empty configuration is an empty broker. */
function parseUserBroker(configurationXml: string): UserBroker {
  if (configurationXml.trim() === "") return { attributes: {}, children: [] };
  // Revisions are checked when stored; this guards revisions stored before that check existed, so a
  // DOCTYPE or entity never reaches the parser below nor the broker's own (Spring) XML reader.
  const unsafe = unsafeXmlIssue(configurationXml);
  if (unsafe !== undefined) throw new BrokerConfigurationError(`configuration ${unsafe}`);
  const valid = XMLValidator.validate(configurationXml);
  if (valid !== true) {
    throw new BrokerConfigurationError(
      `configuration is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const parsed = parseOrIssue(() => parser.parse(configurationXml) as XmlNode[]);
  if (!parsed.ok) throw new BrokerConfigurationError(`configuration ${parsed.issue}`);
  const root = parsed.value.find((node) => tagName(node) !== undefined);
  const rootName = root === undefined ? undefined : tagName(root);
  if (root === undefined || rootName === undefined || localName(rootName) !== "broker") {
    throw new BrokerConfigurationError(
      `configuration must have <broker> as its root element, found <${rootName ?? "nothing"}>`,
    );
  }
  return { attributes: attributesOf(root), children: childrenOf(root, rootName) };
}

/** The broker's name: one name for both instances of a pair, `<name>-<n>` per cluster member. */
export function instanceBrokerName(spec: BrokerRunSpec, instanceIndex: number): string {
  return spec.deploymentMode === "CLUSTER_MULTI_AZ"
    ? `${spec.brokerName}-${instanceIndex + 1}`
    : spec.brokerName;
}

function portsOf(spec: BrokerRunSpec, instanceIndex: number): InstancePorts {
  const ports = spec.ports[instanceIndex];
  if (ports === undefined) {
    throw new BrokerConfigurationError(
      `broker ${spec.brokerId} has no ports for instance ${instanceIndex + 1} (${spec.ports.length} allocated)`,
    );
  }
  return ports;
}

function brokerAttributes(spec: BrokerRunSpec, context: RenderContext, user: Attributes): Attributes {
  const kept = Object.entries(user).filter(
    ([name]) => PERMITTED_BROKER_ATTRIBUTES.has(name) || name.startsWith("xmlns:"),
  );
  return {
    xmlns: "http://activemq.apache.org/schema/core",
    ...Object.fromEntries(kept),
    brokerName: instanceBrokerName(spec, context.instanceIndex),
    useJmx: "false",
    persistent: "true",
    dataDirectory: context.layout.dataDirectory,
  };
}

function persistenceAdapter(spec: BrokerRunSpec, layout: InstanceLayout): XmlNode {
  const locker =
    spec.deploymentMode === "ACTIVE_STANDBY_MULTI_AZ"
      ? [
          element("locker", {}, [
            element("shared-file-locker", { lockAcquireSleepInterval: String(LOCK_ACQUIRE_SLEEP_MS) }),
          ]),
        ]
      : [];
  return element("persistenceAdapter", {}, [
    element("kahaDB", { directory: layout.kahaDbDirectory }, locker),
  ]);
}

function authenticationUser(user: BrokerUser): XmlNode {
  return element("authenticationUser", {
    username: user.username,
    password: user.password,
    groups: (user.groups ?? []).join(","),
  });
}

function allUsers(spec: BrokerRunSpec, context: RenderContext): BrokerUser[] {
  const { networkUser, monitorUser } = context;
  if (networkUser !== undefined && spec.users.some((user) => user.username === networkUser.username)) {
    throw new BrokerConfigurationError(
      `user name ${networkUser.username} is reserved for the cluster's network connectors`,
    );
  }
  if (monitorUser !== undefined && spec.users.some((user) => user.username === monitorUser.username)) {
    throw new BrokerConfigurationError(
      `user name ${monitorUser.username} is reserved for the metrics collector`,
    );
  }
  return [...spec.users, ...(networkUser ? [networkUser] : []), ...(monitorUser ? [monitorUser] : [])];
}

function plugins(spec: BrokerRunSpec, context: RenderContext, userChildren: XmlNode[]): XmlNode {
  const userPlugins = userChildren
    .filter((node) => localName(tagName(node) ?? "") === "plugins")
    .flatMap((node) => childrenOf(node, tagName(node) ?? ""))
    .filter((node) => USER_PLUGINS.has(localName(tagName(node) ?? "")));
  // An LDAP broker authenticates through JAAS (render-ldap.ts), and its authorization map reads the
  // same directory.
  const { ldap } = spec;
  if (ldap !== undefined) {
    return element("plugins", {}, [
      jaasAuthenticationPlugin(),
      element("statisticsBrokerPlugin"),
      ...userPlugins.map((node) => withLdapConnection(node, ldap)),
    ]);
  }
  // Authentication first: the authorization plugin reads the security context it sets.
  return element("plugins", {}, [
    element("simpleAuthenticationPlugin", { anonymousAccessAllowed: "false" }, [
      element("users", {}, allUsers(spec, context).map(authenticationUser)),
    ]),
    element("statisticsBrokerPlugin"),
    ...userPlugins,
  ]);
}

function networkConnectors(spec: BrokerRunSpec, context: RenderContext): XmlNode[] {
  if (spec.deploymentMode !== "CLUSTER_MULTI_AZ") return [];
  const networkUser = context.networkUser;
  if (networkUser === undefined) {
    throw new BrokerConfigurationError("a CLUSTER_MULTI_AZ broker needs a network user for its connectors");
  }
  const self = instanceBrokerName(spec, context.instanceIndex);
  const peers = spec.ports.flatMap((ports, index) =>
    index === context.instanceIndex ? [] : [{ ports, index }],
  );
  return [
    element(
      "networkConnectors",
      {},
      peers.map(({ ports, index }) =>
        element("networkConnector", {
          name: `${self}-to-${instanceBrokerName(spec, index)}`,
          uri: `static:(tcp://127.0.0.1:${ports.openwire})?${NETWORK_RECONNECT_QUERY}`,
          userName: networkUser.username,
          password: networkUser.password,
          duplex: "false",
          conduitSubscriptions: "false",
          decreaseNetworkConsumerPriority: "false",
          networkTTL: "2",
        }),
      ),
    ),
  ];
}

function transportConnectors(ports: InstancePorts): XmlNode {
  return element("transportConnectors", {}, [
    element("transportConnector", { name: "openwire", uri: `tcp://127.0.0.1:${ports.openwire}` }),
    element("transportConnector", { name: "stomp", uri: `stomp://127.0.0.1:${ports.stomp}` }),
  ]);
}

function systemUsage(): XmlNode {
  return element("systemUsage", {}, [
    element("systemUsage", {}, [
      element("memoryUsage", {}, [
        element("memoryUsage", { percentOfJvmHeap: String(SYSTEM_USAGE.memoryPercentOfJvmHeap) }),
      ]),
      element("storeUsage", {}, [element("storeUsage", { limit: SYSTEM_USAGE.storeLimit })]),
      element("tempUsage", {}, [element("tempUsage", { limit: SYSTEM_USAGE.tempLimit })]),
    ]),
  ]);
}

/** ActiveMQ's default virtual topics, kept when `destinationInterceptors` is written for mirroring. */
const DEFAULT_VIRTUAL_DESTINATIONS = element("virtualDestinationInterceptor", {}, [
  element("virtualDestinations", {}, [
    element("virtualTopic", { name: "VirtualTopic.>", prefix: "Consumer.*." }),
  ]),
]);

/**
 * The user's `destinationInterceptors` with a `mirroredQueue` added for a replicated broker (a
 * broker given no interceptors would otherwise lose its default virtual topics, so they are added).
 */
function withMirroredQueues(spec: BrokerRunSpec, kept: XmlNode[]): XmlNode[] {
  const prefix = spec.mirrorQueuesPrefix;
  if (prefix === undefined) return kept;
  const mirror = element("mirroredQueue", { copyMessage: "true", prefix, postfix: "" });
  const index = kept.findIndex((node) => localName(tagName(node) ?? "") === "destinationInterceptors");
  const existing = index === -1 ? undefined : kept[index];
  if (existing === undefined) {
    return [...kept, element("destinationInterceptors", {}, [DEFAULT_VIRTUAL_DESTINATIONS, mirror])];
  }
  const name = tagName(existing) ?? "destinationInterceptors";
  const merged = { ...existing, [name]: [...childrenOf(existing, name), mirror] };
  return kept.map((node, at) => (at === index ? merged : node));
}

/**
 * The complete activemq.xml for one instance. Every value is concrete (no `${...}`) and XML-escaped.
 * The result holds passwords: write it with mode 0600 and never log it.
 */
export function renderActiveMqXml(spec: BrokerRunSpec, context: RenderContext): string {
  const ports = portsOf(spec, context.instanceIndex);
  const user = parseUserBroker(spec.configurationXml);
  const kept = user.children.filter((node) => USER_OWNED_CHILDREN.has(localName(tagName(node) ?? "")));
  const broker = element("broker", brokerAttributes(spec, context, user.attributes), [
    ...withMirroredQueues(spec, kept),
    plugins(spec, context, user.children),
    persistenceAdapter(spec, context.layout),
    systemUsage(),
    transportConnectors(ports),
    ...networkConnectors(spec, context),
  ]);
  const beans = element(
    "beans",
    {
      xmlns: "http://www.springframework.org/schema/beans",
      "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
      "xsi:schemaLocation": [
        "http://www.springframework.org/schema/beans",
        "http://www.springframework.org/schema/beans/spring-beans.xsd",
        "http://activemq.apache.org/schema/core",
        "http://activemq.apache.org/schema/core/activemq-core.xsd",
      ].join(" "),
    },
    [broker],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${(builder.build([beans]) as string).trim()}\n`;
}

/**
 * The files besides activemq.xml an instance needs, by name in its configuration directory: for an
 * LDAP broker, the JAAS login configuration and the local cloud's own users (render-ldap.ts). They
 * hold passwords: mode 0600.
 */
export function renderExtraFiles(spec: BrokerRunSpec, context: RenderContext): Record<string, string> {
  if (spec.ldap === undefined) return {};
  const internal = [context.networkUser, context.monitorUser].filter(
    (user): user is BrokerUser => user !== undefined,
  );
  return renderLdapFiles(spec.ldap, context.layout.dir, internal);
}

/** A value for a Java properties file: backslashes escaped, anything outside ASCII as \uXXXX. */
function propertyValue(value: string): string {
  return value
    .replaceAll("\\", "\\\\")
    .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** log4j 1.2 configuration that writes the broker's log to `logFile` (ActiveMQ 5.17 on Debian uses log4j 1.x). */
export function renderLog4jProperties(logFile: string): string {
  return [
    "log4j.rootLogger=INFO, logfile",
    "log4j.logger.org.springframework=WARN",
    "log4j.logger.org.apache.xbean=WARN",
    "log4j.appender.logfile=org.apache.log4j.RollingFileAppender",
    `log4j.appender.logfile.file=${propertyValue(logFile)}`,
    "log4j.appender.logfile.append=true",
    "log4j.appender.logfile.maxFileSize=10MB",
    "log4j.appender.logfile.maxBackupIndex=2",
    "log4j.appender.logfile.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.logfile.layout.ConversionPattern=%d | %-5p | %m | %c | %t%n",
    "",
  ].join("\n");
}
