import type { MetricDatum, StandardUnit } from "@aws-sdk/client-cloudwatch";
import type { QueueCounters } from "./counters.js";
import type { BrokerStatistics, QueueStatistics } from "./statistics.js";

/**
 * Maps one instance's statistics to Amazon MQ's CloudWatch metrics, pure: names, units and
 * dimensions as the Amazon MQ developer guide lists them ("Available CloudWatch metrics for Amazon
 * MQ for ActiveMQ brokers"). Metrics the statistics plugin cannot give (CpuUtilization, HeapUsage,
 * connection counts, EBS and network figures) are not published rather than invented.
 */

export const AMAZON_MQ_NAMESPACE = "AWS/AmazonMQ";

/** The `Broker` dimension: the broker's name and the 1-based instance that reported. */
export function brokerDimension(brokerName: string, instanceIndex: number): string {
  return `${brokerName}-${instanceIndex}`;
}

export interface DatumContext {
  broker: string;
  /** The start of the period the values cover. */
  timestamp: Date;
  storageResolution: 1 | 60;
  /** Consumers the collector itself holds on the broker (its reply subscription), left out of TotalConsumerCount. */
  ownConsumers: number;
}

function datum(
  context: DatumContext,
  name: string,
  value: number,
  unit: StandardUnit,
  queue?: string,
): MetricDatum {
  return {
    MetricName: name,
    Dimensions: [
      { Name: "Broker", Value: context.broker },
      ...(queue === undefined ? [] : [{ Name: "Queue", Value: queue }]),
    ],
    Timestamp: context.timestamp,
    Value: value,
    Unit: unit,
    StorageResolution: context.storageResolution,
  };
}

/**
 * Broker metrics (dimension `Broker`). TotalEnqueueCount and TotalDequeueCount are the broker's
 * running totals, as Amazon MQ reads them from the broker (they include advisory messages and
 * restart from 0 with the broker); TotalMessageCount is the number of messages stored.
 */
export function brokerDatums(context: DatumContext, stats: BrokerStatistics): MetricDatum[] {
  return [
    datum(context, "TotalEnqueueCount", stats.enqueueCount, "Count"),
    datum(context, "TotalDequeueCount", stats.dequeueCount, "Count"),
    datum(context, "TotalMessageCount", stats.size, "Count"),
    datum(context, "TotalConsumerCount", Math.max(0, stats.consumerCount - context.ownConsumers), "Count"),
    datum(context, "TotalProducerCount", stats.producerCount, "Count"),
    datum(context, "StorePercentUsage", stats.storePercentUsage, "Percent"),
    datum(context, "TempPercentUsage", stats.tempPercentUsage, "Percent"),
  ];
}

/**
 * Queue metrics (dimensions `Broker` and `Queue`). EnqueueCount, DequeueCount, DispatchCount and
 * ExpiredCount are the period's counts (`counts`; absent when the collector has no earlier read to
 * count from, then only the gauges are published). InFlightCount is the broker's current number of
 * dispatched, unacknowledged messages: ActiveMQ keeps it as a gauge (it goes down on every
 * acknowledgement), so a difference of two reads would mean nothing.
 */
export function queueDatums(
  context: DatumContext,
  stats: QueueStatistics,
  counts: QueueCounters | undefined,
): MetricDatum[] {
  const queue = stats.queue;
  const countDatums =
    counts === undefined
      ? []
      : [
          datum(context, "EnqueueCount", counts.enqueueCount, "Count", queue),
          datum(context, "DequeueCount", counts.dequeueCount, "Count", queue),
          datum(context, "DispatchCount", counts.dispatchCount, "Count", queue),
          datum(context, "ExpiredCount", counts.expiredCount, "Count", queue),
        ];
  return [
    ...countDatums,
    datum(context, "InFlightCount", stats.inflightCount, "Count", queue),
    datum(context, "QueueSize", stats.size, "Count", queue),
    datum(context, "ConsumerCount", stats.consumerCount, "Count", queue),
    datum(context, "ProducerCount", stats.producerCount, "Count", queue),
    datum(context, "EnqueueTime", stats.averageEnqueueTime, "Milliseconds", queue),
    datum(context, "MemoryUsage", stats.memoryPercentUsage, "Percent", queue),
  ];
}
