import { connectStomp, type StompitClient } from "../../local/metrics/stomp-client.js";

/**
 * Measures a broker's send → receive round trip over STOMP: one persistent message at a time to a
 * queue this probe alone consumes, timed from SEND to its MESSAGE.
 */
export class RoundTripProbe {
  private waiting: { id: string; resolve: () => void } | undefined;
  private sequence = 0;

  private constructor(
    private readonly client: StompitClient,
    private readonly queue: string,
  ) {
    client.subscribe({ destination: `/queue/${queue}`, ack: "auto" }, (error, message) => {
      if (error !== null) return;
      const id = message.headers["probe-id"];
      message.readString("utf-8", () => {
        if (this.waiting !== undefined && this.waiting.id === id) {
          const { resolve } = this.waiting;
          this.waiting = undefined;
          resolve();
        }
      });
    });
  }

  static async connect(
    port: number,
    credentials: { username: string; password: string },
    queue: string,
  ): Promise<RoundTripProbe> {
    const client = await connectStomp({ host: "127.0.0.1", port, ...credentials }, 5_000);
    return new RoundTripProbe(client, queue);
  }

  /** One round trip, in ms. */
  async once(timeoutMs = 10_000): Promise<number> {
    this.sequence += 1;
    const id = String(this.sequence);
    const started = process.hrtime.bigint();
    const received = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`round trip ${id} took over ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting = {
        id,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
    const frame = this.client.send({
      destination: `/queue/${this.queue}`,
      persistent: "true",
      "probe-id": id,
    });
    frame.write(`probe ${id}`);
    frame.end();
    await received;
    return Number(process.hrtime.bigint() - started) / 1e6;
  }

  close(): void {
    this.client.destroy();
  }
}
