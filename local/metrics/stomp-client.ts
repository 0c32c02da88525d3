import { createRequire } from "node:module";
import { type NetConnectOpts, connect as netConnect, type Socket } from "node:net";

/**
 * A typed face over `stompit` (it ships no types), limited to what the collector and local/mq's
 * replication bridge use: connect with login/passcode (and a client id), subscribe, SEND with an
 * optional receipt, ACK, and notice when the connection ends.
 * stompit is the STOMP client the project's tests already drive ActiveMQ with; its frame codec,
 * header escaping and content-length handling are what a hand-written client would re-implement.
 */

export interface StompMessage {
  headers: Record<string, string>;
  readString(encoding: "utf-8", callback: (error: Error | null, body?: string) => void): void;
}

interface StompitFrame {
  write(body: string): void;
  end(): void;
}

export interface StompitClient {
  /** `onReceipt` asks the broker for a RECEIPT and runs when it comes (the frame has been stored). */
  send(headers: Record<string, string>, options?: { onReceipt?: () => void }): StompitFrame;
  subscribe(
    headers: Record<string, string>,
    listener: (error: Error | null, message: StompMessage) => void,
  ): unknown;
  /** Acknowledges a message of a `client-individual` subscription. */
  ack(message: StompMessage): void;
  destroy(error?: Error): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "end", listener: () => void): void;
}

interface Stompit {
  connect(
    options: {
      host: string;
      port: number;
      timeout: number;
      connectHeaders: Record<string, string>;
      connect: (options: NetConnectOpts, listener: () => void) => Socket;
    },
    callback: (error: Error | null, client: StompitClient) => void,
  ): StompitClient;
}

const stompit = createRequire(import.meta.url)("stompit") as Stompit;

export interface StompTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Sent as `client-id`: names the connection a durable subscription belongs to. */
  clientId?: string;
}

/**
 * Opens a STOMP session; rejects if the TCP connection or the broker's CONNECTED frame does not come
 * within `timeoutMs` (a standby listens on nothing, so it is refused at once). The error never
 * carries the password (stompit attaches its connect options to errors; they are dropped here).
 */
export function connectStomp(target: StompTarget, timeoutMs: number): Promise<StompitClient> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const client = stompit.connect(
      {
        host: target.host,
        port: target.port,
        timeout: timeoutMs,
        // stompit writes a frame in several small chunks: with Nagle's algorithm each request would
        // wait for the broker's delayed ACK (40 ms on Linux).
        connect: (options, listener) => netConnect(options, listener).setNoDelay(true),
        connectHeaders: {
          host: "/",
          login: target.username,
          passcode: target.password,
          ...(target.clientId === undefined ? {} : { "client-id": target.clientId }),
          // No heart-beats: a dead broker is noticed by the caller's own timeout or the connection's end.
          "heart-beat": "0,0",
        },
      },
      (error, connected) => {
        if (settled) {
          if (error === null) connected.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (error === null) {
          // stompit drops its own error listener once connected: an error before the caller adds one
          // must not be an uncaught 'error' event.
          connected.on("error", () => undefined);
          resolve(connected);
        } else reject(new Error(`STOMP connect to ${target.host}:${target.port} failed: ${error.message}`));
      },
    );
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(new Error(`STOMP connect to ${target.host}:${target.port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
}
