/**
 * Parses the statistics plugin's replies, pure. With `transformation: jms-map-json` ActiveMQ turns
 * a map message into XStream/Jettison JSON: `{"map":{"entry":[{"string":"size","long":3},
 * {"string":["brokerName","b"]},…]}}`; an empty map (`{"map":""}`) is the end-of-list marker a
 * wildcard request asks for. Jettison writes a one-element list as a bare object, so both are read.
 */

export type StatisticsMap = Record<string, number | string>;

/** One reply parsed: a map of fields, or the end of a wildcard list. */
export type StatisticsReply = { kind: "map"; fields: StatisticsMap } | { kind: "end" };

/** What the plugin reports for one queue (`ActiveMQ.Statistics.Destination.<queue>`). */
export interface QueueStatistics {
  queue: string;
  brokerId: string;
  size: number;
  enqueueCount: number;
  dequeueCount: number;
  dispatchCount: number;
  expiredCount: number;
  inflightCount: number;
  consumerCount: number;
  producerCount: number;
  averageEnqueueTime: number;
  memoryPercentUsage: number;
}

/** What the plugin reports for the broker as a whole (`ActiveMQ.Statistics.Broker`). */
export interface BrokerStatistics {
  brokerId: string;
  size: number;
  enqueueCount: number;
  dequeueCount: number;
  consumerCount: number;
  producerCount: number;
  storePercentUsage: number;
  tempPercentUsage: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numeric(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** One `entry`: a string key with a typed value (`long`, `int`, `double`…) or a string pair. */
function readEntry(entry: unknown): [string, number | string] | undefined {
  if (!isRecord(entry)) return undefined;
  const key = entry.string;
  if (Array.isArray(key)) {
    const [name, value] = key;
    return typeof name === "string" && typeof value === "string" ? [name, value] : undefined;
  }
  if (typeof key !== "string") return undefined;
  for (const [type, raw] of Object.entries(entry)) {
    if (type === "string") continue;
    const value = numeric(raw);
    if (value !== undefined) return [key, value];
  }
  return undefined;
}

/** Parses a reply body; throws on a body that is not the plugin's JSON (a foreign message). */
export function parseStatisticsReply(body: string): StatisticsReply {
  const json: unknown = JSON.parse(body);
  if (!isRecord(json) || !("map" in json)) throw new Error("statistics reply without a map");
  const map = json.map;
  if (!isRecord(map)) return { kind: "end" };
  const entries = Array.isArray(map.entry) ? map.entry : map.entry === undefined ? [] : [map.entry];
  const fields: StatisticsMap = {};
  for (const entry of entries) {
    const pair = readEntry(entry);
    if (pair !== undefined) fields[pair[0]] = pair[1];
  }
  return Object.keys(fields).length === 0 ? { kind: "end" } : { kind: "map", fields };
}

function count(fields: StatisticsMap, name: string): number {
  const value = fields[name];
  return typeof value === "number" ? value : 0;
}

function text(fields: StatisticsMap, name: string): string | undefined {
  const value = fields[name];
  return typeof value === "string" ? value : undefined;
}

const QUEUE_PREFIX = "queue://";

/** A queue's statistics; undefined for anything else (a topic, a temporary queue, a malformed reply). */
export function toQueueStatistics(fields: StatisticsMap): QueueStatistics | undefined {
  const destination = text(fields, "destinationName");
  const brokerId = text(fields, "brokerId");
  if (destination === undefined || brokerId === undefined || !destination.startsWith(QUEUE_PREFIX)) {
    return undefined;
  }
  return {
    queue: destination.slice(QUEUE_PREFIX.length),
    brokerId,
    size: count(fields, "size"),
    enqueueCount: count(fields, "enqueueCount"),
    dequeueCount: count(fields, "dequeueCount"),
    dispatchCount: count(fields, "dispatchCount"),
    expiredCount: count(fields, "expiredCount"),
    inflightCount: count(fields, "inflightCount"),
    consumerCount: count(fields, "consumerCount"),
    producerCount: count(fields, "producerCount"),
    averageEnqueueTime: count(fields, "averageEnqueueTime"),
    memoryPercentUsage: count(fields, "memoryPercentUsage"),
  };
}

export function toBrokerStatistics(fields: StatisticsMap): BrokerStatistics | undefined {
  const brokerId = text(fields, "brokerId");
  if (brokerId === undefined) return undefined;
  return {
    brokerId,
    size: count(fields, "size"),
    enqueueCount: count(fields, "enqueueCount"),
    dequeueCount: count(fields, "dequeueCount"),
    consumerCount: count(fields, "consumerCount"),
    producerCount: count(fields, "producerCount"),
    storePercentUsage: count(fields, "storePercentUsage"),
    tempPercentUsage: count(fields, "tempPercentUsage"),
  };
}

/**
 * ActiveMQ's own queues, which Amazon MQ does not publish: the statistics and advisory namespaces,
 * temporary queues (`ID:…` names) and the collector's reply queue. `ActiveMQ.DLQ` is a user-visible
 * queue and is kept.
 */
export function isInternalQueue(queue: string, replyQueue: string): boolean {
  return (
    queue === replyQueue ||
    queue.startsWith("ActiveMQ.Statistics.") ||
    queue.startsWith("ActiveMQ.Advisory.") ||
    queue.startsWith("ID:")
  );
}
