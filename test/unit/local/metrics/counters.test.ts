import { describe, expect, it } from "vitest";
import {
  type CounterReading,
  counterDelta,
  periodCounts,
  type QueueCounters,
} from "../../../../local/metrics/counters.js";

const counters = (
  enqueueCount: number,
  dequeueCount = 0,
  dispatchCount = 0,
  expiredCount = 0,
): QueueCounters => ({
  enqueueCount,
  dequeueCount,
  dispatchCount,
  expiredCount,
});

const reading = (brokerId: string, queues: Record<string, QueueCounters>): CounterReading => ({
  brokerId,
  queues: new Map(Object.entries(queues)),
});

describe("counterDelta", () => {
  it("is the difference of two reads of a growing counter", () => {
    expect(counterDelta(100, 130)).toBe(30);
    expect(counterDelta(7, 7)).toBe(0);
  });

  it("after a reset (lower than before) is the new value itself, never negative", () => {
    expect(counterDelta(5_000_000, 12)).toBe(12);
    expect(counterDelta(5, 0)).toBe(0);
  });

  it("without an earlier read counts from 0", () => {
    expect(counterDelta(undefined, 9)).toBe(9);
  });
});

describe("periodCounts", () => {
  it("counts each counter of each queue since the previous read of the same broker run", () => {
    const previous = reading("ID:run-1", { orders: counters(10, 4, 6, 0) });
    const current = reading("ID:run-1", { orders: counters(25, 9, 15, 1) });

    expect(periodCounts(previous, current).get("orders")).toEqual(counters(15, 5, 9, 1));
  });

  it("counts a queue created since the previous read from 0", () => {
    const previous = reading("ID:run-1", { orders: counters(10) });
    const current = reading("ID:run-1", { orders: counters(10), billing: counters(3, 1, 2, 0) });

    expect(periodCounts(previous, current).get("billing")).toEqual(counters(3, 1, 2, 0));
    expect(periodCounts(previous, current).get("orders")).toEqual(counters(0));
  });

  it("after a broker restart counts what the new run counted, even when it is higher than before", () => {
    // Same counters would give a small or zero delta; the new broker id says they started again at 0.
    const previous = reading("ID:run-1", { orders: counters(40, 40, 40, 0) });
    const current = reading("ID:run-2", { orders: counters(50, 2, 3, 0) });

    expect(periodCounts(previous, current).get("orders")).toEqual(counters(50, 2, 3, 0));
  });

  it("after a queue was deleted and created again (lower counters) counts the new values", () => {
    const previous = reading("ID:run-1", { orders: counters(900, 900, 900, 0) });
    const current = reading("ID:run-1", { orders: counters(4, 1, 1, 0) });

    expect(periodCounts(previous, current).get("orders")).toEqual(counters(4, 1, 1, 0));
  });

  it("without a previous read (an instance that just became active) counts since the run began", () => {
    expect(
      periodCounts(undefined, reading("ID:run-9", { orders: counters(8, 2, 3, 0) })).get("orders"),
    ).toEqual(counters(8, 2, 3, 0));
  });
});
