import { describe, expect, it } from "vitest";
import { BrokerConfigurationError } from "../../../../local/brokers/errors.js";
import { instanceLayout } from "../../../../local/brokers/layout.js";
import { renderActiveMqXml } from "../../../../local/brokers/render.js";
import { MONITOR_USERNAME } from "../../../../local/brokers/runtime.js";
import type { BrokerRunSpec } from "../../../../local/brokers/types.js";
import { collectableBrokers } from "../../../../local/metrics/runtime-brokers.js";

const MONITOR = { username: MONITOR_USERNAME, password: "m0nitor-pass", groups: ["admins"] };

function spec(users: BrokerRunSpec["users"]): BrokerRunSpec {
  return {
    brokerId: "b-1",
    brokerName: "shop",
    deploymentMode: "SINGLE_INSTANCE",
    configurationXml: "",
    users,
    ports: [{ openwire: 61616, stomp: 61613 }],
  };
}

const render = (runSpec: BrokerRunSpec) =>
  renderActiveMqXml(runSpec, {
    instanceIndex: 0,
    layout: instanceLayout("/var/tmp/mqops-test", "b-1", "SINGLE_INSTANCE", 0),
    monitorUser: MONITOR,
  });

describe("the collector's monitoring user", () => {
  it("is a broker user besides the customer's users", () => {
    const xml = render(spec([{ username: "app", password: "app-pass-123", groups: ["users"] }]));

    expect(xml).toContain('username="app"');
    expect(xml).toContain(`username="${MONITOR_USERNAME}" password="m0nitor-pass" groups="admins"`);
  });

  it("has a name no Amazon MQ user can have, so it never replaces a customer's user", () => {
    // Amazon MQ user names: 2-100 of [A-Za-z0-9._~-].
    expect(MONITOR_USERNAME).not.toMatch(/^[A-Za-z0-9._~-]{2,100}$/);
    expect(() => render(spec([{ username: MONITOR_USERNAME, password: "x".repeat(12) }]))).toThrow(
      BrokerConfigurationError,
    );
  });
});

describe("collectableBrokers", () => {
  it("lists every started broker's instances with the monitoring user's credentials", () => {
    const runtime = {
      monitoringTargets: () => [
        {
          brokerId: "b-2",
          brokerName: "pair",
          deploymentMode: "ACTIVE_STANDBY_MULTI_AZ" as const,
          instances: [
            { index: 1, host: "127.0.0.1", stompPort: 40001 },
            { index: 2, host: "127.0.0.1", stompPort: 40002 },
          ],
          monitorUser: { username: MONITOR_USERNAME, password: "pw" },
        },
      ],
    };

    expect(collectableBrokers(runtime)).toEqual([
      {
        brokerName: "pair",
        instances: [
          { index: 1, host: "127.0.0.1", stompPort: 40001 },
          { index: 2, host: "127.0.0.1", stompPort: 40002 },
        ],
        credentials: { username: MONITOR_USERNAME, password: "pw" },
      },
    ]);
  });
});
