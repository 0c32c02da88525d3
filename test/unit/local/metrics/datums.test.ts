import { describe, expect, it } from "vitest";
import {
  brokerDatums,
  brokerDimension,
  type DatumContext,
  queueDatums,
} from "../../../../local/metrics/datums.js";
import type { QueueStatistics } from "../../../../local/metrics/statistics.js";

const context: DatumContext = {
  broker: brokerDimension("orders-broker", 2),
  timestamp: new Date("2026-12-01T10:07:00Z"),
  storageResolution: 1,
  ownConsumers: 1,
};

const queue: QueueStatistics = {
  queue: "orders",
  brokerId: "ID:x",
  size: 5,
  enqueueCount: 800,
  dequeueCount: 700,
  dispatchCount: 760,
  expiredCount: 3,
  inflightCount: 4,
  consumerCount: 2,
  producerCount: 1,
  averageEnqueueTime: 12.5,
  memoryPercentUsage: 3,
};

const byName = (data: ReturnType<typeof queueDatums>) =>
  Object.fromEntries(data.map((datum) => [datum.MetricName, { value: datum.Value, unit: datum.Unit }]));

describe("brokerDimension", () => {
  it("is the broker's name with the 1-based instance suffix", () => {
    expect(brokerDimension("orders-broker", 1)).toBe("orders-broker-1");
  });
});

describe("queueDatums", () => {
  it("publishes the period's counts and the gauges with Amazon MQ's names and units", () => {
    const data = queueDatums(context, queue, {
      enqueueCount: 30,
      dequeueCount: 20,
      dispatchCount: 25,
      expiredCount: 1,
    });

    expect(byName(data)).toEqual({
      EnqueueCount: { value: 30, unit: "Count" },
      DequeueCount: { value: 20, unit: "Count" },
      DispatchCount: { value: 25, unit: "Count" },
      ExpiredCount: { value: 1, unit: "Count" },
      InFlightCount: { value: 4, unit: "Count" },
      QueueSize: { value: 5, unit: "Count" },
      ConsumerCount: { value: 2, unit: "Count" },
      ProducerCount: { value: 1, unit: "Count" },
      EnqueueTime: { value: 12.5, unit: "Milliseconds" },
      MemoryUsage: { value: 3, unit: "Percent" },
    });
  });

  it("carries Broker and Queue dimensions, the period's start and the storage resolution", () => {
    for (const datum of queueDatums(context, queue, undefined)) {
      expect(datum.Dimensions).toEqual([
        { Name: "Broker", Value: "orders-broker-2" },
        { Name: "Queue", Value: "orders" },
      ]);
      expect(datum.Timestamp).toEqual(new Date("2026-12-01T10:07:00Z"));
      expect(datum.StorageResolution).toBe(1);
    }
  });

  it("publishes only gauges when there is nothing to count from", () => {
    const names = queueDatums(context, queue, undefined).map((datum) => datum.MetricName);

    expect(names).not.toContain("EnqueueCount");
    expect(names).toContain("QueueSize");
  });
});

describe("brokerDatums", () => {
  it("publishes broker totals with the Broker dimension only, without the collector's own consumer", () => {
    const data = brokerDatums(context, {
      brokerId: "ID:x",
      size: 12,
      enqueueCount: 1000,
      dequeueCount: 900,
      consumerCount: 4,
      producerCount: 2,
      storePercentUsage: 7,
      tempPercentUsage: 1,
    });

    expect(byName(data)).toEqual({
      TotalEnqueueCount: { value: 1000, unit: "Count" },
      TotalDequeueCount: { value: 900, unit: "Count" },
      TotalMessageCount: { value: 12, unit: "Count" },
      TotalConsumerCount: { value: 3, unit: "Count" },
      TotalProducerCount: { value: 2, unit: "Count" },
      StorePercentUsage: { value: 7, unit: "Percent" },
      TempPercentUsage: { value: 1, unit: "Percent" },
    });
    for (const datum of data)
      expect(datum.Dimensions).toEqual([{ Name: "Broker", Value: "orders-broker-2" }]);
  });
});
