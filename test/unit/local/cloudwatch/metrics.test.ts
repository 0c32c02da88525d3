import { appendFileSync } from "node:fs";
import path from "node:path";
import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { at, startCloudWatch } from "./harness.js";

let cw: Awaited<ReturnType<typeof startCloudWatch>>;

beforeEach(async () => {
  cw = await startCloudWatch();
});

afterEach(async () => {
  await cw.close();
});

const put = (Namespace: string, MetricData: MetricDatum[]) =>
  cw.client.send(new PutMetricDataCommand({ Namespace, MetricData }));

const queue = (name: string) => [
  { Name: "Broker", Value: "b-1" },
  { Name: "Queue", Value: name },
];

describe("PutMetricData and GetMetricStatistics", () => {
  it("aggregates values, value lists and statistic sets per period", async () => {
    await put("App", [
      { MetricName: "Latency", Value: 10, Unit: "Milliseconds", Timestamp: at(0, 5) },
      { MetricName: "Latency", Value: 30, Unit: "Milliseconds", Timestamp: at(0, 50) },
      { MetricName: "Latency", Values: [1, 2], Counts: [1, 3], Unit: "Milliseconds", Timestamp: at(1, 10) },
      {
        MetricName: "Latency",
        StatisticValues: { SampleCount: 4, Sum: 100, Minimum: 5, Maximum: 50 },
        Unit: "Milliseconds",
        Timestamp: at(2),
      },
    ]);
    const { Datapoints, Label } = await cw.client.send(
      new GetMetricStatisticsCommand({
        Namespace: "App",
        MetricName: "Latency",
        StartTime: at(0),
        EndTime: at(3),
        Period: 60,
        Statistics: ["SampleCount", "Sum", "Average", "Minimum", "Maximum"],
      }),
    );
    expect(Label).toBe("Latency");
    expect(Datapoints).toEqual([
      {
        Timestamp: at(0),
        SampleCount: 2,
        Sum: 40,
        Average: 20,
        Minimum: 10,
        Maximum: 30,
        Unit: "Milliseconds",
      },
      {
        Timestamp: at(1),
        SampleCount: 4,
        Sum: 7,
        Average: 1.75,
        Minimum: 1,
        Maximum: 2,
        Unit: "Milliseconds",
      },
      {
        Timestamp: at(2),
        SampleCount: 4,
        Sum: 100,
        Average: 25,
        Minimum: 5,
        Maximum: 50,
        Unit: "Milliseconds",
      },
    ]);
  });

  it("keeps high-resolution data at 1 s and answers 10 s periods; standard data stays per minute", async () => {
    await put("App", [
      { MetricName: "Hi", Value: 1, StorageResolution: 1, Timestamp: at(0, 3) },
      { MetricName: "Hi", Value: 2, StorageResolution: 1, Timestamp: at(0, 14) },
      { MetricName: "Hi", Value: 4, StorageResolution: 1, Timestamp: at(0, 17) },
      { MetricName: "Lo", Value: 1, Timestamp: at(0, 3) },
      { MetricName: "Lo", Value: 2, Timestamp: at(0, 14) },
    ]);
    const stats = (MetricName: string) =>
      cw.client.send(
        new GetMetricStatisticsCommand({
          Namespace: "App",
          MetricName,
          StartTime: at(0),
          EndTime: at(1),
          Period: 10,
          Statistics: ["Sum"],
        }),
      );
    expect((await stats("Hi")).Datapoints).toEqual([
      { Timestamp: at(0, 0), Sum: 1, Unit: "None" },
      { Timestamp: at(0, 10), Sum: 6, Unit: "None" },
    ]);
    expect((await stats("Lo")).Datapoints).toEqual([{ Timestamp: at(0, 0), Sum: 3, Unit: "None" }]);
  });

  it("filters by unit and answers percentiles from raw values", async () => {
    await put("App", [
      { MetricName: "Size", Values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Unit: "Bytes", Timestamp: at(0) },
      { MetricName: "Size", Value: 1000, Unit: "Kilobytes", Timestamp: at(0) },
    ]);
    const input = {
      Namespace: "App",
      MetricName: "Size",
      StartTime: at(0),
      EndTime: at(1),
      Period: 60,
    };
    const bytes = await cw.client.send(
      new GetMetricStatisticsCommand({ ...input, Statistics: ["Maximum"], Unit: "Bytes" }),
    );
    expect(bytes.Datapoints).toEqual([{ Timestamp: at(0), Maximum: 10, Unit: "Bytes" }]);
    const none = await cw.client.send(
      new GetMetricStatisticsCommand({ ...input, Statistics: ["Maximum"], Unit: "Seconds" }),
    );
    expect(none.Datapoints).toEqual([]);
    const p90 = await cw.client.send(
      new GetMetricStatisticsCommand({ ...input, ExtendedStatistics: ["p90"], Unit: "Bytes" }),
    );
    expect(p90.Datapoints?.[0]?.ExtendedStatistics).toEqual({ p90: 9 });
  });

  it("refuses what CloudWatch refuses, with its error codes", async () => {
    const expectError = async (promise: Promise<unknown>, name: string, code: string, message: RegExp) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name, Code: code, $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message).toMatch(message);
    };
    await expectError(
      put("AWS/AmazonMQ", [{ MetricName: "X", Value: 1 }]),
      "InvalidParameterValueException",
      "InvalidParameterValue",
      /Namespace/,
    );
    await expectError(
      put("App", [{ MetricName: "X" }]),
      "MissingRequiredParameterException",
      "MissingParameter",
      /MetricData.member.1.Value/,
    );
    await expectError(
      put("App", [
        { MetricName: "X", Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } },
      ]),
      "InvalidParameterCombinationException",
      "InvalidParameterCombination",
      /mutually exclusive/,
    );
    await expectError(
      put("App", [{ MetricName: "X", Value: 1, StorageResolution: 5 }]),
      "InvalidParameterValueException",
      "InvalidParameterValue",
      /StorageResolution/,
    );
    await expectError(
      put("App", [{ MetricName: "X", Value: Number.NaN }]),
      "InvalidParameterValueException",
      "InvalidParameterValue",
      /Value/,
    );
    await expectError(
      put("App", [{ MetricName: "X", Value: 1, Timestamp: new Date(cw.clock.now + 3 * 3600_000) }]),
      "InvalidParameterValueException",
      "InvalidParameterValue",
      /two hours in the future/,
    );
    await expectError(
      put(
        "App",
        Array.from({ length: 1001 }, () => ({ MetricName: "X", Value: 1 })),
      ),
      "InvalidParameterValueException",
      "InvalidParameterValue",
      /1000/,
    );
    await expectError(
      cw.client.send(
        new GetMetricStatisticsCommand({
          Namespace: "App",
          MetricName: "X",
          StartTime: at(0),
          EndTime: at(1),
          Period: 60,
        }),
      ),
      "InvalidParameterCombinationException",
      "InvalidParameterCombination",
      /Statistics/,
    );
    await expectError(
      cw.client.send(
        new GetMetricStatisticsCommand({
          Namespace: "App",
          MetricName: "X",
          StartTime: at(0),
          EndTime: at(0, 1440 * 10 + 10),
          Period: 10,
          Statistics: ["Sum"],
        }),
      ),
      "InvalidParameterCombinationException",
      "InvalidParameterCombination",
      /exceeds the limit of 1,440/,
    );
    await expectError(
      cw.client.send(
        new GetMetricStatisticsCommand({
          Namespace: "App",
          MetricName: "X",
          StartTime: at(0),
          EndTime: at(1),
          Period: 45,
          Statistics: ["Sum"],
        }),
      ),
      "InvalidParameterValueException",
      "InvalidParameterValue",
      /Period/,
    );
  });

  it("lets the local collector publish into AWS/ through the store and tells listeners", async () => {
    const heard: string[] = [];
    const stop = cw.service.metrics.onData((namespace, metricName, dimensions) =>
      heard.push(`${namespace}/${metricName}/${dimensions.map((d) => `${d.Name}=${d.Value}`).join(",")}`),
    );
    cw.service.metrics.putMetricData("AWS/AmazonMQ", [
      { MetricName: "EnqueueCount", Dimensions: queue("q1"), Value: 5, Unit: "Count", Timestamp: at(0) },
      { MetricName: "EnqueueCount", Dimensions: queue("q1"), Value: 6, Unit: "Count", Timestamp: at(1) },
    ]);
    stop();
    cw.service.metrics.putMetricData("AWS/AmazonMQ", [
      { MetricName: "QueueSize", Value: 1, Timestamp: at(0) },
    ]);
    expect(heard).toEqual(["AWS/AmazonMQ/EnqueueCount/Broker=b-1,Queue=q1"]);
    const { Metrics } = await cw.client.send(new ListMetricsCommand({ Namespace: "AWS/AmazonMQ" }));
    expect(Metrics).toHaveLength(2);
  });
});

describe("ListMetrics", () => {
  it("filters by namespace, name and dimensions, and pages by 500", async () => {
    const data: MetricDatum[] = Array.from({ length: 600 }, (_, n) => ({
      MetricName: "QueueSize",
      Dimensions: queue(`q${String(n).padStart(3, "0")}`),
      Value: n,
      Timestamp: at(0),
    }));
    await put("App", data.slice(0, 300));
    await put("App", data.slice(300));
    await put("Other", [{ MetricName: "QueueSize", Value: 1, Timestamp: at(0) }]);

    const first = await cw.client.send(new ListMetricsCommand({ Namespace: "App" }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeDefined();
    const second = await cw.client.send(
      new ListMetricsCommand({ Namespace: "App", NextToken: first.NextToken }),
    );
    expect(second.Metrics).toHaveLength(100);
    expect(second.NextToken).toBeUndefined();

    const one = await cw.client.send(
      new ListMetricsCommand({ Dimensions: [{ Name: "Queue", Value: "q042" }] }),
    );
    expect(one.Metrics).toEqual([{ Namespace: "App", MetricName: "QueueSize", Dimensions: queue("q042") }]);
    const byName = await cw.client.send(
      new ListMetricsCommand({ MetricName: "QueueSize", Dimensions: [{ Name: "Broker" }] }),
    );
    expect(byName.Metrics).toHaveLength(500);
  });

  it("lists only metrics with data in the last 3 hours when RecentlyActive is PT3H", async () => {
    await put("App", [{ MetricName: "Old", Value: 1 }]);
    cw.clock.now += 4 * 3600_000;
    await put("App", [{ MetricName: "New", Value: 1 }]);
    const recent = await cw.client.send(new ListMetricsCommand({ Namespace: "App", RecentlyActive: "PT3H" }));
    expect(recent.Metrics?.map((m) => m.MetricName)).toEqual(["New"]);
    const all = await cw.client.send(new ListMetricsCommand({ Namespace: "App" }));
    expect(all.Metrics?.map((m) => m.MetricName)).toEqual(["New", "Old"]);
  });
});

describe("durability", () => {
  it("keeps the last 3 hours of data across a restart and drops older data", async () => {
    await put("App", [
      { MetricName: "Depth", Dimensions: queue("q1"), Value: 7, Timestamp: at(0) },
      { MetricName: "Depth", Dimensions: queue("q1"), Values: [1, 9], Timestamp: at(1) },
    ]);
    await cw.restart();
    const query = () =>
      cw.client.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            {
              Id: "m",
              MetricStat: {
                Metric: { Namespace: "App", MetricName: "Depth", Dimensions: queue("q1") },
                Period: 60,
                Stat: "Maximum",
              },
            },
          ],
          StartTime: at(0),
          EndTime: at(5),
          ScanBy: "TimestampAscending",
        }),
      );
    expect((await query()).MetricDataResults?.[0]).toMatchObject({
      Timestamps: [at(0), at(1)],
      Values: [7, 9],
    });

    cw.clock.now = at(0).getTime() + 3 * 3600_000 + 30_000;
    await cw.restart();
    expect((await query()).MetricDataResults?.[0]).toMatchObject({ Timestamps: [at(1)], Values: [9] });
    const { Metrics } = await cw.client.send(new ListMetricsCommand({ Namespace: "App" }));
    expect(Metrics).toHaveLength(1);
  });

  it("replays appended data after a snapshot, and ignores a line torn by a crash", async () => {
    await put("App", [{ MetricName: "A", Value: 1, Timestamp: at(0) }]);
    await cw.restart();
    await put("App", [{ MetricName: "A", Values: [2, 3], Counts: [1, 2], Timestamp: at(0, 30) }]);
    await cw.service.close();
    appendFileSync(path.join(cw.dataDir, "cloudwatch-metrics.jsonl"), '{"m":["App","A",[]],"u":"No');
    await cw.restart();
    const { Datapoints } = await cw.client.send(
      new GetMetricStatisticsCommand({
        Namespace: "App",
        MetricName: "A",
        StartTime: at(0),
        EndTime: at(1),
        Period: 60,
        Statistics: ["SampleCount", "Sum"],
      }),
    );
    expect(Datapoints).toEqual([{ Timestamp: at(0), SampleCount: 4, Sum: 9, Unit: "None" }]);
  });
});
