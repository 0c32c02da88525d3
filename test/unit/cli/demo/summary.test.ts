import { describe, expect, it } from "vitest";
import { renderChart } from "../../../../cli/demo/chart.js";
import { consumerMinutes, type DemoSample, percentile, summarise } from "../../../../cli/demo/summary.js";

const sample = (
  at: number,
  desired: number,
  running: number,
  extra: Partial<DemoSample> = {},
): DemoSample => ({
  at,
  arrivals: 0,
  backlog: 0,
  desired,
  running,
  ...extra,
});

describe("demo summary", () => {
  it("takes the nearest-rank percentile", () => {
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([], 95)).toBe(0);
  });

  it("counts consumer-minutes from each period's running consumers", () => {
    const samples = [sample(0, 2, 2), sample(10_000, 3, 3), sample(20_000, 3, 0)];
    expect(consumerMinutes(samples, 10)).toBeCloseTo(5 / 6);
  });

  it("counts scale-outs and scale-ins from the decisions and reports the peak", () => {
    const samples = [
      sample(0, 0, 0),
      sample(10_000, 4, 0, { decision: { action: "scale-out", from: 0, to: 4, reason: "behind" } }),
      sample(20_000, 6, 4, { decision: { action: "scale-out", from: 4, to: 6, reason: "behind" } }),
      sample(30_000, 0, 6, { decision: { action: "scale-in", from: 6, to: 0, reason: "quiet" } }),
    ];
    expect(summarise(samples, [1000, 2000, 30_000], 10)).toMatchObject({
      p95WaitSeconds: 30,
      messagesTimed: 3,
      scaleOuts: 2,
      scaleIns: 1,
      peakConsumers: 6,
    });
  });
});

describe("demo chart", () => {
  it("draws the four series and a marker with its reason per scale action, escaped", () => {
    const svg = renderChart(
      [
        sample(0, 0, 0, { arrivals: 10, backlog: 5 }),
        sample(60_000, 3, 1, {
          decision: { action: "scale-out", from: 0, to: 3, reason: "5 < 6 & waiting" },
        }),
      ],
      "run",
    );
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain("<title>scale-out 0 → 3: 5 &lt; 6 &amp; waiting</title>");
    expect(svg.startsWith("<svg")).toBe(true);
  });
});
