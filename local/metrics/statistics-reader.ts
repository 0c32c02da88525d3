import { StatisticsUnavailableError } from "./errors.js";
import {
  type BrokerStatistics,
  isInternalQueue,
  parseStatisticsReply,
  type QueueStatistics,
  type StatisticsMap,
  toBrokerStatistics,
  toQueueStatistics,
} from "./statistics.js";
import { connectStomp, type StompitClient, type StompMessage, type StompTarget } from "./stomp-client.js";

/**
 * Reads one broker instance's statistics over one STOMP connection, kept open from period to period
 * and opened again after any failure. Requests go to the statistics plugin's destinations with a
 * `reply-to` on a temporary queue of this connection; replies are matched by correlation id, so a
 * late reply to an earlier, timed-out request is dropped.
 */

/** The STOMP name of the collector's reply queue (a temporary queue: the broker deletes it with the connection). */
export const REPLY_QUEUE = "/temp-queue/mqops-statistics";
const BROKER_STATISTICS = "/queue/ActiveMQ.Statistics.Broker";
/** Every queue (a queue wildcard asks about queues only), then an empty map to mark the end. */
const QUEUE_STATISTICS = "/queue/ActiveMQ.Statistics.Destination.>";
const END_OF_LIST_HEADER = "ActiveMQ.Statistics.Destination.List.End.With.Null";

export interface InstanceStatistics {
  broker: BrokerStatistics;
  queues: QueueStatistics[];
}

export interface ReaderTimeouts {
  connectMs: number;
  /** For both requests of one read together. */
  readMs: number;
}

interface PendingRequest {
  maps: StatisticsMap[];
  /** A wildcard request ends with the empty map; a broker request with its one map. */
  list: boolean;
  resolve(maps: StatisticsMap[]): void;
  reject(error: Error): void;
}

/** One open session and its pending requests. */
class StatisticsSession {
  private readonly pending = new Map<string, PendingRequest>();
  private sequence = 0;
  closed = false;

  constructor(private readonly client: StompitClient) {
    client.on("error", (error) => this.fail(new StatisticsUnavailableError(error.message)));
    client.on("end", () => this.fail(new StatisticsUnavailableError("connection closed by the broker")));
    client.subscribe(
      { destination: REPLY_QUEUE, ack: "auto", transformation: "jms-map-json" },
      (error, message) => {
        if (error !== null) this.fail(new StatisticsUnavailableError(error.message));
        else this.onMessage(message);
      },
    );
  }

  request(destination: string, list: boolean): Promise<StatisticsMap[]> {
    if (this.closed) return Promise.reject(new StatisticsUnavailableError("connection closed"));
    this.sequence += 1;
    const correlationId = `mqops-metrics-${this.sequence}`;
    const reply = new Promise<StatisticsMap[]>((resolve, reject) => {
      this.pending.set(correlationId, { maps: [], list, resolve, reject });
    });
    const frame = this.client.send({
      destination,
      "reply-to": REPLY_QUEUE,
      "correlation-id": correlationId,
      ...(list ? { [END_OF_LIST_HEADER]: "true" } : {}),
    });
    frame.end();
    return reply;
  }

  close(): void {
    if (this.closed) return;
    this.fail(new StatisticsUnavailableError("connection closed by the collector"));
    this.client.destroy();
  }

  private onMessage(message: StompMessage): void {
    const correlationId = message.headers["correlation-id"] ?? "";
    message.readString("utf-8", (error, body) => {
      const request = this.pending.get(correlationId);
      if (request === undefined) return;
      if (error !== null || body === undefined) {
        this.pending.delete(correlationId);
        request.reject(new StatisticsUnavailableError(`unreadable statistics reply: ${error?.message}`));
        return;
      }
      let reply: ReturnType<typeof parseStatisticsReply>;
      try {
        reply = parseStatisticsReply(body);
      } catch (parseError) {
        this.pending.delete(correlationId);
        request.reject(
          new StatisticsUnavailableError(`malformed statistics reply: ${(parseError as Error).message}`),
        );
        return;
      }
      if (reply.kind === "map") request.maps.push(reply.fields);
      if (reply.kind === "end" || !request.list) {
        this.pending.delete(correlationId);
        request.resolve(request.maps);
      }
    });
  }

  private fail(error: Error): void {
    this.closed = true;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StatisticsUnavailableError(`${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class InstanceStatisticsReader {
  private session: StatisticsSession | undefined;

  constructor(
    readonly target: StompTarget,
    private readonly timeouts: ReaderTimeouts,
  ) {}

  private get where(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  /**
   * The broker's and every queue's statistics, or `StatisticsUnavailableError` (refused, as a
   * standby is; closed; too slow). A connection kept from an earlier period may have died with its
   * broker without the collector noticing yet (a restart between two periods): a read on it that
   * fails is tried once more on a new connection. After a failure the connection is dropped and the
   * next read opens a new one.
   */
  async read(): Promise<InstanceStatistics> {
    const reused = this.session !== undefined && !this.session.closed;
    try {
      return await this.readOnce();
    } catch (error) {
      this.close();
      if (!reused) throw error;
    }
    try {
      return await this.readOnce();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  private async readOnce(): Promise<InstanceStatistics> {
    try {
      const session = await this.openSession();
      const [brokerMaps, queueMaps] = await withTimeout(
        Promise.all([session.request(BROKER_STATISTICS, false), session.request(QUEUE_STATISTICS, true)]),
        this.timeouts.readMs,
        `statistics of ${this.where}`,
      );
      const brokerFields = brokerMaps[0];
      const broker = brokerFields === undefined ? undefined : toBrokerStatistics(brokerFields);
      if (broker === undefined)
        throw new StatisticsUnavailableError(`no broker statistics from ${this.where}`);
      const queues = queueMaps
        .map(toQueueStatistics)
        .filter((queue): queue is QueueStatistics => queue !== undefined)
        .filter((queue) => !isInternalQueue(queue.queue, REPLY_QUEUE));
      return { broker, queues };
    } catch (error) {
      throw error instanceof StatisticsUnavailableError
        ? error
        : new StatisticsUnavailableError((error as Error).message, { cause: error });
    }
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private async openSession(): Promise<StatisticsSession> {
    if (this.session !== undefined && !this.session.closed) return this.session;
    const client = await connectStomp(this.target, this.timeouts.connectMs);
    this.session = new StatisticsSession(client);
    return this.session;
  }
}
