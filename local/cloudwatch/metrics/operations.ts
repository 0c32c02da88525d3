import type {
  DimensionFilter,
  GetMetricDataInput,
  GetMetricDataOutput,
  GetMetricStatisticsInput,
  GetMetricStatisticsOutput,
  ListMetricsInput,
  ListMetricsOutput,
  MetricDataResult,
  PutMetricDataInput,
} from "@aws-sdk/client-cloudwatch";
import {
  invalidNextToken,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  validationError,
} from "../wire/errors.js";
import type { CloudWatchOperation } from "../wire/operation.js";
import { decodeToken, encodeToken, fingerprint } from "./pagination.js";
import { isBasicStatistic, isPercentile } from "./statistics.js";
import type { MetricStore } from "./store.js";
import { checkNamespace } from "./validation.js";

const LIST_METRICS_PAGE = 500;
const MAX_STATISTICS_DATAPOINTS = 1440;
const DEFAULT_MAX_DATAPOINTS = 100_800;
/** GetMetricStatistics' periods: 1, 5, 10, 30 (high resolution) or a multiple of 60. */
const isStatisticsPeriod = (period: number) =>
  Number.isInteger(period) && period > 0 && ([1, 5, 10, 30].includes(period) || period % 60 === 0);

/** Input the wire layer decoded by the API model has the SDK's input type for the operation. */
const modelled = <T>(input: Record<string, unknown>): T => input as unknown as T;

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === "") throw missingParameter(`The parameter ${name} is required.`);
  return value;
}

function putMetricData(store: MetricStore): CloudWatchOperation {
  return (raw) => {
    const input = modelled<PutMetricDataInput>(raw);
    const namespace = checkNamespace(input.Namespace, true);
    store.putMetricData(namespace, input.MetricData ?? []);
    return {};
  };
}

function listMetrics(store: MetricStore): CloudWatchOperation {
  return (raw): ListMetricsOutput => {
    const input = modelled<ListMetricsInput>(raw);
    if (input.RecentlyActive !== undefined && input.RecentlyActive !== "PT3H") {
      throw invalidParameterValue(
        `The value ${input.RecentlyActive} for parameter RecentlyActive is invalid.`,
      );
    }
    const dimensions: DimensionFilter[] = input.Dimensions ?? [];
    if (dimensions.length > 10) {
      throw invalidParameterValue("The collection Dimensions must not have a size greater than 10.");
    }
    dimensions.forEach((dimension, index) => {
      required(dimension.Name, `Dimensions.member.${index + 1}.Name`);
    });
    const filter = {
      namespace: input.Namespace,
      metricName: input.MetricName,
      dimensions,
      recentlyActive: input.RecentlyActive === "PT3H",
    };
    const print = fingerprint(filter);
    const offset = input.NextToken === undefined ? 0 : decodeToken(input.NextToken, print);
    if (offset === undefined) throw invalidParameterValue("The value for parameter NextToken is invalid.");
    const metrics = store.listMetrics(filter);
    const page = metrics.slice(offset, offset + LIST_METRICS_PAGE);
    const next = offset + page.length;
    return { Metrics: page, ...(next < metrics.length ? { NextToken: encodeToken(next, print) } : {}) };
  };
}

function getMetricStatistics(store: MetricStore): CloudWatchOperation {
  return (raw): GetMetricStatisticsOutput => {
    const input = modelled<GetMetricStatisticsInput>(raw);
    const namespace = required(input.Namespace, "Namespace");
    const metricName = required(input.MetricName, "MetricName");
    const start = required(input.StartTime, "StartTime");
    const end = required(input.EndTime, "EndTime");
    const period = required(input.Period, "Period");
    const statistics = input.Statistics ?? [];
    const extended = input.ExtendedStatistics ?? [];
    if (statistics.length === 0 && extended.length === 0) {
      throw invalidParameterCombination("Must specify either Statistics or ExtendedStatistics.");
    }
    if (statistics.length > 0 && extended.length > 0) {
      throw invalidParameterCombination(
        "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.",
      );
    }
    if (statistics.length > 5)
      throw invalidParameterValue("The collection Statistics must not have a size greater than 5.");
    if (extended.length > 10) {
      throw invalidParameterValue("The collection ExtendedStatistics must not have a size greater than 10.");
    }
    statistics.forEach((stat, index) => {
      if (!isBasicStatistic(stat)) {
        throw invalidParameterValue(
          `The value ${stat} for parameter Statistics.member.${index + 1} is invalid.`,
        );
      }
    });
    extended.forEach((stat, index) => {
      if (!isPercentile(stat)) {
        throw invalidParameterValue(
          `The value ${stat} for parameter ExtendedStatistics.member.${index + 1} is invalid.`,
        );
      }
    });
    if (!isStatisticsPeriod(period)) {
      throw invalidParameterValue("The parameter Period must be 1, 5, 10, 30, or a multiple of 60.");
    }
    if (start.getTime() >= end.getTime()) {
      throw invalidParameterValue("The parameter StartTime must be less than the parameter EndTime.");
    }
    const requested = Math.ceil((end.getTime() - start.getTime()) / (period * 1000));
    if (requested > MAX_STATISTICS_DATAPOINTS) {
      throw invalidParameterCombination(
        `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
      );
    }
    const datapoints = store.getMetricStatistics({
      namespace,
      metricName,
      dimensions: input.Dimensions,
      start,
      end,
      period,
      statistics,
      extendedStatistics: extended,
      unit: input.Unit,
    });
    return { Label: metricName, Datapoints: datapoints };
  };
}

/**
 * GetMetricData's pages: the results' datapoints in order (query by query, in ScanBy order) cut into
 * pages of MaxDatapoints. A result that continues on a later page has StatusCode PartialData.
 */
function getMetricData(store: MetricStore): CloudWatchOperation {
  return (raw): GetMetricDataOutput => {
    const input = modelled<GetMetricDataInput>(raw);
    const queries = input.MetricDataQueries;
    if (queries === undefined || queries.length === 0)
      throw missingParameter("The parameter MetricDataQueries is required.");
    const start = required(input.StartTime, "StartTime");
    const end = required(input.EndTime, "EndTime");
    if (start.getTime() >= end.getTime()) {
      throw validationError("The parameter StartTime must be less than the parameter EndTime.");
    }
    const scanBy = input.ScanBy ?? "TimestampDescending";
    if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") {
      throw validationError(`The value ${scanBy} for parameter ScanBy is invalid.`);
    }
    const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
    if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
      throw validationError(`The value ${maxDatapoints} for parameter MaxDatapoints is invalid.`);
    }
    const print = fingerprint({ queries, start: start.getTime(), end: end.getTime(), scanBy, maxDatapoints });
    const offset = input.NextToken === undefined ? 0 : decodeToken(input.NextToken, print);
    if (offset === undefined) throw invalidNextToken();

    const results = store.getMetricData(queries, start, end, scanBy);
    const page: MetricDataResult[] = [];
    let position = 0;
    const pageEnd = offset + maxDatapoints;
    for (const result of results) {
      const timestamps = result.Timestamps ?? [];
      const values = result.Values ?? [];
      const from = Math.max(offset - position, 0);
      const to = Math.min(pageEnd - position, timestamps.length);
      // Results with no datapoints are reported on the first page only.
      if (from < to || (offset === 0 && timestamps.length === 0)) {
        page.push({
          ...result,
          Timestamps: timestamps.slice(from, to),
          Values: values.slice(from, to),
          StatusCode: to < timestamps.length ? "PartialData" : "Complete",
        });
      }
      position += timestamps.length;
    }
    return {
      MetricDataResults: page,
      Messages: [],
      ...(pageEnd < position ? { NextToken: encodeToken(pageEnd, print) } : {}),
    };
  };
}

/** The metric operations of CloudWatch, over a store. */
export function metricOperations(store: MetricStore): Record<string, CloudWatchOperation> {
  return {
    PutMetricData: putMetricData(store),
    ListMetrics: listMetrics(store),
    GetMetricStatistics: getMetricStatistics(store),
    GetMetricData: getMetricData(store),
  };
}
