import { describe, expect, it } from "vitest";
import {
  historyRange,
  toWindows,
  windowQueries,
  windowsEnd,
} from "../../../functions/autoscaling/metric-windows.js";

const at = (seconds: number) => new Date(seconds * 1000);

describe("windowQueries", () => {
  it("asks for each metric of each instance on its own, per minute", () => {
    const queries = windowQueries(["b-1", "b-2"], "orders");
    expect(queries.map((query) => query.Id)).toEqual([
      "enq1",
      "enq2",
      "dsp1",
      "dsp2",
      "size1",
      "size2",
      "cons1",
      "cons2",
    ]);
    expect(queries.every((query) => query.MetricStat?.Period === 60 && query.ReturnData === true)).toBe(true);
    expect(queries[3]?.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: "Broker", Value: "b-2" },
      { Name: "Queue", Value: "orders" },
    ]);
  });
});

describe("historyRange", () => {
  it("reads up to the last period that has ended, an hour and a minute back", () => {
    expect(historyRange(7_265)).toEqual({ start: 3_600, end: 7_260 });
    expect(historyRange(7_265, 10)).toEqual({ start: 3_600, end: 7_260 });
    expect(historyRange(7_275, 10)).toEqual({ start: 3_610, end: 7_270 });
  });
});

describe("toWindows", () => {
  it("sums the instances and keeps a minute no instance reported as a gap", () => {
    const windows = toWindows([
      { Id: "enq1", Timestamps: [at(60), at(120)], Values: [10, 20] },
      { Id: "enq2", Timestamps: [at(120), at(240)], Values: [5, 7] },
      { Id: "size1", Timestamps: [at(60)], Values: [3] },
      { Id: "cons2", Timestamps: [at(240)], Values: [2] },
      { Id: "dsp1", Timestamps: [at(60)], Values: [Number.NaN] },
    ]);
    expect(windows).toEqual([
      { start: 60, enqueueCount: 10, queueSize: 3 },
      { start: 120, enqueueCount: 25 },
      { start: 240, enqueueCount: 7, consumerCount: 2 },
    ]);
  });

  it("reads at the metrics' period and takes each minute's last gauge sample, counts summed", () => {
    const queries = windowQueries(["b-1"], "orders", 10);
    expect(queries.every((query) => query.MetricStat?.Period === 10)).toBe(true);
    const windows = toWindows([
      { Id: "enq1", Timestamps: [at(60)], Values: [30] },
      { Id: "size1", Timestamps: [at(110), at(60), at(100)], Values: [7, 40, 12] },
      { Id: "size2", Timestamps: [at(70), at(90)], Values: [1, 2] },
    ]);
    expect(windows).toEqual([{ start: 60, enqueueCount: 30, queueSize: 9 }]);
  });

  it("ignores results it did not ask for", () => {
    expect(toWindows([{ Id: "other", Timestamps: [at(60)], Values: [1] }])).toEqual([]);
  });
});

describe("windows ending at the latest period published (10 s data)", () => {
  const tenSecond = [
    {
      Id: "enq1",
      Timestamps: [at(60), at(70), at(80), at(90), at(100), at(110), at(120), at(130)],
      Values: [1, 1, 1, 1, 1, 1, 5, 7],
    },
    { Id: "size1", Timestamps: [at(60), at(120), at(130)], Values: [2, 4, 9] },
  ];

  it("ends after the newest point, never after the range, on a minute without data", () => {
    expect(windowsEnd(tenSecond, { end: 150 }, 10)).toBe(140);
    expect(windowsEnd(tenSecond, { end: 130 }, 10)).toBe(130);
    expect(windowsEnd([], { end: 150 }, 10)).toBe(120);
    expect(windowsEnd([{ Id: "enq1", Timestamps: [at(60)], Values: [1] }], { end: 180 })).toBe(120);
  });

  it("are the trailing minutes ending there: counts summed, the gauge at the end", () => {
    expect(toWindows(tenSecond, 140)).toEqual([
      { start: 20, enqueueCount: 2, queueSize: 2 },
      { start: 80, enqueueCount: 16, queueSize: 9 },
    ]);
  });

  it("leave out points from the end on and before the hour", () => {
    expect(toWindows(tenSecond, 130)).toEqual([
      { start: 10, enqueueCount: 1, queueSize: 2 },
      { start: 70, enqueueCount: 10, queueSize: 4 },
    ]);
    expect(toWindows(tenSecond, 3_680)).toEqual([{ start: 80, enqueueCount: 16, queueSize: 9 }]);
  });
});
