import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCloudWatchService } from "../../../../local/cloudwatch/service.js";
import { NodeSha256 } from "../../../../local/server/node-sha256.js";
import { TEST_CREDENTIALS } from "../../../support/local-endpoint.js";
import { startCloudWatch } from "./harness.js";

let cw: Awaited<ReturnType<typeof startCloudWatch>>;

beforeEach(async () => {
  cw = await startCloudWatch();
});

afterEach(async () => {
  await cw.close();
});

/** An AWS JSON 1.0 request as botocore sends it (X-Amz-Target, epoch-second timestamps). */
async function jsonRequest(operation: string, input: unknown) {
  const url = new URL(cw.endpoint.url);
  const body = JSON.stringify(input);
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
    headers: {
      host: url.host,
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `GraniteServiceVersion20100801.${operation}`,
      "x-amzn-query-mode": "true",
    },
    body,
  });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  const response = await fetch(cw.endpoint.url, { method: "POST", headers, body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("the AWS JSON 1.0 protocol", () => {
  it("takes epoch-second timestamps and answers them the same way", async () => {
    const time = Math.floor(cw.clock.now / 60_000) * 60;
    const put = await jsonRequest("PutMetricData", {
      Namespace: "App",
      MetricData: [{ MetricName: "Depth", Value: 3, Timestamp: time }],
    });
    expect(put).toMatchObject({ status: 200, body: {} });
    const stats = await jsonRequest("GetMetricStatistics", {
      Namespace: "App",
      MetricName: "Depth",
      StartTime: time - 60,
      EndTime: time + 60,
      Period: 60,
      Statistics: ["Sum"],
    });
    expect(stats.body).toEqual({ Label: "Depth", Datapoints: [{ Timestamp: time, Sum: 3, Unit: "None" }] });
  });

  it("writes errors as awsQueryCompatible JSON: the shape name in __type, the Query code in x-amzn-query-error", async () => {
    const refused = await jsonRequest("PutMetricData", {
      Namespace: "AWS/EC2",
      MetricData: [{ MetricName: "X", Value: 1 }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ __type: "InvalidParameterValueException" });
    expect(refused.headers.get("x-amzn-query-error")).toBe("InvalidParameterValue;Sender");

    const unknown = await jsonRequest("DescribeNothing", {});
    expect(unknown).toMatchObject({ status: 400, body: { __type: "UnknownOperationException" } });
  });

  it("gives the SDK the exception classes AWS's errors map to, including the server's own", async () => {
    const wrongKey = new CloudWatchClient({
      ...cw.endpoint.clientConfig,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "not-the-local-secret" },
    });
    await expect(wrongKey.send(new ListMetricsCommand({}))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      Code: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    wrongKey.destroy();
    await expect(
      cw.client.send(
        new PutMetricDataCommand({ Namespace: "AWS/EC2", MetricData: [{ MetricName: "X", Value: 1 }] }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      Code: "InvalidParameterValue",
      Type: "Sender",
    });
  });

  it("serves operations plugged in with extraOperations, with Date in and out", async () => {
    const seen: unknown[] = [];
    let store: unknown;
    const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-cloudwatch-extra-"));
    const service = createCloudWatchService({
      dataDir,
      region: "us-east-1",
      extraOperations: (metrics) => {
        store = metrics;
        return {
          DescribeAlarmHistory: (input) => {
            seen.push(input);
            return {
              AlarmHistoryItems: [
                {
                  AlarmName: "a",
                  Timestamp: new Date("2026-11-30T12:00:00Z"),
                  HistoryItemType: "StateUpdate",
                  HistorySummary: "s",
                },
              ],
            };
          },
        };
      },
    });
    expect(store).toBe(service.metrics);
    const request = {
      method: "POST",
      path: "/",
      query: new URLSearchParams(),
      headers: { "x-amz-target": "GraniteServiceVersion20100801.DescribeAlarmHistory" },
      body: Buffer.from(JSON.stringify({ AlarmName: "a", StartDate: 1796040000, MaxRecords: 5, Unknown: 1 })),
      region: "us-east-1",
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
      requestId: "r-1",
    };
    const response = await service.handle(request);
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
    expect(seen).toEqual([{ AlarmName: "a", StartDate: new Date(1796040000 * 1000), MaxRecords: 5 }]);
    expect(JSON.parse(String(response.body))).toEqual({
      AlarmHistoryItems: [
        { AlarmName: "a", Timestamp: 1796040000, HistoryItemType: "StateUpdate", HistorySummary: "s" },
      ],
    });
  });
});
