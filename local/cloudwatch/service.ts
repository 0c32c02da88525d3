import type { LocalService } from "../server/service.js";
import { metricOperations } from "./metrics/operations.js";
import { MetricStore } from "./metrics/store.js";
import type { CloudWatchOperation } from "./wire/operation.js";
import { cloudWatchErrorFormat, handleCloudWatchRequest, protocolOf } from "./wire/protocol.js";

export type { CloudWatchOperation } from "./wire/operation.js";

export interface CloudWatchServiceOptions {
  dataDir: string;
  region: string;
  /** The clock (epoch milliseconds); tests move it. */
  now?: () => number;
  /**
   * More operations by name (the alarm operations of local/cloudwatch/alarms), or a function that
   * makes them from the service's metric store (alarms read it and listen to it).
   */
  extraOperations?:
    | Record<string, CloudWatchOperation>
    | ((metrics: MetricStore) => Record<string, CloudWatchOperation>);
}

/**
 * CloudWatch (signing name `monitoring`) on both wire protocols its clients speak — AWS JSON 1.0
 * (`GraniteServiceVersion20100801.<Operation>`, awsQueryCompatible errors) and Query
 * (`Action=<Operation>&Version=2010-08-01`, XML) — with the metric operations of ./metrics over a
 * durable `MetricStore`, plus whatever `extraOperations` adds.
 */
export function createCloudWatchService(
  options: CloudWatchServiceOptions,
): LocalService & { metrics: MetricStore; close(): Promise<void> } {
  const now = options.now ?? Date.now;
  const metrics = new MetricStore({ dataDir: options.dataDir, now });
  const operations: Record<string, CloudWatchOperation> = {
    ...metricOperations(metrics),
    ...(typeof options.extraOperations === "function"
      ? options.extraOperations(metrics)
      : options.extraOperations),
  };
  return {
    signingName: "monitoring",
    protocol: "json",
    protocolOf,
    errorFormat: cloudWatchErrorFormat,
    metrics,
    handle: (request) => handleCloudWatchRequest(request, operations),
    close: () => metrics.close(),
  };
}
