import { randomUUID } from "node:crypto";
import stompit, { type Client } from "stompit";
import { errorMessage } from "../lib/error-message.js";

/**
 * The broker probes of the maintenance workflow over STOMP (`stompit`, typed in stompit.d.ts and
 * imported statically so that esbuild bundles it into the Lambda): connect as a broker user through
 * the failover list, a message round trip, the broker's queues (destination advisories) and its
 * statistics (statisticsBrokerPlugin), then disconnect.
 */

type StompitClient = Client;

export interface StompEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

export interface BrokerLogin {
  username: string;
  password: string;
}

/** The STOMP endpoints of a broker's instances (`stomp+ssl://h:61614` on Amazon MQ, `stomp://` locally). Pure. */
export function stompEndpoints(endpoints: string[]): StompEndpoint[] {
  return endpoints.flatMap((endpoint) => {
    const match = /^(stomp\+ssl|stomp\+nio\+ssl|stomp|stomp\+nio):\/\/([^:/]+):(\d+)/.exec(endpoint);
    if (match === null) return [];
    const [, scheme = "", host = "", port = ""] = match;
    return [{ host, port: Number(port), tls: scheme.endsWith("ssl") }];
  });
}

/** A STOMP session on whichever instance accepts it (the active one of a pair), as `failover:` does. */
export class StompProbe {
  private readonly failed: Promise<never>;

  private constructor(
    private readonly client: StompitClient,
    readonly endpoint: StompEndpoint,
  ) {
    this.failed = new Promise<never>((_, reject) => client.on("error", reject));
    this.failed.catch(() => undefined);
  }

  /** Tries each endpoint in order; rejects with every endpoint's error when none accepts the login. */
  static async connect(
    endpoints: StompEndpoint[],
    login: BrokerLogin,
    timeoutMs = 5_000,
  ): Promise<StompProbe> {
    const errors: string[] = [];
    for (const endpoint of endpoints) {
      try {
        const client = await new Promise<StompitClient>((resolve, reject) => {
          stompit.connect(
            {
              host: endpoint.host,
              port: endpoint.port,
              ...(endpoint.tls ? { ssl: true } : {}),
              timeout: timeoutMs,
              connectHeaders: {
                host: "/",
                login: login.username,
                passcode: login.password,
                "heart-beat": "0,0",
              },
            },
            (error, connected) => (error === null ? resolve(connected) : reject(error)),
          );
        });
        return new StompProbe(client, endpoint);
      } catch (error) {
        errors.push(`${endpoint.host}:${endpoint.port}: ${errorMessage(error)}`);
      }
    }
    throw new Error(
      endpoints.length === 0
        ? "the broker lists no STOMP endpoint"
        : `no instance accepted: ${errors.join("; ")}`,
    );
  }

  private race<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([work, this.failed, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Sends one persistent message to `queue` (waiting for the broker's receipt) and receives it back
   * (selected by its probe id, so other messages on the queue are left alone). Resolves with the
   * milliseconds the round trip took.
   */
  roundTrip(queue: string, timeoutMs = 5_000): Promise<number> {
    const probeId = randomUUID();
    const started = Date.now();
    const work = new Promise<number>((resolve, reject) => {
      const subscription = this.client.subscribe(
        { destination: `/queue/${queue}`, ack: "client-individual", selector: `mqopsProbe = '${probeId}'` },
        (error, message) => {
          if (error !== null) {
            reject(error);
            return;
          }
          // stompit delivers nothing more until a message's body is read.
          message.readString("utf-8", () => {
            this.client.ack(message);
            subscription.unsubscribe();
            resolve(Date.now() - started);
          });
        },
      );
      const frame = this.client.send(
        {
          destination: `/queue/${queue}`,
          persistent: "true",
          mqopsProbe: probeId,
          "content-type": "text/plain",
        },
        { onReceipt: () => undefined },
      );
      frame.write(`mqops maintenance probe ${probeId}`);
      frame.end();
    });
    return this.race(work, timeoutMs, `the round trip on ${queue}`);
  }

  /**
   * The broker's queues, from the destination advisories ActiveMQ replays to a new subscriber of
   * `ActiveMQ.Advisory.Queue` (as JSON, `transformation: jms-advisory-json`). Collects until no
   * advisory has arrived for `quietMs`.
   */
  async queues(quietMs = 750, timeoutMs = 10_000): Promise<string[]> {
    const names = new Set<string>();
    const work = new Promise<void>((resolve, reject) => {
      let quiet = setTimeout(done, quietMs);
      const subscription = this.client.subscribe(
        { destination: "/topic/ActiveMQ.Advisory.Queue", transformation: "jms-advisory-json" },
        (error, message) => {
          if (error !== null) {
            clearTimeout(quiet);
            reject(error);
            return;
          }
          message.readString("utf-8", (readError, body) => {
            if (readError === null && body !== undefined) {
              const advisory = parseQueueAdvisory(body);
              if (advisory?.added === true) names.add(advisory.queue);
              if (advisory?.added === false) names.delete(advisory.queue);
            }
            clearTimeout(quiet);
            quiet = setTimeout(done, quietMs);
          });
        },
      );
      function done() {
        subscription.unsubscribe();
        resolve();
      }
    });
    await this.race(work, timeoutMs, "listing the queues");
    return [...names].sort();
  }

  /**
   * The broker's statistics from statisticsBrokerPlugin (`ActiveMQ.Statistics.Broker`), or undefined
   * when nothing answers (the plugin is not in the broker's configuration).
   */
  async brokerStatistics(timeoutMs = 3_000): Promise<Record<string, number> | undefined> {
    const replyTo = `/temp-queue/mqops-statistics-${randomUUID()}`;
    const work = new Promise<Record<string, number>>((resolve, reject) => {
      const subscription = this.client.subscribe(
        { destination: replyTo, transformation: "jms-map-json" },
        (error, message) => {
          if (error !== null) {
            reject(error);
            return;
          }
          message.readString("utf-8", (readError, body) => {
            subscription.unsubscribe();
            if (readError !== null || body === undefined) reject(readError ?? new Error("empty statistics"));
            else resolve(parseStatisticsMap(body));
          });
        },
      );
      const frame = this.client.send({
        destination: "/queue/ActiveMQ.Statistics.Broker",
        "reply-to": replyTo,
      });
      frame.end();
    });
    try {
      return await this.race(work, timeoutMs, "the statistics request");
    } catch {
      return undefined;
    }
  }

  /** DISCONNECT with a receipt (acknowledgements processed), or drop the socket after 3 s. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 3_000);
      this.client.disconnect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * A destination advisory as `jms-advisory-json` renders it (XStream:
 * `{"DestinationInfo":{"destination":{"@class":"ActiveMQQueue","string":"orders"},"operationType":0}}`):
 * the queue's name and whether it was added (0) or removed (1). Pure; undefined for anything else.
 */
export function parseQueueAdvisory(body: string): { queue: string; added: boolean } | undefined {
  const name = /"destination"\s*:\s*\{[^}]*?"string"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  if (name === undefined) return undefined;
  const operation = /"operationType"\s*:\s*(\d+)/.exec(body)?.[1];
  return { queue: name, added: operation !== "1" };
}

/** `{"map":{"entry":[{"string":"size","long":3},…]}}` → `{ size: 3, … }` (numbers only). Pure. */
export function parseStatisticsMap(body: string): Record<string, number> {
  const parsed = JSON.parse(body) as { map?: { entry?: Record<string, unknown>[] } };
  const values: Record<string, number> = {};
  for (const entry of parsed.map?.entry ?? []) {
    const [name, value] = Object.values(entry);
    if (typeof name === "string" && (typeof value === "number" || typeof value === "string")) {
      const number = Number(value);
      if (!Number.isNaN(number)) values[name] = number;
    }
  }
  return values;
}
