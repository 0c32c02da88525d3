import type { Expression } from "./parser.js";

/** A time series: period start (epoch ms) → value. */
export interface TimeSeries {
  label: string;
  points: Map<number, number>;
}

export type MathValue =
  | { kind: "scalar"; value: number }
  | { kind: "series"; series: TimeSeries }
  | { kind: "array"; series: TimeSeries[] }
  | { kind: "string"; value: string }
  | { kind: "keyword"; name: string };

export interface MathContext {
  /** The start of every period of the query's range at the expression's period. */
  grid: number[];
  /** The value of another query by id (evaluated on demand). */
  resolve(id: string): MathValue;
  /** The series of every MetricStat query (METRICS()). */
  metrics(): TimeSeries[];
}

/** A well-formed expression that cannot be evaluated (wrong argument types, unknown function). */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionError";
  }
}

const scalar = (value: number): MathValue => ({ kind: "scalar", value });
const seriesOf = (label: string, points: Map<number, number>): TimeSeries => ({ label, points });
const sortedTimes = (series: TimeSeries) => [...series.points.keys()].sort((a, b) => a - b);
const truthy = (value: number) => value !== 0;

function arithmetic(operator: string, a: number, b: number): number {
  switch (operator) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return a ** b;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "AND":
      return truthy(a) && truthy(b) ? 1 : 0;
    case "OR":
      return truthy(a) || truthy(b) ? 1 : 0;
    default:
      throw new ExpressionError(`Unsupported operator ${operator}`);
  }
}

/** Keeps only finite results: CloudWatch returns no datapoint where math has no real value (x/0). */
function put(points: Map<number, number>, time: number, value: number) {
  if (Number.isFinite(value)) points.set(time, value);
}

function mapSeries(series: TimeSeries, fn: (value: number, time: number) => number): TimeSeries {
  const points = new Map<number, number>();
  for (const [time, value] of series.points) put(points, time, fn(value, time));
  return seriesOf(series.label, points);
}

function seriesList(value: MathValue, what: string): TimeSeries[] {
  if (value.kind === "series") return [value.series];
  if (value.kind === "array") return value.series;
  throw new ExpressionError(`${what} expects a time series or an array of time series`);
}

/** Applies a binary operator: between two series only at timestamps present in both. */
function combine(operator: string, left: MathValue, right: MathValue): MathValue {
  if (left.kind === "scalar" && right.kind === "scalar")
    return scalar(arithmetic(operator, left.value, right.value));
  if (left.kind === "array" || right.kind === "array") {
    if (left.kind === "array" && right.kind === "array") {
      if (left.series.length !== right.series.length) {
        throw new ExpressionError("Arrays of time series of different sizes cannot be combined");
      }
      return {
        kind: "array",
        series: left.series.map((series, index) => {
          const other = right.series[index] ?? seriesOf("", new Map());
          return (
            combine(operator, { kind: "series", series }, { kind: "series", series: other }) as {
              series: TimeSeries;
            }
          ).series;
        }),
      };
    }
    const array = left.kind === "array" ? left : (right as { kind: "array"; series: TimeSeries[] });
    return {
      kind: "array",
      series: array.series.map((series) => {
        const element: MathValue = { kind: "series", series };
        const result =
          left.kind === "array" ? combine(operator, element, right) : combine(operator, left, element);
        return (result as { series: TimeSeries }).series;
      }),
    };
  }
  if (left.kind === "series" && right.kind === "scalar") {
    return {
      kind: "series",
      series: mapSeries(left.series, (value) => arithmetic(operator, value, right.value)),
    };
  }
  if (left.kind === "scalar" && right.kind === "series") {
    return {
      kind: "series",
      series: mapSeries(right.series, (value) => arithmetic(operator, left.value, value)),
    };
  }
  if (left.kind === "series" && right.kind === "series") {
    const points = new Map<number, number>();
    for (const [time, value] of left.series.points) {
      const other = right.series.points.get(time);
      if (other !== undefined) put(points, time, arithmetic(operator, value, other));
    }
    return { kind: "series", series: seriesOf(left.series.label, points) };
  }
  throw new ExpressionError(`The operator ${operator} expects numbers or time series`);
}

function reduce(values: number[], name: string): number {
  switch (name) {
    case "SUM":
      return values.reduce((total, value) => total + value, 0);
    case "AVG":
      return values.reduce((total, value) => total + value, 0) / values.length;
    case "MIN":
      return Math.min(...values);
    case "MAX":
      return Math.max(...values);
    case "STDDEV": {
      const mean = values.reduce((total, value) => total + value, 0) / values.length;
      return Math.sqrt(values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length);
    }
    default:
      throw new ExpressionError(`Unknown function ${name}`);
  }
}

/**
 * SUM/AVG/MIN/MAX/STDDEV: of a time series, one number over all its datapoints; of an array of time
 * series, a time series whose value at each timestamp aggregates the series that have a value there.
 */
function aggregate(name: string, value: MathValue): MathValue {
  if (value.kind === "scalar") return value;
  if (value.kind === "series") {
    const values = [...value.series.points.values()];
    return values.length === 0
      ? { kind: "series", series: seriesOf("", new Map()) }
      : scalar(reduce(values, name));
  }
  const byTime = new Map<number, number[]>();
  for (const series of seriesList(value, name)) {
    for (const [time, point] of series.points) {
      const values = byTime.get(time) ?? [];
      values.push(point);
      byTime.set(time, values);
    }
  }
  const points = new Map<number, number>();
  for (const [time, values] of byTime) put(points, time, reduce(values, name));
  return { kind: "series", series: seriesOf("", points) };
}

/** FILL: a value for every period of the range the series has none for. */
function fill(target: MathValue, how: MathValue, grid: number[]): MathValue {
  const fillOne = (series: TimeSeries): TimeSeries => {
    const points = new Map(series.points);
    const known = sortedTimes(series);
    for (const time of grid) {
      if (points.has(time)) continue;
      if (how.kind === "scalar") {
        points.set(time, how.value);
      } else if (how.kind === "series") {
        const value = how.series.points.get(time);
        if (value !== undefined) points.set(time, value);
      } else if (how.kind === "keyword" && (how.name === "REPEAT" || how.name === "LINEAR")) {
        const before = known.filter((t) => t < time).at(-1);
        const after = known.find((t) => t > time);
        const beforeValue = before === undefined ? undefined : series.points.get(before);
        const afterValue = after === undefined ? undefined : series.points.get(after);
        if (how.name === "REPEAT") {
          // The most recent value before the gap; a gap at the start takes the first value after it.
          const value = beforeValue ?? afterValue;
          if (value !== undefined) points.set(time, value);
        } else if (
          before !== undefined &&
          after !== undefined &&
          beforeValue !== undefined &&
          afterValue !== undefined
        ) {
          points.set(time, beforeValue + ((afterValue - beforeValue) * (time - before)) / (after - before));
        }
      } else {
        throw new ExpressionError(
          "FILL expects a number, a time series, REPEAT or LINEAR as its second argument",
        );
      }
    }
    return seriesOf(series.label, points);
  };
  if (target.kind === "array") return { kind: "array", series: target.series.map(fillOne) };
  if (target.kind === "series") return { kind: "series", series: fillOne(target.series) };
  throw new ExpressionError("FILL expects a time series or an array of time series");
}

/** IF(condition, a[, b]): a where the condition is true (not 0), b (or no datapoint) elsewhere. */
function ifThen(condition: MathValue, whenTrue: MathValue, whenFalse: MathValue | undefined): MathValue {
  const at = (value: MathValue | undefined, time: number): number | undefined => {
    if (value === undefined) return undefined;
    if (value.kind === "scalar") return value.value;
    if (value.kind === "series") return value.series.points.get(time);
    throw new ExpressionError("IF expects numbers or time series as its second and third arguments");
  };
  if (condition.kind === "scalar") {
    const chosen = truthy(condition.value) ? whenTrue : whenFalse;
    return chosen ?? { kind: "series", series: seriesOf("", new Map()) };
  }
  const one = (series: TimeSeries): TimeSeries => {
    const points = new Map<number, number>();
    for (const [time, value] of series.points) {
      const chosen = at(truthy(value) ? whenTrue : whenFalse, time);
      if (chosen !== undefined) put(points, time, chosen);
    }
    const label = whenTrue.kind === "series" ? whenTrue.series.label : series.label;
    return seriesOf(label, points);
  };
  if (condition.kind === "array") return { kind: "array", series: condition.series.map(one) };
  if (condition.kind === "series") return { kind: "series", series: one(condition.series) };
  throw new ExpressionError("IF expects a condition that is a number or a time series");
}

function elementwise(value: MathValue, fn: (value: number) => number, name: string): MathValue {
  if (value.kind === "scalar") return scalar(fn(value.value));
  if (value.kind === "series") return { kind: "series", series: mapSeries(value.series, fn) };
  if (value.kind === "array")
    return { kind: "array", series: value.series.map((series) => mapSeries(series, fn)) };
  throw new ExpressionError(`${name} expects a number or time series`);
}

/** RATE (change per second), DIFF (change) and DIFF_TIME (seconds between datapoints). */
function differences(value: MathValue, name: string): MathValue {
  const one = (series: TimeSeries): TimeSeries => {
    const points = new Map<number, number>();
    const times = sortedTimes(series);
    for (let index = 1; index < times.length; index++) {
      const time = times[index] ?? 0;
      const previous = times[index - 1] ?? 0;
      const change = (series.points.get(time) ?? 0) - (series.points.get(previous) ?? 0);
      const seconds = (time - previous) / 1000;
      put(points, time, name === "RATE" ? change / seconds : name === "DIFF" ? change : seconds);
    }
    return seriesOf(series.label, points);
  };
  if (value.kind === "series") return { kind: "series", series: one(value.series) };
  if (value.kind === "array") return { kind: "array", series: value.series.map(one) };
  throw new ExpressionError(`${name} expects a time series`);
}

const ELEMENTWISE: Record<string, (value: number) => number> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  LOG: Math.log,
  LOG10: Math.log10,
  SQRT: Math.sqrt,
  EXP: Math.exp,
};

function arity(name: string, args: Expression[], min: number, max = min) {
  if (args.length < min || args.length > max) {
    throw new ExpressionError(
      `${name} takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`,
    );
  }
}

export function evaluate(expression: Expression, context: MathContext): MathValue {
  const run = (node: Expression): MathValue => evaluate(node, context);
  switch (expression.kind) {
    case "number":
      return scalar(expression.value);
    case "string":
      return { kind: "string", value: expression.value };
    case "keyword":
      return { kind: "keyword", name: expression.name };
    case "id":
      return context.resolve(expression.name);
    case "list":
      return { kind: "array", series: expression.items.flatMap((item) => seriesList(run(item), "[...]")) };
    case "unary": {
      const operand = run(expression.operand);
      if (expression.operator === "!") return elementwise(operand, (value) => (truthy(value) ? 0 : 1), "NOT");
      return expression.operator === "-" ? elementwise(operand, (value) => -value, "-") : operand;
    }
    case "binary":
      return combine(expression.operator, run(expression.left), run(expression.right));
    case "call": {
      const { name, args } = expression;
      switch (name) {
        case "SUM":
        case "AVG":
        case "MIN":
        case "MAX":
        case "STDDEV":
          arity(name, args, 1);
          return aggregate(name, run(args[0] as Expression));
        case "FILL":
          arity(name, args, 2);
          return fill(run(args[0] as Expression), run(args[1] as Expression), context.grid);
        case "IF":
          arity(name, args, 2, 3);
          return ifThen(
            run(args[0] as Expression),
            run(args[1] as Expression),
            args[2] === undefined ? undefined : run(args[2]),
          );
        case "RATE":
        case "DIFF":
        case "DIFF_TIME":
          arity(name, args, 1);
          return differences(run(args[0] as Expression), name);
        case "METRICS": {
          arity(name, args, 0, 1);
          const filter = args[0] === undefined ? undefined : run(args[0]);
          if (filter !== undefined && filter.kind !== "string")
            throw new ExpressionError("METRICS expects a string");
          const all = context.metrics();
          return {
            kind: "array",
            series: filter === undefined ? all : all.filter((s) => s.label.includes(filter.value)),
          };
        }
        default: {
          const fn = ELEMENTWISE[name];
          if (fn === undefined) throw new ExpressionError(`Unknown function ${name}`);
          arity(name, args, 1);
          return elementwise(run(args[0] as Expression), fn, name);
        }
      }
    }
  }
}
