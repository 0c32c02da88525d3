import type { DescribeBrokerResponse } from "@aws-sdk/client-mq";
import { EndpointVerificationError } from "./errors.js";

export interface BrokerInstanceView {
  consoleUrl?: string;
  ipAddress?: string;
  endpoints: string[];
}

export type Protocol = "openwire" | "amqp" | "stomp" | "mqtt" | "wss";

export interface BrokerEndpoints {
  instances: BrokerInstanceView[];
  /** For each protocol, the URL a client should use: `failover:(…-1…,…-2…)` for active/standby. */
  urls: Partial<Record<Protocol, string>>;
}

const PROTOCOL_BY_SCHEME: Record<string, Protocol> = {
  ssl: "openwire",
  tcp: "openwire",
  nio: "openwire",
  "amqp+ssl": "amqp",
  amqp: "amqp",
  "stomp+ssl": "stomp",
  stomp: "stomp",
  "mqtt+ssl": "mqtt",
  mqtt: "mqtt",
  wss: "wss",
  ws: "wss",
};

const EXPECTED_INSTANCES: Record<string, number> = { SINGLE_INSTANCE: 1, ACTIVE_STANDBY_MULTI_AZ: 2 };

/**
 * Checks a broker's instances against its deployment mode and builds the client URLs. Pure.
 * Throws EndpointVerificationError when an instance is missing or has no endpoint.
 */
export function buildEndpoints(deploymentMode: string, instances: BrokerInstanceView[]): BrokerEndpoints {
  const expected = EXPECTED_INSTANCES[deploymentMode];
  if (instances.length === 0 || (expected !== undefined && instances.length !== expected)) {
    throw new EndpointVerificationError(
      `${deploymentMode} broker has ${instances.length} instance(s), expected ${expected ?? "at least 1"}`,
    );
  }
  const missing = instances.findIndex((instance) => instance.endpoints.length === 0);
  if (missing !== -1) throw new EndpointVerificationError(`Broker instance ${missing + 1} has no endpoints`);
  return { instances, urls: clientUrls(deploymentMode, instances) };
}

/** The URL per protocol a client should use, from whatever endpoints the instances have. Pure. */
export function clientUrls(
  deploymentMode: string,
  instances: BrokerInstanceView[],
): Partial<Record<Protocol, string>> {
  const byProtocol = new Map<Protocol, string[]>();
  for (const instance of instances) {
    for (const endpoint of instance.endpoints) {
      const protocol = PROTOCOL_BY_SCHEME[endpoint.slice(0, endpoint.indexOf("://"))];
      if (protocol === undefined) continue;
      byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), endpoint]);
    }
  }
  const urls: Partial<Record<Protocol, string>> = {};
  for (const [protocol, list] of byProtocol) {
    urls[protocol] =
      deploymentMode === "ACTIVE_STANDBY_MULTI_AZ" ? `failover:(${list.join(",")})` : list.join(",");
  }
  return urls;
}

/** DescribeBroker's instances as the API and the provisioning workflow show them. Pure. */
export function instanceViews(broker: DescribeBrokerResponse): BrokerInstanceView[] {
  return (broker.BrokerInstances ?? []).map((instance) => ({
    consoleUrl: instance.ConsoleURL,
    ipAddress: instance.IpAddress,
    endpoints: instance.Endpoints ?? [],
  }));
}

/** DescribeBroker's instances numbered from 1, as their `-1`/`-2` suffixes are (failover probes). Pure. */
export function numberedInstances(broker: DescribeBrokerResponse) {
  return (broker.BrokerInstances ?? []).map((instance, index) => ({
    instance: index + 1,
    endpoints: instance.Endpoints ?? [],
  }));
}
