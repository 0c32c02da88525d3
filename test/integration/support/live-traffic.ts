import { setTimeout as sleep } from "node:timers/promises";
import {
  type BrokerCredentials,
  connectFailover,
  type StompChannel,
  type StompClient,
  sendingChannel,
} from "../../../cli/stomp-connection.js";

export interface TrafficFigures {
  /** Sends the broker confirmed (receipt). */
  confirmed: number;
  /** Confirmed sends never received. */
  lost: number;
  /** Deliveries of a message already received (redelivered after a failover). */
  duplicates: number;
  /** The longest time between two confirmed sends: the outage a producer saw. */
  longestSendGapMs: number;
  /** Sends that failed outright (the channel gave up on them). */
  failedSends: number;
}

/**
 * Live traffic on a broker's failover URL, as an application keeps it up during maintenance: one
 * producer sending persistent, numbered messages one after another (each confirmed by the broker's
 * receipt; stompit's Channel resends an unconfirmed one after reconnecting) and one consumer
 * acknowledging each message (client-individual), reconnecting whenever its connection drops.
 */
export class LiveTraffic {
  private readonly confirmedAt: number[] = [];
  private readonly confirmed = new Set<number>();
  private readonly received = new Map<number, number>();
  private failedSends = 0;
  private producing = false;
  private producer: Promise<void> | undefined;
  private channel: StompChannel | undefined;
  private consumerClient: StompClient | undefined;
  private consuming = false;

  constructor(
    private readonly url: string,
    private readonly credentials: BrokerCredentials,
    private readonly queue: string,
    private readonly pauseMs = 20,
  ) {}

  start(): void {
    this.consuming = true;
    this.consume();
    this.producing = true;
    this.channel = sendingChannel(connectFailover(this.url, this.credentials));
    this.producer = this.produce();
  }

  get receivedCount(): number {
    return this.received.size;
  }

  get confirmedCount(): number {
    return this.confirmed.size;
  }

  private async produce(): Promise<void> {
    let sequence = 0;
    while (this.producing) {
      sequence += 1;
      const n = sequence;
      const ok = await new Promise<boolean>((resolve) => {
        this.channel?.send(
          { destination: `/queue/${this.queue}`, persistent: "true", "mqops-seq": String(n) },
          String(n),
          (error) => resolve(error === null),
        );
      });
      if (ok) {
        this.confirmed.add(n);
        this.confirmedAt.push(Date.now());
      } else {
        this.failedSends += 1;
      }
      await sleep(this.pauseMs);
    }
  }

  private consume(): void {
    const failover = connectFailover(this.url, this.credentials);
    failover.connect((error, client, reconnect) => {
      if (error !== null) return;
      this.consumerClient = client;
      client.on("error", () => {
        if (this.consuming) reconnect();
      });
      client.subscribe(
        { destination: `/queue/${this.queue}`, ack: "client-individual", "activemq.prefetchSize": "50" },
        (subscribeError, message) => {
          if (subscribeError !== null) return;
          message.readString("utf-8", (readError, body) => {
            if (readError !== null || body === undefined) return;
            const n = Number(body);
            this.received.set(n, (this.received.get(n) ?? 0) + 1);
            client.ack(message);
          });
        },
      );
    });
  }

  /** Stops producing, waits (up to `drainMs`) for every confirmed message to arrive, and reports. */
  async stop(drainMs = 20_000): Promise<TrafficFigures> {
    this.producing = false;
    await this.producer;
    this.channel?.close();
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline && [...this.confirmed].some((n) => !this.received.has(n))) await sleep(100);
    this.consuming = false;
    const client = this.consumerClient;
    if (client !== undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          client.destroy();
          resolve();
        }, 2_000);
        client.disconnect(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    let longestSendGapMs = 0;
    for (let i = 1; i < this.confirmedAt.length; i++) {
      longestSendGapMs = Math.max(
        longestSendGapMs,
        (this.confirmedAt[i] ?? 0) - (this.confirmedAt[i - 1] ?? 0),
      );
    }
    const lost = [...this.confirmed].filter((n) => !this.received.has(n)).length;
    const duplicates = [...this.received.values()].reduce((sum, count) => sum + count - 1, 0);
    return {
      confirmed: this.confirmed.size,
      lost,
      duplicates,
      longestSendGapMs,
      failedSends: this.failedSends,
    };
  }
}
