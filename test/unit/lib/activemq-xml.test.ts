import { describe, expect, it } from "vitest";
import { checkActiveMqXml } from "../../../functions/lib/activemq-xml.js";

describe("checkActiveMqXml", () => {
  it("reports what Amazon MQ would strip without rejecting the configuration", () => {
    const xml = `<?xml version="1.0"?><broker xmlns="http://activemq.apache.org/schema/core">
      <destinations/><managementContext/><sslContext/></broker>`;

    expect(checkActiveMqXml(xml)).toEqual({
      errors: [],
      warnings: [
        "<managementContext> is not permitted in an Amazon MQ configuration and would be removed",
        "<sslContext> is not permitted in an Amazon MQ configuration and would be removed",
      ],
    });
  });

  it("accepts the permitted elements silently", () => {
    expect(
      checkActiveMqXml("<broker><plugins><statisticsBrokerPlugin/></plugins><systemUsage/></broker>"),
    ).toEqual({
      errors: [],
      warnings: [],
    });
  });
});
