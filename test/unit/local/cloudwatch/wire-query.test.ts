import {
  CloudWatchClient,
  errorTypeRegistries,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { AwsQueryProtocol } from "@aws-sdk/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import { XMLParser } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NodeSha256 } from "../../../../local/server/node-sha256.js";
import { TEST_CREDENTIALS } from "../../../support/local-endpoint.js";
import { at, startCloudWatch } from "./harness.js";

const NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
let cw: Awaited<ReturnType<typeof startCloudWatch>>;

beforeEach(async () => {
  cw = await startCloudWatch();
});

afterEach(async () => {
  await cw.close();
});

/** A Query-protocol request as the AWS CLI 2.9 and older SDKs send it: a signed form POST. */
async function queryRequest(params: Record<string, string>, credentials = TEST_CREDENTIALS) {
  const url = new URL(cw.endpoint.url);
  const body = new URLSearchParams({ Version: "2010-08-01", ...params }).toString();
  const signer = new SignatureV4({
    credentials,
    region: "us-east-1",
    service: "monitoring",
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const response = await fetch(cw.endpoint.url, { method: "POST", headers, body });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    text,
    xml: new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(text) as Record<
      string,
      never
    >,
  };
}

describe("the Query protocol", () => {
  it("puts metric data and reads it back as XML in CloudWatch's namespace", async () => {
    const put = await queryRequest({
      Action: "PutMetricData",
      Namespace: "App",
      "MetricData.member.1.MetricName": "Depth",
      "MetricData.member.1.Value": "7.5",
      "MetricData.member.1.Unit": "Count",
      "MetricData.member.1.Timestamp": at(1).toISOString(),
      "MetricData.member.1.Dimensions.member.1.Name": "Queue",
      "MetricData.member.1.Dimensions.member.1.Value": "orders",
      "MetricData.member.2.MetricName": "Depth",
      "MetricData.member.2.StatisticValues.SampleCount": "2",
      "MetricData.member.2.StatisticValues.Sum": "3",
      "MetricData.member.2.StatisticValues.Minimum": "1",
      "MetricData.member.2.StatisticValues.Maximum": "2",
      "MetricData.member.2.Unit": "Count",
      "MetricData.member.2.Timestamp": at(1, 30).toISOString(),
      "MetricData.member.2.Dimensions.member.1.Name": "Queue",
      "MetricData.member.2.Dimensions.member.1.Value": "orders",
    });
    expect(put.status).toBe(200);
    expect(put.contentType).toBe("text/xml");
    expect(put.text).toMatch(
      new RegExp(
        `^<PutMetricDataResponse xmlns="${NAMESPACE}"><ResponseMetadata><RequestId>[0-9a-f-]+</RequestId>`,
      ),
    );

    const list = await queryRequest({ Action: "ListMetrics", Namespace: "App" });
    expect(list.xml.ListMetricsResponse).toMatchObject({
      "@_xmlns": NAMESPACE,
      ListMetricsResult: {
        Metrics: {
          member: {
            Namespace: "App",
            MetricName: "Depth",
            Dimensions: { member: { Name: "Queue", Value: "orders" } },
          },
        },
      },
    });

    const stats = await queryRequest({
      Action: "GetMetricStatistics",
      Namespace: "App",
      MetricName: "Depth",
      "Dimensions.member.1.Name": "Queue",
      "Dimensions.member.1.Value": "orders",
      StartTime: at(0).toISOString(),
      EndTime: at(5).toISOString(),
      Period: "60",
      "Statistics.member.1": "Sum",
      "Statistics.member.2": "SampleCount",
      "ExtendedStatistics.member.1": "p50",
    });
    expect(stats.status).toBe(400);
    expect(stats.xml.ErrorResponse).toMatchObject({
      Error: { Type: "Sender", Code: "InvalidParameterCombination" },
    });

    const sums = await queryRequest({
      Action: "GetMetricStatistics",
      Namespace: "App",
      MetricName: "Depth",
      "Dimensions.member.1.Name": "Queue",
      "Dimensions.member.1.Value": "orders",
      StartTime: at(0).toISOString(),
      EndTime: at(5).toISOString(),
      Period: "60",
      "Statistics.member.1": "Sum",
      "Statistics.member.2": "SampleCount",
    });
    expect(sums.xml.GetMetricStatisticsResponse).toMatchObject({
      GetMetricStatisticsResult: {
        Label: "Depth",
        Datapoints: {
          member: { Timestamp: at(1).toISOString(), Sum: "10.5", SampleCount: "3", Unit: "Count" },
        },
      },
    });

    // The same data through the JSON protocol.
    const json = await cw.client.send(
      new GetMetricStatisticsCommand({
        Namespace: "App",
        MetricName: "Depth",
        Dimensions: [{ Name: "Queue", Value: "orders" }],
        StartTime: at(0),
        EndTime: at(5),
        Period: 60,
        Statistics: ["Maximum"],
      }),
    );
    expect(json.Datapoints).toEqual([{ Timestamp: at(1), Maximum: 7.5, Unit: "Count" }]);
  });

  it("answers GetMetricData with metric math, timestamps as ISO 8601", async () => {
    cw.service.metrics.putMetricData("AWS/AmazonMQ", [
      { MetricName: "EnqueueCount", Value: 9, Timestamp: at(0) },
      { MetricName: "DispatchCount", Value: 4, Timestamp: at(0) },
    ]);
    const metric = (id: string, name: string) => ({
      [`MetricDataQueries.member.${id}.Id`]: `m${id}`,
      [`MetricDataQueries.member.${id}.MetricStat.Metric.Namespace`]: "AWS/AmazonMQ",
      [`MetricDataQueries.member.${id}.MetricStat.Metric.MetricName`]: name,
      [`MetricDataQueries.member.${id}.MetricStat.Period`]: "60",
      [`MetricDataQueries.member.${id}.MetricStat.Stat`]: "Sum",
      [`MetricDataQueries.member.${id}.ReturnData`]: "false",
    });
    const result = await queryRequest({
      Action: "GetMetricData",
      ...metric("1", "EnqueueCount"),
      ...metric("2", "DispatchCount"),
      "MetricDataQueries.member.3.Id": "backlog",
      "MetricDataQueries.member.3.Expression": "m1 - m2",
      StartTime: at(0).toISOString(),
      EndTime: at(2).toISOString(),
    });
    expect(result.status).toBe(200);
    expect(result.xml.GetMetricDataResponse).toMatchObject({
      GetMetricDataResult: {
        MetricDataResults: {
          member: {
            Id: "backlog",
            Label: "backlog",
            StatusCode: "Complete",
            Timestamps: { member: at(0).toISOString() },
            Values: { member: "5" },
          },
        },
      },
    });
  });

  it("writes errors as <ErrorResponse> in CloudWatch's namespace, for operations and signatures alike", async () => {
    const refused = await queryRequest({
      Action: "PutMetricData",
      Namespace: "AWS/AmazonMQ",
      "MetricData.member.1.MetricName": "EnqueueCount",
      "MetricData.member.1.Value": "1",
    });
    expect(refused.status).toBe(400);
    expect(refused.xml.ErrorResponse).toMatchObject({
      "@_xmlns": NAMESPACE,
      Error: { Type: "Sender", Code: "InvalidParameterValue" },
    });

    const missing = await queryRequest({ Action: "PutMetricData", Namespace: "App" });
    expect(missing.xml.ErrorResponse).toMatchObject({ Error: { Code: "MissingParameter" } });

    const badNumber = await queryRequest({
      Action: "PutMetricData",
      Namespace: "App",
      "MetricData.member.1.MetricName": "X",
      "MetricData.member.1.Value": "seven",
    });
    expect(badNumber.xml.ErrorResponse).toMatchObject({ Error: { Code: "InvalidParameterValue" } });

    const unknown = await queryRequest({ Action: "DescribeNothing" });
    expect(unknown.status).toBe(400);
    expect(unknown.xml.ErrorResponse).toMatchObject({ Error: { Code: "InvalidAction" } });

    const unsigned = await queryRequest(
      { Action: "ListMetrics" },
      { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "wrong-secret" },
    );
    expect(unsigned.status).toBe(403);
    expect(unsigned.xml.ErrorResponse).toMatchObject({
      "@_xmlns": NAMESPACE,
      Error: { Type: "Sender", Code: "InvalidSignatureException" },
    });
  });

  it("serves the SDK's own Query protocol client (as older SDKs speak it) with the same answers", async () => {
    // The v3 client with its protocol switched to awsQuery: the SDK's Query serialiser and XML parser.
    const client = new CloudWatchClient({
      ...cw.endpoint.clientConfig,
      protocol: AwsQueryProtocol,
      protocolSettings: {
        defaultNamespace: "com.amazonaws.cloudwatch",
        xmlNamespace: NAMESPACE,
        version: "2010-08-01",
        errorTypeRegistries,
      },
    });
    const Dimensions = [{ Name: "Queue", Value: "orders" }];
    await client.send(
      new PutMetricDataCommand({
        Namespace: "App",
        MetricData: [
          { MetricName: "Depth", Dimensions, Values: [1, 5], Counts: [2, 1], Timestamp: at(0, 10) },
          { MetricName: "Depth", Dimensions, Value: 9, Timestamp: at(1) },
        ],
      }),
    );
    const listed = await client.send(new ListMetricsCommand({ Namespace: "App" }));
    expect(listed.Metrics).toEqual([{ Namespace: "App", MetricName: "Depth", Dimensions }]);
    const stats = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: "App",
        MetricName: "Depth",
        Dimensions,
        StartTime: at(0),
        EndTime: at(2),
        Period: 60,
        ExtendedStatistics: ["p50", "p100"],
      }),
    );
    expect(stats.Datapoints).toEqual([
      { Timestamp: at(0), Unit: "None", ExtendedStatistics: { p50: 1, p100: 5 } },
      { Timestamp: at(1), Unit: "None", ExtendedStatistics: { p50: 9, p100: 9 } },
    ]);
    const data = await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          {
            Id: "m",
            MetricStat: {
              Metric: { Namespace: "App", MetricName: "Depth", Dimensions },
              Period: 60,
              Stat: "Sum",
            },
          },
          { Id: "twice", Expression: "m * 2", Label: "Twice" },
        ],
        StartTime: at(0),
        EndTime: at(2),
      }),
    );
    expect(data.MetricDataResults).toEqual([
      {
        Id: "m",
        Label: "Depth",
        Timestamps: [at(1), at(0)],
        Values: [9, 7],
        StatusCode: "Complete",
        Messages: [],
      },
      {
        Id: "twice",
        Label: "Twice",
        Timestamps: [at(1), at(0)],
        Values: [18, 14],
        StatusCode: "Complete",
        Messages: [],
      },
    ]);
    await expect(
      client.send(
        new PutMetricDataCommand({ Namespace: "AWS/EC2", MetricData: [{ MetricName: "X", Value: 1 }] }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException", Code: "InvalidParameterValue" });
    client.destroy();
  });
});
