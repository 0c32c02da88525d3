import { describe, expect, it } from "vitest";
import {
  ExpressionError,
  evaluate,
  type MathValue,
  type TimeSeries,
} from "../../../../local/cloudwatch/metrics/math/evaluate.js";
import {
  ExpressionSyntaxError,
  parseExpression,
  referencedIds,
} from "../../../../local/cloudwatch/metrics/math/parser.js";

const series = (label: string, points: [number, number][]): TimeSeries => ({
  label,
  points: new Map(points),
});
const a = series("a", [
  [0, 1],
  [2, 3],
  [4, 5],
]);
const b = series("b", [
  [2, 10],
  [4, 20],
  [6, 30],
]);
const grid = [0, 2, 4, 6];

function run(text: string): MathValue {
  const values: Record<string, MathValue> = {
    a: { kind: "series", series: a },
    b: { kind: "series", series: b },
  };
  return evaluate(parseExpression(text), {
    grid,
    resolve: (id) => {
      const value = values[id];
      if (value === undefined) throw new Error(`no ${id}`);
      return value;
    },
    metrics: () => [a, b],
  });
}

const pointsOf = (value: MathValue) => {
  if (value.kind !== "series") throw new Error(`expected a series, got ${value.kind}`);
  return [...value.series.points.entries()].sort(([x], [y]) => x - y);
};

describe("metric math parser", () => {
  it("gives * and / precedence over + and -, and ^ over unary minus", () => {
    expect(run("1 + 2 * 3 - 4 / 2")).toEqual({ kind: "scalar", value: 5 });
    expect(run("-2 ^ 2")).toEqual({ kind: "scalar", value: -4 });
    expect(run("(1 + 2) * 3")).toEqual({ kind: "scalar", value: 9 });
    expect(run("1 < 2 AND 3 >= 3 || 0")).toEqual({ kind: "scalar", value: 1 });
    expect(run("NOT 0 && !(2 != 2)")).toEqual({ kind: "scalar", value: 1 });
  });

  it("names the ids an expression reads and whether it reads METRICS()", () => {
    expect(referencedIds(parseExpression("FILL(m1, 0) - SUM([m2, e_3]) + METRICS('x')"))).toEqual({
      ids: new Set(["m1", "m2", "e_3"]),
      usesMetrics: true,
    });
  });

  it("refuses malformed expressions with the position", () => {
    expect(() => parseExpression("a +")).toThrow(ExpressionSyntaxError);
    expect(() => parseExpression("a $ b")).toThrow(/position 3/);
    expect(() => parseExpression("SUM([a, b)")).toThrow(/Expected '\]'/);
    expect(() => parseExpression("a b")).toThrow(/Unexpected token/);
  });
});

describe("metric math evaluation", () => {
  it("combines series only where both have a datapoint, and drops division by zero", () => {
    expect(pointsOf(run("a + b"))).toEqual([
      [2, 13],
      [4, 25],
    ]);
    expect(pointsOf(run("b / (a - 1)"))).toEqual([
      [2, 5],
      [4, 5],
    ]);
  });

  it("fills the grid with FILL: a number, REPEAT and LINEAR", () => {
    expect(pointsOf(run("FILL(a, -1)"))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, -1],
    ]);
    expect(pointsOf(run("FILL(b, REPEAT)"))).toEqual([
      [0, 10],
      [2, 10],
      [4, 20],
      [6, 30],
    ]);
    const gappy = evaluate(parseExpression("FILL(g, LINEAR)"), {
      grid,
      resolve: () => ({
        kind: "series",
        series: series("g", [
          [0, 0],
          [6, 30],
        ]),
      }),
      metrics: () => [],
    });
    expect(pointsOf(gappy)).toEqual([
      [0, 0],
      [2, 10],
      [4, 20],
      [6, 30],
    ]);
  });

  it("aggregates an array per timestamp and a series to one number", () => {
    expect(pointsOf(run("MAX([a, b])"))).toEqual([
      [0, 1],
      [2, 10],
      [4, 20],
      [6, 30],
    ]);
    expect(run("AVG(b)")).toEqual({ kind: "scalar", value: 20 });
    expect(run("SUM(METRICS())")).toMatchObject({ kind: "series" });
    expect(run("METRICS('b')")).toEqual({ kind: "array", series: [b] });
  });

  it("chooses with IF per timestamp, with or without an else", () => {
    // At 0 the condition is false and b has no datapoint there: no datapoint.
    expect(pointsOf(run("IF(a > 2, a, b)"))).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expect(pointsOf(run("IF(b > 15, a, b)"))).toEqual([
      [2, 10],
      [4, 5],
    ]);
    expect(pointsOf(run("IF(a >= 3, 100)"))).toEqual([
      [2, 100],
      [4, 100],
    ]);
    expect(run("IF(1, 7, 8)")).toEqual({ kind: "scalar", value: 7 });
  });

  it("refuses wrong argument counts, unknown functions and mismatched arrays", () => {
    expect(() => run("FILL(a)")).toThrow(ExpressionError);
    expect(() => run("MEDIAN(a)")).toThrow(/Unknown function MEDIAN/);
    expect(() => run("[a, b] + [a]")).toThrow(/different sizes/);
    expect(() => run("FILL(a, 'x')")).toThrow(/FILL expects/);
  });
});
