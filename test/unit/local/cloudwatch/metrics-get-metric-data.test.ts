import {
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataQuery,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at, startCloudWatch } from "./harness.js";

let cw: Awaited<ReturnType<typeof startCloudWatch>>;

const dims = [
  { Name: "Broker", Value: "b-1" },
  { Name: "Queue", Value: "orders" },
];
const stat = (
  Id: string,
  MetricName: string,
  Stat = "Sum",
  Period = 60,
  extra: Partial<MetricDataQuery> = {},
) => ({
  Id,
  MetricStat: { Metric: { Namespace: "App", MetricName, Dimensions: dims }, Period, Stat },
  ...extra,
});
const expr = (Id: string, Expression: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
  Id,
  Expression,
  ...extra,
});

/** Enqueued 10, 20, -, 40, 50 and dispatched 5, 20, 10, -, 45 in minutes 0..4. */
beforeEach(async () => {
  cw = await startCloudWatch();
  const series = (MetricName: string, values: (number | undefined)[]) =>
    values.flatMap((Value, minute) =>
      Value === undefined
        ? []
        : [{ MetricName, Dimensions: dims, Value, Unit: "Count" as const, Timestamp: at(minute) }],
    );
  await cw.client.send(
    new PutMetricDataCommand({
      Namespace: "App",
      MetricData: [
        ...series("Enqueued", [10, 20, undefined, 40, 50]),
        ...series("Dispatched", [5, 20, 10, undefined, 45]),
      ],
    }),
  );
});

afterEach(async () => {
  await cw.close();
});

const query = async (MetricDataQueries: MetricDataQuery[], extra: Partial<GetMetricDataCommandInput> = {}) =>
  cw.client.send(
    new GetMetricDataCommand({
      MetricDataQueries,
      StartTime: at(0),
      EndTime: at(5),
      ScanBy: "TimestampAscending",
      ...extra,
    }),
  );

const points = (result: { Timestamps?: Date[]; Values?: number[] } | undefined) =>
  (result?.Timestamps ?? []).map((timestamp, index) => [
    (timestamp.getTime() - at(0).getTime()) / 60_000,
    result?.Values?.[index],
  ]);

describe("GetMetricData", () => {
  it("returns each MetricStat's statistic per period, newest first by default, with its label", async () => {
    const { MetricDataResults, Messages } = await query(
      [stat("m1", "Enqueued"), stat("m2", "Enqueued", "SampleCount")],
      {
        ScanBy: undefined,
      },
    );
    expect(MetricDataResults?.[0]).toMatchObject({ Id: "m1", Label: "Enqueued", StatusCode: "Complete" });
    expect(points(MetricDataResults?.[0])).toEqual([
      [4, 50],
      [3, 40],
      [1, 20],
      [0, 10],
    ]);
    expect(points(MetricDataResults?.[1])).toEqual([
      [4, 1],
      [3, 1],
      [1, 1],
      [0, 1],
    ]);
    expect(Messages).toEqual([]);
  });

  it("does arithmetic between series only at timestamps present in both, and with scalars", async () => {
    const { MetricDataResults } = await query([
      stat("enq", "Enqueued", "Sum", 60, { ReturnData: false }),
      stat("deq", "Dispatched", "Sum", 60, { ReturnData: false }),
      expr("backlog", "enq - deq", { Label: "Backlog" }),
      expr("scaled", "(enq + 10) * 2 / 4"),
    ]);
    expect(MetricDataResults?.map((result) => result.Id)).toEqual(["backlog", "scaled"]);
    expect(MetricDataResults?.[0]?.Label).toBe("Backlog");
    expect(points(MetricDataResults?.[0])).toEqual([
      [0, 5],
      [1, 0],
      [4, 5],
    ]);
    expect(points(MetricDataResults?.[1])).toEqual([
      [0, 10],
      [1, 15],
      [3, 25],
      [4, 30],
    ]);
  });

  it("fills missing periods of the range with FILL (a value or REPEAT)", async () => {
    const { MetricDataResults } = await query([
      stat("enq", "Enqueued", "Sum", 60, { ReturnData: false }),
      stat("deq", "Dispatched", "Sum", 60, { ReturnData: false }),
      expr("zeros", "FILL(enq, 0)"),
      expr("repeat", "FILL(deq, REPEAT)"),
      expr("backlog", "FILL(enq, 0) - FILL(deq, 0)"),
    ]);
    expect(points(MetricDataResults?.[0])).toEqual([
      [0, 10],
      [1, 20],
      [2, 0],
      [3, 40],
      [4, 50],
    ]);
    expect(points(MetricDataResults?.[1])).toEqual([
      [0, 5],
      [1, 20],
      [2, 10],
      [3, 10],
      [4, 45],
    ]);
    expect(points(MetricDataResults?.[2])).toEqual([
      [0, 5],
      [1, 0],
      [2, -10],
      [3, 40],
      [4, 5],
    ]);
  });

  it("adds series with SUM([...]), reduces a series with MAX to a number, and picks with IF", async () => {
    const { MetricDataResults } = await query([
      stat("enq", "Enqueued", "Sum", 60, { ReturnData: false }),
      stat("deq", "Dispatched", "Sum", 60, { ReturnData: false }),
      expr("total", "SUM([enq, deq])"),
      expr("peak", "MAX(enq)"),
      expr("behind", "IF(enq > deq AND enq >= 10, enq - deq, 0)"),
      expr("either", "IF(enq < 15 || deq > 40, 1)"),
      expr("all", "AVG(METRICS())"),
    ]);
    const [total, peak, behind, either, all] = MetricDataResults ?? [];
    expect(points(total)).toEqual([
      [0, 15],
      [1, 40],
      [2, 10],
      [3, 40],
      [4, 95],
    ]);
    // A number is answered at every period of the range.
    expect(points(peak)).toEqual([0, 1, 2, 3, 4].map((minute) => [minute, 50]));
    expect(points(behind)).toEqual([
      [0, 5],
      [1, 0],
      [4, 5],
    ]);
    expect(points(either)).toEqual([
      [0, 1],
      [4, 1],
    ]);
    expect(points(all)).toEqual([
      [0, 7.5],
      [1, 20],
      [2, 10],
      [3, 40],
      [4, 47.5],
    ]);
  });

  it("computes ABS, DIFF and RATE", async () => {
    const { MetricDataResults } = await query([
      stat("enq", "Enqueued", "Sum", 60, { ReturnData: false }),
      stat("deq", "Dispatched", "Sum", 60, { ReturnData: false }),
      expr("abs", "ABS(deq - enq)"),
      expr("diff", "DIFF(enq)"),
      expr("rate", "RATE(enq)"),
    ]);
    expect(points(MetricDataResults?.[0])).toEqual([
      [0, 5],
      [1, 0],
      [4, 5],
    ]);
    expect(points(MetricDataResults?.[1])).toEqual([
      [1, 10],
      [3, 20],
      [4, 10],
    ]);
    expect(points(MetricDataResults?.[2])).toEqual([
      [1, 10 / 60],
      [3, 20 / 120],
      [4, 10 / 60],
    ]);
  });

  it("pages datapoints by MaxDatapoints with NextToken, PartialData until a result is complete", async () => {
    const queries = [stat("enq", "Enqueued"), stat("deq", "Dispatched")];
    const first = await query(queries, { MaxDatapoints: 3 });
    expect(first.MetricDataResults?.map((r) => [r.Id, r.StatusCode, points(r).length])).toEqual([
      ["enq", "PartialData", 3],
    ]);
    expect(first.NextToken).toBeDefined();
    const second = await query(queries, { MaxDatapoints: 3, NextToken: first.NextToken });
    expect(second.MetricDataResults?.map((r) => [r.Id, r.StatusCode, points(r)])).toEqual([
      ["enq", "Complete", [[4, 50]]],
      [
        "deq",
        "PartialData",
        [
          [0, 5],
          [1, 20],
        ],
      ],
    ]);
    const third = await query(queries, { MaxDatapoints: 3, NextToken: second.NextToken });
    expect(third.MetricDataResults?.map((r) => [r.Id, r.StatusCode, points(r)])).toEqual([
      [
        "deq",
        "Complete",
        [
          [2, 10],
          [4, 45],
        ],
      ],
    ]);
    expect(third.NextToken).toBeUndefined();
    await expect(query([stat("enq", "Enqueued")], { NextToken: first.NextToken })).rejects.toMatchObject({
      name: "InvalidNextToken",
      Code: "InvalidNextToken",
    });
  });

  it("answers 10 s periods of high-resolution data", async () => {
    await cw.client.send(
      new PutMetricDataCommand({
        Namespace: "App",
        MetricData: [0, 10, 30].map((second, index) => ({
          MetricName: "Fast",
          Dimensions: dims,
          Value: index + 1,
          StorageResolution: 1,
          Timestamp: at(10, second + 2),
        })),
      }),
    );
    const { MetricDataResults } = await query([stat("f", "Fast", "Sum", 10), expr("filled", "FILL(f, 0)")], {
      StartTime: at(10),
      EndTime: at(10, 40),
    });
    const seconds = (result: { Timestamps?: Date[]; Values?: number[] } | undefined) =>
      (result?.Timestamps ?? []).map((t, i) => [
        (t.getTime() - at(10).getTime()) / 1000,
        result?.Values?.[i],
      ]);
    expect(seconds(MetricDataResults?.[0])).toEqual([
      [0, 1],
      [10, 2],
      [30, 3],
    ]);
    expect(seconds(MetricDataResults?.[1])).toEqual([
      [0, 1],
      [10, 2],
      [20, 0],
      [30, 3],
    ]);
  });

  it("refuses invalid queries with ValidationError", async () => {
    const refuse = async (
      queries: MetricDataQuery[],
      message: RegExp,
      extra: Partial<GetMetricDataCommandInput> = {},
    ) => {
      const error = await query(queries, extra).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ Code: "ValidationError", $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message).toMatch(message);
    };
    await refuse([stat("M1", "Enqueued")], /Id/);
    await refuse([stat("m1", "Enqueued"), stat("m1", "Dispatched")], /duplicated/);
    await refuse([stat("m1", "Enqueued", "Median")], /not a valid statistic/);
    await refuse([stat("m1", "Enqueued", "Sum", 45)], /Period/);
    await refuse([stat("m1", "Enqueued"), expr("e1", "m1 +")], /Error in expression 'e1'/);
    await refuse([expr("e1", "m9 * 2")], /m9/);
    await refuse([expr("e1", "e2 + 1"), expr("e2", "e1 + 1")], /circular/);
    await refuse([stat("m1", "Enqueued"), expr("e1", "NOPE(m1)")], /Unknown function NOPE/);
    await refuse([{ Id: "x" }], /Exactly one/);
    await refuse([stat("m1", "Enqueued")], /StartTime/, { StartTime: at(5), EndTime: at(0) });
  });
});
