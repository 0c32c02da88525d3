import { createRequire } from "node:module";

/**
 * A small typed face over `stompit` (which ships no types) for tests that talk to real ActiveMQ
 * brokers over STOMP: connect with login/passcode, send persistent messages and wait for the
 * broker's receipt, receive an exact number of messages with acknowledgements.
 */

export interface StompCredentials {
  username: string;
  password: string;
}

interface StompitMessage {
  headers: Record<string, string>;
  readString(encoding: "utf-8", callback: (error: Error | null, body?: string) => void): void;
}

interface StompitSubscription {
  unsubscribe(): void;
}

interface StompitFrame {
  write(body: string): void;
  end(): void;
}

interface StompitClient {
  send(
    headers: Record<string, string>,
    options?: { onReceipt?: () => void; onError?: (error: Error) => void },
  ): StompitFrame;
  subscribe(
    headers: Record<string, string>,
    listener: (error: Error | null, message: StompitMessage) => void,
  ): StompitSubscription;
  ack(message: StompitMessage): void;
  disconnect(callback?: (error: Error | null) => void): void;
  destroy(error?: Error): void;
  on(event: "error", listener: (error: Error) => void): void;
}

interface Stompit {
  connect(
    options: { host: string; port: number; timeout: number; connectHeaders: Record<string, string> },
    callback: (error: Error | null, client: StompitClient) => void,
  ): StompitClient;
}

const stompit = createRequire(import.meta.url)("stompit") as Stompit;

export class StompSession {
  /** Errors after connecting (a broker killed under us): kept, not thrown from an event handler. */
  readonly errors: Error[] = [];
  /** Rejects with the session's first error; pending sends and receives race against it. */
  private readonly failed: Promise<never>;

  private constructor(private readonly client: StompitClient) {
    this.failed = new Promise<never>((_, reject) => {
      client.on("error", (error) => {
        this.errors.push(error);
        reject(error);
      });
    });
    // Only awaited through races; a session that fails while idle must not be an unhandled rejection.
    this.failed.catch(() => undefined);
  }

  /** Connects to ActiveMQ's STOMP connector on 127.0.0.1 as one of the broker's users. */
  static connect(port: number, credentials: StompCredentials): Promise<StompSession> {
    return new Promise((resolve, reject) => {
      stompit.connect(
        {
          host: "127.0.0.1",
          port,
          timeout: 3_000,
          connectHeaders: {
            host: "/",
            login: credentials.username,
            passcode: credentials.password,
            "heart-beat": "0,0",
          },
        },
        (error, client) => (error === null ? resolve(new StompSession(client)) : reject(error)),
      );
    });
  }

  /**
   * Sends persistent messages; resolves once the broker has receipted every one (stored). `headers`
   * are added to every SEND (`reply-to` for a statistics request, for example).
   */
  async sendPersistent(queue: string, bodies: string[], headers: Record<string, string> = {}): Promise<void> {
    const receipts = bodies.map(
      (body) =>
        new Promise<void>((resolve) => {
          const frame = this.client.send(
            { destination: `/queue/${queue}`, persistent: "true", "content-type": "text/plain", ...headers },
            { onReceipt: resolve },
          );
          frame.write(body);
          frame.end();
        }),
    );
    await Promise.race([Promise.all(receipts), this.failed]);
  }

  /**
   * Receives exactly `count` messages (acknowledging each) or rejects after `timeoutMs`. `headers`
   * are added to the SUBSCRIBE (`transformation: jms-map-json` turns map messages into JSON).
   */
  receive(
    queue: string,
    count: number,
    timeoutMs: number,
    headers: Record<string, string> = {},
  ): Promise<string[]> {
    return Promise.race([this.receiveOnly(queue, count, timeoutMs, headers), this.failed]);
  }

  private receiveOnly(
    queue: string,
    count: number,
    timeoutMs: number,
    headers: Record<string, string>,
  ): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const bodies: string[] = [];
      const timer = setTimeout(() => {
        subscription.unsubscribe();
        reject(new Error(`received ${bodies.length} of ${count} messages from ${queue} in ${timeoutMs} ms`));
      }, timeoutMs);
      const subscription = this.client.subscribe(
        {
          destination: `/queue/${queue}`,
          ack: "client-individual",
          "activemq.prefetchSize": "100",
          ...headers,
        },
        (error, message) => {
          if (error !== null) {
            clearTimeout(timer);
            reject(error);
            return;
          }
          message.readString("utf-8", (readError, body) => {
            if (readError !== null || body === undefined) {
              clearTimeout(timer);
              reject(readError ?? new Error("message without a body"));
              return;
            }
            this.client.ack(message);
            bodies.push(body);
            if (bodies.length === count) {
              clearTimeout(timer);
              subscription.unsubscribe();
              resolve(bodies);
            }
          });
        },
      );
    });
  }

  /** Graceful DISCONNECT (waits for the broker's receipt, so acknowledgements are processed). */
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

  /** Drops the connection without a DISCONNECT (for sessions on a broker that was killed). */
  destroy(): void {
    this.client.destroy();
  }
}
