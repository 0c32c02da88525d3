import { describe, expect, it } from "vitest";
import { instanceLayout } from "../../../../local/brokers/layout.js";
import { firstError, javaArguments } from "../../../../local/brokers/process.js";

describe("javaArguments", () => {
  it("runs activemq.jar directly with a small heap and the instance's own base, conf and data", () => {
    const layout = instanceLayout("/data", "b-1", "SINGLE_INSTANCE", 0);

    expect(javaArguments(layout)).toEqual([
      "-Xms64m",
      "-Xmx256m",
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      "-Dactivemq.home=/usr/share/activemq",
      "-Dactivemq.base=/data/b-1/instance-1",
      "-Dactivemq.conf=/data/b-1/instance-1",
      "-Dactivemq.data=/data/b-1/instance-1/data",
      "-Dactivemq.classpath=/usr/share/java/xstream.jar:/usr/share/java/jettison.jar",
      "-Dlog4j.configuration=file:/data/b-1/instance-1/log4j.properties",
      "-jar",
      "/usr/share/activemq/bin/activemq.jar",
      "start",
      "xbean:file:/data/b-1/instance-1/activemq.xml",
    ]);
  });
});

describe("firstError", () => {
  it("reports the launcher's ERROR line without stack frames", () => {
    const console = [
      "Loading message broker from: xbean:file:/d/activemq.xml",
      "ERROR: java.lang.RuntimeException: Failed to execute start task. Reason: cvc-datatype-valid.1.2.1: 'abc' is not a valid value for 'integer'.",
      "\tat org.apache.activemq.console.Main.main(Main.java:115)",
    ].join("\n");

    expect(firstError(console, "")).toBe(
      "java.lang.RuntimeException: Failed to execute start task. Reason: cvc-datatype-valid.1.2.1: 'abc' is not a valid value for 'integer'.",
    );
  });

  it("falls back to the first ERROR in the broker's log", () => {
    const log =
      "2026-01-01 | INFO  | starting | x | main\n2026-01-01 | ERROR | Failed to start: address in use | org.apache.activemq.broker.BrokerService | main\n";

    expect(firstError("", log)).toBe("Failed to start: address in use");
  });

  it("falls back to the last lines, or says there were none", () => {
    expect(firstError("a\nb\n", "c\n")).toBe("a\nb\nc");
    expect(firstError("", "")).toBe("it wrote no log");
  });
});
