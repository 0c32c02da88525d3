import { describe, expect, it } from "vitest";
import {
  isInternalQueue,
  parseStatisticsReply,
  toBrokerStatistics,
  toQueueStatistics,
} from "../../../../local/metrics/statistics.js";

// Bodies as ActiveMQ 5.17.2 (Debian) sent them with `transformation: jms-map-json`.
const QUEUE_REPLY = String.raw`{"map":{"entry":[{"string":"dequeueCount","long":2},{"string":"averageMessageSize","long":1029},{"string":["brokerId","ID:vm-36069-1796081822539-0:1"]},{"string":"memoryUsage","long":1029},{"string":"consumerCount","long":1},{"string":"minEnqueueTime","double":0},{"string":"memoryPercentUsage","int":3},{"string":"averageEnqueueTime","double":12.5},{"string":"messagesCached","long":0},{"string":"expiredCount","long":1},{"string":"inflightCount","long":4},{"string":"maxEnqueueTime","double":40},{"string":"dispatchCount","long":6},{"string":"size","long":5},{"string":["destinationName","queue:\/\/orders"]},{"string":"producerCount","long":2},{"string":"memoryLimit","long":129761280},{"string":["brokerName","probe"]},{"string":"enqueueCount","long":8}]}}`;
const BROKER_REPLY = String.raw`{"map":{"entry":[{"string":"averageMessageSize","long":1025},{"string":"expiredCount","long":0},{"string":["stomp+ssl",""]},{"string":"inflightCount","long":0},{"string":"tempLimit","long":536870912},{"string":["stomp","stomp:\/\/localhost:41965"]},{"string":"storePercentUsage","int":7},{"string":"dequeueCount","long":3},{"string":["brokerId","ID:vm-36069-1796081822539-0:1"]},{"string":"consumerCount","long":2},{"string":"memoryPercentUsage","int":0},{"string":"size","long":2},{"string":"producerCount","long":1},{"string":["brokerName","probe"]},{"string":"enqueueCount","long":8},{"string":"tempPercentUsage","int":1}]}}`;

describe("parseStatisticsReply", () => {
  it("reads typed entries and string pairs of a queue reply", () => {
    const reply = parseStatisticsReply(QUEUE_REPLY);

    expect(reply.kind).toBe("map");
    if (reply.kind !== "map") return;
    expect(reply.fields).toMatchObject({
      size: 5,
      averageEnqueueTime: 12.5,
      destinationName: "queue://orders",
      brokerId: "ID:vm-36069-1796081822539-0:1",
    });
  });

  it("reads the empty map that ends a wildcard list as the end", () => {
    expect(parseStatisticsReply(`{"map":""}`)).toEqual({ kind: "end" });
    expect(parseStatisticsReply(`{"map":{}}`)).toEqual({ kind: "end" });
  });

  it("reads a one-entry map written as a bare object", () => {
    expect(parseStatisticsReply(`{"map":{"entry":{"string":"size","long":"42"}}}`)).toEqual({
      kind: "map",
      fields: { size: 42 },
    });
  });

  it("throws on a body that is not a statistics map", () => {
    expect(() => parseStatisticsReply("hello")).toThrow();
    expect(() => parseStatisticsReply(`{"list":[]}`)).toThrow(/without a map/);
  });
});

describe("toQueueStatistics", () => {
  it("names the queue without its queue:// prefix and keeps every counter", () => {
    const reply = parseStatisticsReply(QUEUE_REPLY);
    if (reply.kind !== "map") throw new Error("expected a map");

    expect(toQueueStatistics(reply.fields)).toEqual({
      queue: "orders",
      brokerId: "ID:vm-36069-1796081822539-0:1",
      size: 5,
      enqueueCount: 8,
      dequeueCount: 2,
      dispatchCount: 6,
      expiredCount: 1,
      inflightCount: 4,
      consumerCount: 1,
      producerCount: 2,
      averageEnqueueTime: 12.5,
      memoryPercentUsage: 3,
    });
  });

  it("ignores topics and replies without a destination", () => {
    expect(toQueueStatistics({ destinationName: "topic://prices", brokerId: "ID:x" })).toBeUndefined();
    expect(toQueueStatistics({ size: 3, brokerId: "ID:x" })).toBeUndefined();
  });
});

describe("toBrokerStatistics", () => {
  it("keeps the broker-wide totals and usage percentages", () => {
    const reply = parseStatisticsReply(BROKER_REPLY);
    if (reply.kind !== "map") throw new Error("expected a map");

    expect(toBrokerStatistics(reply.fields)).toEqual({
      brokerId: "ID:vm-36069-1796081822539-0:1",
      size: 2,
      enqueueCount: 8,
      dequeueCount: 3,
      consumerCount: 2,
      producerCount: 1,
      storePercentUsage: 7,
      tempPercentUsage: 1,
    });
  });
});

describe("isInternalQueue", () => {
  it.each([
    "ActiveMQ.Statistics.Destination.>",
    "ActiveMQ.Advisory.Consumer.Queue.orders",
    "ID:vm-36069-1796081822539-3:1:1",
    "/temp-queue/mqops-statistics",
  ])("skips %s", (queue) => {
    expect(isInternalQueue(queue, "/temp-queue/mqops-statistics")).toBe(true);
  });

  it.each(["orders", "ActiveMQ.DLQ", "ActiveMQStatistics"])("keeps %s", (queue) => {
    expect(isInternalQueue(queue, "/temp-queue/mqops-statistics")).toBe(false);
  });
});
