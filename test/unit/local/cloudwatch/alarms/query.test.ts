import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { XMLParser } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Alarms, createAlarms } from "../../../../../local/cloudwatch/alarms/index.js";
import { createCloudWatchService } from "../../../../../local/cloudwatch/service.js";
import { NodeSha256 } from "../../../../../local/server/node-sha256.js";
import { startLocalEndpoint, TEST_CREDENTIALS } from "../../../../support/local-endpoint.js";

let dataDir: string;
let alarms: Alarms;
let endpoint: Awaited<ReturnType<typeof startLocalEndpoint>>;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-alarms-query-"));
  let service: ReturnType<typeof createCloudWatchService> | undefined;
  alarms = createAlarms({
    dataDir,
    region: "us-east-1",
    metrics: () => {
      if (service === undefined) throw new Error("the CloudWatch service is not created yet");
      return service.metrics;
    },
    emitEvent: () => {},
    publishToTopic: () => {},
  });
  service = createCloudWatchService({ dataDir, region: "us-east-1", extraOperations: alarms.operations });
  endpoint = await startLocalEndpoint([service]);
});

afterEach(async () => {
  await endpoint.close();
  await alarms.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A signed form POST, as the AWS CLI 2.9 in Debian sends CloudWatch requests. */
async function query(params: Record<string, string>) {
  const url = new URL(endpoint.url);
  const body = new URLSearchParams({ Version: "2010-08-01", ...params }).toString();
  const signer = new SignatureV4({
    credentials: TEST_CREDENTIALS,
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
  const response = await fetch(endpoint.url, { method: "POST", headers, body });
  const text = await response.text();
  const xml: unknown = new XMLParser({ ignoreAttributes: true, parseTagValue: false }).parse(text);
  return { status: response.status, xml };
}

/** The node at `keys` in parsed XML. */
function at(node: unknown, ...keys: (string | number)[]): unknown {
  let current = node;
  for (const key of keys) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

describe("alarms over the Query protocol (the AWS CLI)", () => {
  it("puts a metric-math alarm with put-metric-alarm's parameters and describes it as XML", async () => {
    const put = await query({
      Action: "PutMetricAlarm",
      AlarmName: "behind",
      EvaluationPeriods: "2",
      DatapointsToAlarm: "2",
      Threshold: "0",
      ComparisonOperator: "GreaterThanThreshold",
      "AlarmActions.member.1": "arn:aws:sns:us-east-1:000000000000:alarms",
      "Metrics.member.1.Id": "e1",
      "Metrics.member.1.Expression": "m1 - m2",
      "Metrics.member.1.ReturnData": "true",
      "Metrics.member.2.Id": "m1",
      "Metrics.member.2.MetricStat.Metric.Namespace": "AWS/AmazonMQ",
      "Metrics.member.2.MetricStat.Metric.MetricName": "EnqueueCount",
      "Metrics.member.2.MetricStat.Metric.Dimensions.member.1.Name": "Broker",
      "Metrics.member.2.MetricStat.Metric.Dimensions.member.1.Value": "b1-1",
      "Metrics.member.2.MetricStat.Period": "60",
      "Metrics.member.2.MetricStat.Stat": "Sum",
      "Metrics.member.2.ReturnData": "false",
      "Metrics.member.3.Id": "m2",
      "Metrics.member.3.MetricStat.Metric.Namespace": "AWS/AmazonMQ",
      "Metrics.member.3.MetricStat.Metric.MetricName": "DispatchCount",
      "Metrics.member.3.MetricStat.Period": "60",
      "Metrics.member.3.MetricStat.Stat": "Sum",
      "Metrics.member.3.ReturnData": "false",
    });
    expect(put.status).toBe(200);

    const described = await query({ Action: "DescribeAlarms", "AlarmNames.member.1": "behind" });
    expect(described.status).toBe(200);
    const alarm = at(
      described.xml,
      "DescribeAlarmsResponse",
      "DescribeAlarmsResult",
      "MetricAlarms",
      "member",
    );
    expect(alarm).toMatchObject({
      AlarmName: "behind",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:behind",
      StateValue: "INSUFFICIENT_DATA",
      EvaluationPeriods: "2",
      DatapointsToAlarm: "2",
      ComparisonOperator: "GreaterThanThreshold",
      AlarmActions: { member: "arn:aws:sns:us-east-1:000000000000:alarms" },
    });
    expect(at(alarm, "Metrics", "member", 1)).toMatchObject({
      Id: "m1",
      MetricStat: {
        Metric: {
          Namespace: "AWS/AmazonMQ",
          MetricName: "EnqueueCount",
          Dimensions: { member: { Name: "Broker", Value: "b1-1" } },
        },
        Period: "60",
        Stat: "Sum",
      },
      ReturnData: "false",
    });
  });

  it("answers an unknown alarm with the Query error ResourceNotFound", async () => {
    const response = await query({
      Action: "SetAlarmState",
      AlarmName: "nope",
      StateValue: "OK",
      StateReason: "x",
    });
    expect(response.status).toBe(404);
    expect(at(response.xml, "ErrorResponse", "Error")).toMatchObject({
      Type: "Sender",
      Code: "ResourceNotFound",
    });
  });
});
