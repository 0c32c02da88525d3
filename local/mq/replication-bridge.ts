import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { connectStomp, type StompitClient } from "../metrics/stomp-client.js";

/**
 * The one-way bridge of a local CRDR pair: a durable subscription on the primary's mirror topics
 * (`<prefix>>`, filled by ActiveMQ's mirrored queues) whose messages are sent to the same queue on
 * the replica and acknowledged on the primary only once the replica confirmed them (receipt): at
 * least once, a few duplicates possible after a reconnect. Any error drops both connections and
 * the bridge connects again a second later; the durable subscription keeps what came meanwhile.
 */

/** One broker of the pair: its instances' STOMP ports (only the active one answers) and a user. */
export interface BridgeEndpoint {
  stompPorts: number[];
  username: string;
  password: string;
}

export interface BridgeOptions {
  /** Read at every (re)connect: a reboot or a user change takes effect on the next connection. */
  source: () => BridgeEndpoint | undefined;
  target: () => BridgeEndpoint | undefined;
  mirrorPrefix: string;
  /** The durable subscription's client id on the source: one per direction of a pair. */
  clientId: string;
  log: (line: string) => void;
}

/** The queue whose mirrored copies mark a point in the stream (see `drain`). */
export const MARKER_QUEUE = "mqops.replication-marker";
const CONNECT_TIMEOUT_MS = 2_000;
const RECONNECT_MS = 1_000;
/** Headers the broker sets on delivery; the replica sets its own. */
const DELIVERY_HEADERS = new Set([
  "message-id",
  "destination",
  "subscription",
  "ack",
  "timestamp",
  "redelivered",
  "original-destination",
  "content-length",
  "expires",
]);

/** The first instance that accepts a STOMP session (the active one of a pair); errors carry no password. */
async function connectActive(endpoint: BridgeEndpoint, clientId?: string): Promise<StompitClient> {
  const reasons: string[] = [];
  for (const port of endpoint.stompPorts) {
    try {
      const { username, password } = endpoint;
      return await connectStomp(
        { host: "127.0.0.1", port, username, password, clientId },
        CONNECT_TIMEOUT_MS,
      );
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  throw new Error(`no instance answered (${reasons.join("; ")})`);
}

/** Whether an instance of the broker completes a STOMP handshake now (a frozen or dead one does not). */
export async function answers(endpoint: BridgeEndpoint | undefined): Promise<boolean> {
  if (endpoint === undefined) return false;
  try {
    (await connectActive(endpoint)).destroy();
    return true;
  } catch {
    return false;
  }
}

export class ReplicationBridge {
  private running = false;
  private loop: Promise<void> | undefined;
  private clients: StompitClient[] = [];
  private wake: (() => void) | undefined;
  private readonly markers = new Map<string, () => void>();
  private unconfirmed = 0;
  private forwardedTotal = 0;
  private connectedNow = false;
  private sendMarker: ((id: string) => void) | undefined;

  constructor(private readonly options: BridgeOptions) {}

  /** Messages taken from the primary that the replica has not confirmed yet. */
  get inFlight(): number {
    return this.unconfirmed;
  }

  get forwarded(): number {
    return this.forwardedTotal;
  }

  /** Both sides connected and the subscription open. */
  get connected(): boolean {
    return this.connectedNow;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.dropConnections();
    this.wake?.();
    await this.loop;
  }

  /**
   * Resolves once everything the primary mirrored before this call has reached the replica: a marker
   * message is sent to the primary and awaited at the end of the stream (the durable subscription
   * keeps the order). Rejects after `timeoutMs`.
   */
  async drain(timeoutMs: number): Promise<void> {
    const id = randomUUID();
    const reached = new Promise<void>((resolve) => this.markers.set(id, resolve));
    const deadline = Date.now() + timeoutMs;
    try {
      while (this.sendMarker === undefined) {
        if (Date.now() > deadline) throw new Error("the bridge did not connect");
        await sleep(100);
      }
      this.sendMarker(id);
      const timedOut = sleep(Math.max(0, deadline - Date.now())).then(() => "timeout" as const);
      if ((await Promise.race([reached, timedOut])) === "timeout") {
        throw new Error(`replication did not catch up within ${timeoutMs} ms`);
      }
    } finally {
      this.markers.delete(id);
    }
  }

  private async allConfirmed(): Promise<void> {
    while (this.unconfirmed > 0) {
      if (!this.connectedNow) throw new Error("the bridge lost a connection before the replica confirmed");
      await sleep(20);
    }
  }

  private dropConnections() {
    this.connectedNow = false;
    this.sendMarker = undefined;
    for (const client of this.clients) client.destroy();
    this.clients = [];
    this.unconfirmed = 0;
  }

  private async run(): Promise<void> {
    let lastProblem = "";
    while (this.running) {
      try {
        await this.session();
      } catch (error) {
        const problem = (error as Error).message;
        if (problem !== lastProblem) this.options.log(`replication ${this.options.clientId}: ${problem}`);
        lastProblem = problem;
      }
      this.dropConnections();
      if (!this.running) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, RECONNECT_MS);
      });
    }
  }

  /** One connection pair; resolves or rejects when either side ends. */
  private async session(): Promise<void> {
    const source = this.options.source();
    const target = this.options.target();
    if (source === undefined || target === undefined) throw new Error("a broker of the pair is not running");
    const to = await connectActive(target);
    this.clients.push(to);
    const from = await connectActive(source, this.options.clientId);
    this.clients.push(from);
    if (!this.running) return;
    const ended = new Promise<void>((_resolve, reject) => {
      for (const client of [from, to]) {
        client.on("error", (error) => reject(error));
        client.on("end", () => reject(new Error("connection ended")));
      }
    });
    const prefix = this.options.mirrorPrefix;
    from.subscribe(
      {
        destination: `/topic/${prefix}>`,
        ack: "client-individual",
        "activemq.subscriptionName": this.options.clientId,
        "activemq.prefetchSize": "1000",
      },
      (error, message) => {
        if (error !== null) return;
        const topic = (message.headers.destination ?? "").replace(/^\/topic\//, "");
        const queue = topic.slice(prefix.length);
        this.unconfirmed++;
        message.readString("utf-8", (readError, body) => {
          if (readError !== null || body === undefined) return;
          if (queue === MARKER_QUEUE) {
            this.unconfirmed--;
            from.ack(message);
            const reached = this.markers.get(message.headers["mqops-marker"] ?? "");
            // Caught up once every message before the marker is confirmed by the replica too.
            if (reached !== undefined) void this.allConfirmed().then(reached, () => undefined);
            return;
          }
          const headers = Object.fromEntries(
            Object.entries(message.headers).filter(([name]) => !DELIVERY_HEADERS.has(name)),
          );
          const frame = to.send(
            { ...headers, destination: `/queue/${queue}` },
            {
              onReceipt: () => {
                from.ack(message);
                this.unconfirmed = Math.max(0, this.unconfirmed - 1);
                this.forwardedTotal++;
              },
            },
          );
          frame.write(body);
          frame.end();
        });
      },
    );
    this.sendMarker = (id) => {
      // The queue's own copy expires unread; the mirrored copy is what the bridge waits for.
      const frame = from.send({
        destination: `/queue/${MARKER_QUEUE}`,
        persistent: "true",
        expires: String(Date.now() + 60_000),
        "mqops-marker": id,
      });
      frame.write("");
      frame.end();
    };
    this.connectedNow = true;
    await ended;
  }
}
