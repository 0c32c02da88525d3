import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { instanceLayout } from "../../../../local/brokers/layout.js";
import { renderActiveMqXml } from "../../../../local/brokers/render.js";
import type { BrokerRunSpec } from "../../../../local/brokers/types.js";

// The CRDR hook of the renderer: a replicated broker mirrors its queues to `<prefix><queue>` topics
// (local/mq/replication.ts), without losing the user's interceptors or the default virtual topics.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });

const spec = (configurationXml: string, mirrorQueuesPrefix?: string): BrokerRunSpec => ({
  brokerId: "b-crdr",
  brokerName: "orders",
  deploymentMode: "ACTIVE_STANDBY_MULTI_AZ",
  configurationXml,
  users: [{ username: "app", password: "App-Password-1" }],
  ports: [
    { openwire: 42000, stomp: 42001 },
    { openwire: 42002, stomp: 42003 },
  ],
  ...(mirrorQueuesPrefix === undefined ? {} : { mirrorQueuesPrefix }),
});

interface Interceptors {
  mirroredQueue?: Record<string, string>;
  virtualDestinationInterceptor?: {
    virtualDestinations: { virtualTopic?: Record<string, string>; compositeQueue?: Record<string, string> };
  };
}
function interceptors(runSpec: BrokerRunSpec): Interceptors | undefined {
  const layout = instanceLayout("/var/tmp/mqops-test", runSpec.brokerId, runSpec.deploymentMode, 0);
  const xml = parser.parse(renderActiveMqXml(runSpec, { instanceIndex: 0, layout })) as {
    beans: { broker: { destinationInterceptors?: Interceptors } };
  };
  return xml.beans.broker.destinationInterceptors;
}

const BROKER = '<broker xmlns="http://activemq.apache.org/schema/core">';

describe("mirrored queues for a replicated broker", () => {
  it("adds a mirroredQueue with the prefix and keeps ActiveMQ's default virtual topics", () => {
    const rendered = interceptors(spec(`${BROKER}</broker>`, "mqops.replication."));
    expect(rendered?.mirroredQueue).toEqual({
      copyMessage: "true",
      prefix: "mqops.replication.",
      postfix: "",
    });
    expect(rendered?.virtualDestinationInterceptor?.virtualDestinations.virtualTopic).toEqual({
      name: "VirtualTopic.>",
      prefix: "Consumer.*.",
    });
  });

  it("adds it to the user's own interceptors, which stay as written", () => {
    const user = `${BROKER}<destinationInterceptors><virtualDestinationInterceptor><virtualDestinations>
      <compositeQueue name="all.orders"/></virtualDestinations></virtualDestinationInterceptor></destinationInterceptors></broker>`;
    const rendered = interceptors(spec(user, "mqops.replication."));
    expect(rendered?.mirroredQueue).toMatchObject({ prefix: "mqops.replication." });
    expect(rendered?.virtualDestinationInterceptor?.virtualDestinations.compositeQueue).toEqual({
      name: "all.orders",
    });
    expect(rendered?.virtualDestinationInterceptor?.virtualDestinations.virtualTopic).toBeUndefined();
  });

  it("renders no interceptors for a broker that is not replicated", () => {
    expect(interceptors(spec(`${BROKER}</broker>`))).toBeUndefined();
  });
});
