import { describe, expect, it } from "vitest";
import {
  type Classification,
  classify,
  detect,
  type FailoverState,
  type InstanceProbe,
  type ProbeOutcome,
} from "../../../functions/failover/detector.js";

const probe = (instance: number, outcome: ProbeOutcome): InstanceProbe => ({
  instance,
  endpoint: `tcp://10.0.0.${instance}:61616`,
  protocol: "openwire",
  outcome,
  latencyMs: 3,
});

const round = (one: ProbeOutcome, two: ProbeOutcome) => [probe(1, one), probe(2, two)];

describe("classify", () => {
  it.each<[ProbeOutcome, ProbeOutcome, Classification["kind"], number | undefined]>([
    ["answered", "refused", "active", 1],
    ["answered", "timeout", "active", 1],
    ["refused", "answered", "active", 2],
    ["timeout", "answered", "active", 2],
    ["error", "answered", "active", 2],
    ["refused", "refused", "none", undefined],
    ["timeout", "timeout", "none", undefined],
    ["error", "refused", "none", undefined],
    ["answered", "answered", "both", undefined],
  ])("-1 %s, -2 %s → %s %s", (one, two, kind, instance) => {
    const result = classify(round(one, two));
    expect(result.kind).toBe(kind);
    if (result.kind === "active") expect(result.instance).toBe(instance);
  });
});

const T0 = Date.parse("2026-12-01T00:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** Runs rounds 10 s apart through the detector; returns each round's event types and the last state. */
function run(rounds: Array<[ProbeOutcome, ProbeOutcome]>, start?: FailoverState, startSecond = 0) {
  let state = start;
  const events: string[][] = [];
  rounds.forEach(([one, two], index) => {
    const detection = detect(state, {
      brokerId: "b-1",
      brokerName: "orders",
      at: at(startSecond + index * 10),
      probes: round(one, two),
    });
    state = detection.state;
    events.push(detection.events.map((event) => event.type));
  });
  if (state === undefined) throw new Error("no rounds");
  return { events, state, flat: events.flat() };
}

const A1: [ProbeOutcome, ProbeOutcome] = ["answered", "refused"];
const A2: [ProbeOutcome, ProbeOutcome] = ["refused", "answered"];
const NONE: [ProbeOutcome, ProbeOutcome] = ["refused", "refused"];
const SILENT: [ProbeOutcome, ProbeOutcome] = ["timeout", "timeout"];
const BOTH: [ProbeOutcome, ProbeOutcome] = ["answered", "answered"];

describe("detect", () => {
  it.each<[string, Array<[ProbeOutcome, ProbeOutcome]>, string[], string, number | undefined]>([
    ["a first answer is the baseline, not an event", [A1], [], "ACTIVE", 1],
    ["a steady active instance raises nothing", [A1, A1, A1, A1], [], "ACTIVE", 1],
    ["the other instance answering is a failover at once", [A1, A2], ["BrokerFailoverDetected"], "ACTIVE", 2],
    ["a transient silence then the same instance raises nothing", [A1, SILENT, A1], [], "ACTIVE", 1],
    ["two silent rounds are not yet unavailable", [A1, NONE, NONE], [], "ACTIVE", 1],
    [
      "three silent rounds are unavailable, once",
      [A1, NONE, NONE, NONE, NONE],
      ["BrokerUnavailable"],
      "UNAVAILABLE",
      1,
    ],
    [
      "an answer after unavailable is recovered",
      [A1, NONE, NONE, NONE, A2],
      ["BrokerUnavailable", "BrokerRecovered"],
      "ACTIVE",
      2,
    ],
    [
      "a silent gap then the other instance is one failover",
      [A1, NONE, A2, A2],
      ["BrokerFailoverDetected"],
      "ACTIVE",
      2,
    ],
    ["both answering changes nothing", [A1, BOTH, A1], [], "ACTIVE", 1],
    [
      "silence from the start is unavailable after three rounds",
      [NONE, NONE, NONE],
      ["BrokerUnavailable"],
      "UNAVAILABLE",
      undefined,
    ],
  ])("%s", (_name, rounds, expected, status, active) => {
    const { flat, state } = run(rounds);
    expect(flat).toEqual(expected);
    expect(state.status).toBe(status);
    expect(state.activeInstance).toBe(active);
  });

  it("names the instances and the evidence in BrokerFailoverDetected", () => {
    const first = detect(undefined, {
      brokerId: "b-1",
      brokerName: "orders",
      at: at(0),
      probes: round(...A1),
    });
    const second = detect(first.state, {
      brokerId: "b-1",
      brokerName: "orders",
      at: at(10),
      probes: round(...A2),
    });
    expect(second.events).toEqual([
      {
        type: "BrokerFailoverDetected",
        brokerId: "b-1",
        brokerName: "orders",
        detectedAt: at(10),
        detail: {
          from: { instance: 1, name: "b-1-1", endpoint: "tcp://10.0.0.1:61616" },
          to: { instance: 2, name: "b-1-2", endpoint: "tcp://10.0.0.2:61616" },
          evidence: round(...A2),
        },
      },
    ]);
    expect(second.state.lastFailoverAt).toBe(at(10));
  });

  it("holds notifications while flapping and publishes the net change once it settles", () => {
    // Three failovers within a minute: two announced, then BrokerFlapping instead of the third.
    const flapping = run([A1, A2, A1, A2, A1]);
    expect(flapping.events).toEqual([
      [],
      ["BrokerFailoverDetected"],
      ["BrokerFailoverDetected"],
      ["BrokerFlapping"],
      [],
    ]);
    expect(flapping.state.flapping).toBe(true);
    // Still within ten minutes of the last change: nothing.
    const quiet = run([A1], flapping.state, 300);
    expect(quiet.flat).toEqual([]);
    // Ten minutes after the last change (at 40 s): settled, and the net change (2 → 1 after the
    // last announcement of -1) is nothing new for subscribers.
    const settled = run([A1], quiet.state, 40 + 600);
    expect(settled.flat).toEqual(["BrokerFlapping"]);
    expect(settled.state.flapping).toBe(false);
  });

  it("announces the held net change when flapping settles elsewhere", () => {
    const flapping = run([A1, A2, A1, A2]);
    expect(flapping.flat).toEqual(["BrokerFailoverDetected", "BrokerFailoverDetected", "BrokerFlapping"]);
    const settled = run([A2], flapping.state, 30 + 600);
    expect(settled.flat).toEqual(["BrokerFlapping", "BrokerFailoverDetected"]);
  });

  it("replays a retried check's events and ignores an older check", () => {
    const first = detect(undefined, { brokerId: "b-1", brokerName: "o", at: at(0), probes: round(...A1) });
    const second = detect(first.state, {
      brokerId: "b-1",
      brokerName: "o",
      at: at(10),
      probes: round(...A2),
    });
    const again = detect(second.state, {
      brokerId: "b-1",
      brokerName: "o",
      at: at(10),
      probes: round(...A2),
    });
    expect(again.stale).toBe(true);
    expect(again.events).toEqual(second.events);
    const older = detect(second.state, { brokerId: "b-1", brokerName: "o", at: at(5), probes: round(...A1) });
    expect(older).toMatchObject({ stale: true, events: [] });
  });
});
