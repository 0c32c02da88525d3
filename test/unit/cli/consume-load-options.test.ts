import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliError } from "../../../cli/api.js";
import { consumerSettings, serviceTimeMs } from "../../../cli/consume.js";
import { loadPlan } from "../../../cli/load.js";
import { brokerCredentials, describeServers, failoverUrl } from "../../../cli/stomp-connection.js";

describe("consumerSettings", () => {
  it("takes flags over the environment over the defaults", () => {
    const env = {
      MQOPS_BROKER_ID: "b-env",
      MQOPS_QUEUE: "env-q",
      MQOPS_SERVICE_MS: "50",
      MQOPS_PREFETCH: "4",
    };
    expect(consumerSettings({}, env)).toEqual({
      brokerId: "b-env",
      url: undefined,
      queue: "env-q",
      serviceMs: 50,
      prefetch: 4,
    });
    expect(consumerSettings({ broker: "b-flag", queue: "orders", "service-ms": "0" }, env)).toMatchObject({
      brokerId: "b-flag",
      queue: "orders",
      serviceMs: 0,
      prefetch: 4,
    });
    expect(consumerSettings({ broker: "b", queue: "q" }, {})).toMatchObject({ serviceMs: 200, prefetch: 1 });
  });

  it("needs a broker (or URL) and a queue, and whole numbers", () => {
    expect(() => consumerSettings({ queue: "q" }, {})).toThrow(/--broker/);
    expect(() => consumerSettings({ broker: "b" }, {})).toThrow(/--queue/);
    expect(() => consumerSettings({ broker: "b", queue: "q", prefetch: "0" }, {})).toThrow(/--prefetch/);
    expect(() => consumerSettings({ broker: "b", queue: "q", "service-ms": "fast" }, {})).toThrow(CliError);
    expect(consumerSettings({ queue: "q" }, { MQOPS_BROKER_URL: "stomp://h:1" }).url).toBe("stomp://h:1");
  });
});

describe("serviceTimeMs", () => {
  it("uses a message's own service time when it carries a valid one", () => {
    expect(serviceTimeMs({ "mqops-service-ms": "1500" }, 200)).toBe(1500);
    expect(serviceTimeMs({ "mqops-service-ms": "soon" }, 200)).toBe(200);
    expect(serviceTimeMs({}, 200)).toBe(200);
  });
});

describe("brokerCredentials", () => {
  it("splits --user at the first colon, so a password may contain colons", () => {
    expect(brokerCredentials("app:pa:ss", {})).toEqual({ username: "app", password: "pa:ss" });
  });

  it("falls back to MQ_USERNAME and MQ_PASSWORD", () => {
    expect(brokerCredentials(undefined, { MQ_USERNAME: "u", MQ_PASSWORD: "p" })).toEqual({
      username: "u",
      password: "p",
    });
  });

  it("refuses missing credentials without echoing what it got", () => {
    expect(() => brokerCredentials("app", {})).toThrow("--user: expected name:password");
    expect(() => brokerCredentials(undefined, { MQ_USERNAME: "u" })).toThrow(/MQ_PASSWORD/);
  });
});

describe("broker URLs", () => {
  it("keeps a failover URL, wraps a cluster's list, and uses a single URL alone", () => {
    expect(failoverUrl("failover:(stomp://a:1,stomp://b:2)")).toBe("failover:(stomp://a:1,stomp://b:2)");
    expect(failoverUrl("stomp://a:1,stomp://b:2")).toBe("failover:(stomp://a:1,stomp://b:2)");
    expect(failoverUrl("stomp://a:1")).toBe("stomp://a:1");
  });

  it("describes the servers without credentials", () => {
    expect(describeServers("failover:(stomp://u:secret@a:1,stomp://b:2)?randomize=false")).toBe(
      "stomp://a:1,stomp://b:2",
    );
  });
});

describe("loadPlan", () => {
  it("builds each shape from the flags", () => {
    expect(loadPlan({ rate: "3000/m", for: "10m" })).toMatchObject({
      shape: { kind: "steady", ratePerSecond: 50 },
      durationMs: 600_000,
    });
    expect(loadPlan({ rate: "10/s", for: "5m", shape: "square", period: "30s" }).shape).toEqual({
      kind: "square",
      ratePerSecond: 10,
      periodMs: 30_000,
    });
  });

  it("reads the bench's trace CSV, defaulting the run to the trace's length", () => {
    const file = path.join(process.cwd(), "bench", "autoscaling", "example-trace.csv");
    const plan = loadPlan({ shape: "trace", trace: file });
    expect(plan.shape).toMatchObject({ kind: "trace" });
    expect(plan.shape.kind === "trace" && plan.shape.arrivalsPerMinute.slice(0, 2)).toEqual([120, 127]);
    expect(plan.shape.kind === "trace" && plan.shape.serviceSeconds[0]).toBe(2);
    expect(plan.durationMs % 60_000).toBe(0);
  });

  it("explains what is missing", () => {
    expect(() => loadPlan({ for: "10m" })).toThrow(/--rate/);
    expect(() => loadPlan({ rate: "5/s" })).toThrow(/--for/);
    expect(() => loadPlan({ rate: "5/s", for: "1m", shape: "sine" })).toThrow(/--shape sine/);
    expect(() => loadPlan({ shape: "trace" })).toThrow(/trace file/);
  });
});
