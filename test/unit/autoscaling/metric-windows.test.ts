import { describe, expect, it } from "vitest";
import { historyRange, toWindows, windowQueries } from "../../../functions/autoscaling/metric-windows.js";

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
  it("covers the last hour of complete minutes", () => {
    expect(historyRange(7_265)).toEqual({ start: 3_660, end: 7_260 });
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

  it("reads gauges at the metrics' period and takes each minute's last sample, counts summed", () => {
    const queries = windowQueries(["b-1"], "orders", 10);
    expect(queries.find((query) => query.Id === "size1")?.MetricStat?.Period).toBe(10);
    expect(queries.find((query) => query.Id === "enq1")?.MetricStat?.Period).toBe(60);
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
