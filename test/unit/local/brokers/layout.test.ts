import { describe, expect, it } from "vitest";
import { brokerDirectory, instanceCount, instanceLayout } from "../../../../local/brokers/layout.js";

describe("brokerDirectory", () => {
  it("puts a broker under the data directory by its id", () => {
    expect(brokerDirectory("/data", "b-1234_x.y")).toBe("/data/b-1234_x.y");
  });

  it.each(["", "..", "../etc", "a/b", ".hidden", "b 1"])("refuses the id %j, which could escape it", (id) => {
    expect(() => brokerDirectory("/data", id)).toThrow(/not usable as a directory name/);
  });
});

describe("instanceLayout", () => {
  it("gives each instance its own directory, files and KahaDB store", () => {
    expect(instanceLayout("/data", "b-1", "CLUSTER_MULTI_AZ", 2)).toEqual({
      dir: "/data/b-1/instance-3",
      configFile: "/data/b-1/instance-3/activemq.xml",
      log4jFile: "/data/b-1/instance-3/log4j.properties",
      logFile: "/data/b-1/instance-3/activemq.log",
      consoleFile: "/data/b-1/instance-3/console.log",
      pidFile: "/data/b-1/instance-3/jvm.pid",
      dataDirectory: "/data/b-1/instance-3/data",
      kahaDbDirectory: "/data/b-1/instance-3/data/kahadb",
    });
  });

  it("shares one KahaDB store between the two instances of an active/standby pair", () => {
    const first = instanceLayout("/data", "b-1", "ACTIVE_STANDBY_MULTI_AZ", 0);
    const second = instanceLayout("/data", "b-1", "ACTIVE_STANDBY_MULTI_AZ", 1);

    expect(first.kahaDbDirectory).toBe("/data/b-1/shared/kahadb");
    expect(second.kahaDbDirectory).toBe(first.kahaDbDirectory);
    expect(second.dataDirectory).not.toBe(first.dataDirectory);
  });
});

describe("instanceCount", () => {
  it("runs 1, 2 and 3 JVMs for the three deployment modes", () => {
    expect([
      instanceCount("SINGLE_INSTANCE"),
      instanceCount("ACTIVE_STANDBY_MULTI_AZ"),
      instanceCount("CLUSTER_MULTI_AZ"),
    ]).toEqual([1, 2, 3]);
  });
});
