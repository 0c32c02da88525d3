import type { Dimension, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { validationError } from "../wire/errors.js";
import { ExpressionError, evaluate, type MathValue, type TimeSeries } from "./math/evaluate.js";
import { type Expression, ExpressionSyntaxError, parseExpression, referencedIds } from "./math/parser.js";
import { type Aggregate, isStatistic, isValidPeriod, periodStarts, statisticValue } from "./statistics.js";

/** Where GetMetricData reads a metric's data: the statistics of each period that has some. */
export interface PeriodSource {
  periodAggregates(
    metric: { namespace: string; metricName: string; dimensions: Dimension[] },
    unit: string | undefined,
    start: number,
    end: number,
    periodSeconds: number,
  ): Map<number, Aggregate>;
}

/** One result series of a query, timestamps ascending. */
export interface EvaluatedSeries {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
}

const MAX_QUERIES = 500;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Prepared {
  query: MetricDataQuery;
  id: string;
  expression?: Expression;
}

function prepare(queries: MetricDataQuery[]): Map<string, Prepared> {
  if (queries.length === 0) throw validationError("The parameter MetricDataQueries is required.");
  if (queries.length > MAX_QUERIES) {
    throw validationError(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  }
  const byId = new Map<string, Prepared>();
  queries.forEach((query, index) => {
    const at = `MetricDataQueries.member.${index + 1}`;
    const id = query.Id;
    if (id === undefined || id === "") throw validationError(`The parameter ${at}.Id is required.`);
    if (!ID.test(id) || id.length > 255) {
      throw validationError(
        `Invalid metric data query Id '${id}' in ${at}.Id: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
      );
    }
    if (byId.has(id)) throw validationError(`The value ${id} for parameter ${at}.Id is duplicated.`);
    const hasStat = query.MetricStat !== undefined;
    const hasExpression = query.Expression !== undefined;
    if (hasStat === hasExpression) {
      throw validationError(`Exactly one of ${at}.MetricStat and ${at}.Expression must be specified.`);
    }
    if (query.MetricStat !== undefined) {
      const { Metric, Period, Stat } = query.MetricStat;
      if (Metric?.MetricName === undefined || Metric.Namespace === undefined) {
        throw validationError(
          `The parameters ${at}.MetricStat.Metric.Namespace and MetricName are required.`,
        );
      }
      if (Period === undefined || !isValidPeriod(Period)) {
        throw validationError(
          `The value ${Period} for parameter ${at}.MetricStat.Period is not valid: it must be 1, 5, 10, 20, 30 or a multiple of 60.`,
        );
      }
      if (Stat === undefined || !isStatistic(Stat)) {
        throw validationError(
          `The value ${Stat} for parameter ${at}.MetricStat.Stat is not a valid statistic.`,
        );
      }
      byId.set(id, { query, id });
      return;
    }
    if (query.Period !== undefined && !isValidPeriod(query.Period)) {
      throw validationError(`The value ${query.Period} for parameter ${at}.Period is not valid.`);
    }
    try {
      byId.set(id, { query, id, expression: parseExpression(query.Expression ?? "") });
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) {
        throw validationError(`Error in expression '${id}': ${error.message}`);
      }
      throw error;
    }
  });
  for (const prepared of byId.values()) {
    if (prepared.expression === undefined) continue;
    for (const reference of referencedIds(prepared.expression).ids) {
      if (!byId.has(reference)) {
        throw validationError(
          `Error in expression '${prepared.id}': Unrecognized metric or expression id '${reference}'`,
        );
      }
    }
  }
  return byId;
}

/**
 * Evaluates GetMetricData's queries over [start, end): MetricStat queries read the store at their
 * period and statistic; expressions are evaluated on demand (each once) with metric-math semantics.
 * Returns the series of the queries whose ReturnData is not false, in query order.
 */
export function evaluateQueries(
  source: PeriodSource,
  queries: MetricDataQuery[],
  start: number,
  end: number,
): EvaluatedSeries[] {
  const byId = prepare(queries);
  const statPeriods = queries.flatMap((query) =>
    query.MetricStat?.Period === undefined ? [] : [query.MetricStat.Period],
  );
  const defaultPeriod = statPeriods.length === 0 ? 60 : Math.min(...statPeriods);
  const values = new Map<string, MathValue>();
  const evaluating = new Set<string>();

  const metricSeries = (prepared: Prepared): TimeSeries => {
    const stat = prepared.query.MetricStat;
    const metric = stat?.Metric;
    const period = stat?.Period ?? 60;
    const aggregates = source.periodAggregates(
      {
        namespace: metric?.Namespace ?? "",
        metricName: metric?.MetricName ?? "",
        dimensions: metric?.Dimensions ?? [],
      },
      stat?.Unit,
      start,
      end,
      period,
    );
    const points = new Map<number, number>();
    for (const [time, aggregate] of aggregates) {
      const value = statisticValue(aggregate, stat?.Stat ?? "Average");
      if (value !== undefined) points.set(time, value);
    }
    return { label: prepared.query.Label ?? metric?.MetricName ?? prepared.id, points };
  };

  const resolve = (id: string): MathValue => {
    const known = values.get(id);
    if (known !== undefined) return known;
    const prepared = byId.get(id);
    if (prepared === undefined) throw validationError(`Unrecognized metric or expression id '${id}'`);
    if (evaluating.has(id)) throw validationError(`Error in expression '${id}': circular reference`);
    evaluating.add(id);
    let value: MathValue;
    if (prepared.expression === undefined) {
      value = { kind: "series", series: metricSeries(prepared) };
    } else {
      const period = prepared.query.Period ?? defaultPeriod;
      try {
        value = evaluate(prepared.expression, {
          grid: periodStarts(start, end, period),
          resolve,
          metrics: () =>
            [...byId.values()]
              .filter((other) => other.expression === undefined)
              .map((other) => (resolve(other.id) as { kind: "series"; series: TimeSeries }).series),
        });
      } catch (error) {
        if (error instanceof ExpressionError)
          throw validationError(`Error in expression '${id}': ${error.message}`);
        throw error;
      }
    }
    evaluating.delete(id);
    values.set(id, value);
    return value;
  };

  const results: EvaluatedSeries[] = [];
  for (const prepared of byId.values()) {
    if (prepared.query.ReturnData === false) continue;
    const value = resolve(prepared.id);
    const label = prepared.query.Label;
    const add = (series: TimeSeries, seriesLabel: string) => {
      const timestamps = [...series.points.keys()].sort((a, b) => a - b);
      results.push({
        id: prepared.id,
        label: seriesLabel,
        timestamps,
        values: timestamps.map((time) => series.points.get(time) ?? 0),
      });
    };
    switch (value.kind) {
      case "series":
        add(value.series, label ?? (prepared.expression === undefined ? value.series.label : prepared.id));
        break;
      case "array":
        for (const series of value.series)
          add(series, label === undefined ? series.label : `${label} ${series.label}`);
        break;
      case "scalar": {
        // A number is a flat line: its value at every period of the range.
        const period = prepared.query.Period ?? defaultPeriod;
        const points = new Map(periodStarts(start, end, period).map((time) => [time, value.value]));
        add({ label: label ?? prepared.id, points }, label ?? prepared.id);
        break;
      }
      default:
        throw validationError(`Error in expression '${prepared.id}': it must return a number or time series`);
    }
  }
  return results;
}
