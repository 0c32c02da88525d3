import { createRequire } from "node:module";
import { CliError, callApi, expectOk } from "./api.js";

/*
 * What `mqops consume` and `mqops load` share: broker credentials, the broker's STOMP failover URL,
 * and a typed face over `stompit` (which ships no types).
 */

export interface BrokerCredentials {
  username: string;
  password: string;
}

/**
 * `--user name:password` (the password may contain `:`), else MQ_USERNAME and MQ_PASSWORD. Pure.
 * Messages never contain the password.
 */
export function brokerCredentials(user: string | undefined, env: NodeJS.ProcessEnv): BrokerCredentials {
  if (user !== undefined) {
    const colon = user.indexOf(":");
    const username = colon === -1 ? user : user.slice(0, colon);
    const password = colon === -1 ? "" : user.slice(colon + 1);
    if (username === "" || password === "") throw new CliError("--user: expected name:password");
    return { username, password };
  }
  const username = env.MQ_USERNAME ?? "";
  const password = env.MQ_PASSWORD ?? "";
  if (username === "" || password === "") {
    throw new CliError(
      "give the broker's credentials with --user name:password or MQ_USERNAME and MQ_PASSWORD",
    );
  }
  return { username, password };
}

/**
 * The URL stompit understands for a broker's STOMP endpoints: a failover URL stays as it is, a
 * cluster's comma-separated list becomes one (any member will do), a single URL is used alone. Pure.
 */
export function failoverUrl(stompUrls: string): string {
  if (stompUrls.startsWith("failover:") || !stompUrls.includes(",")) return stompUrls;
  return `failover:(${stompUrls})`;
}

/** The broker's STOMP URL from the local cloud's HTTP API (GET /brokers/{id}). */
export async function brokerStompUrl(brokerId: string): Promise<string> {
  const broker = expectOk(await callApi("GET", `/brokers/${encodeURIComponent(brokerId)}`));
  const urls = (broker.urls ?? {}) as Record<string, string | undefined>;
  if (urls.stomp === undefined || urls.stomp === "") {
    throw new CliError(
      `Broker ${brokerId} has no STOMP endpoint yet (state ${String(broker.brokerState)}). Wait until it is RUNNING.`,
    );
  }
  return failoverUrl(urls.stomp);
}

/** Host and port of each server in a (failover) URL, for messages: never any credentials. */
export function describeServers(url: string): string {
  return url.replace(/^failover:\(([^)]*)\).*$/, "$1").replace(/\/\/[^@/]*@/g, "//");
}

export interface StompMessage {
  headers: Record<string, string>;
  readString(encoding: "utf-8", callback: (error: Error | null, body?: string) => void): void;
}

export interface StompClient {
  subscribe(
    headers: Record<string, string>,
    listener: (error: Error | null, message: StompMessage) => void,
  ): { unsubscribe(): void };
  ack(message: StompMessage): void;
  disconnect(callback?: (error: Error | null) => void): void;
  destroy(error?: Error): void;
  on(event: "error", listener: (error: Error) => void): void;
}

export interface StompError extends Error {
  /** True when the broker answered with an ERROR frame (bad credentials), not a network failure. */
  isApplicationError?: () => boolean;
}

/** One server of a failover URL (its connect options hold the credentials too: never print them). */
export interface FailoverServer {
  serverProperties: { connectOptions: { host?: string; port?: number } };
}

export interface ConnectFailover {
  connect(callback: (error: StompError | null, client: StompClient, reconnect: () => void) => void): {
    abort(): void;
  };
  on(event: "error", listener: (error: StompError) => void): void;
  on(event: "connect" | "connecting", listener: (server: FailoverServer) => void): void;
}

export interface StompChannel {
  send(headers: Record<string, string>, body: string, callback: (error: Error | null) => void): void;
  close(error?: Error): void;
}

interface Stompit {
  ConnectFailover: new (url: string, options: Record<string, unknown>) => ConnectFailover;
  Channel: new (failover: ConnectFailover, options?: { alwaysConnected?: boolean }) => StompChannel;
}

const stompit = createRequire(import.meta.url)("stompit") as Stompit;

/**
 * A stompit ConnectFailover over the URL's servers with the credentials. It retries for ever (a broker
 * may be restarting or failing over), waiting at most 2 s between attempts so that a consumer is
 * back within a few seconds of the standby taking over.
 */
export function connectFailover(url: string, credentials: BrokerCredentials): ConnectFailover {
  return new stompit.ConnectFailover(url, {
    initialReconnectDelay: 100,
    maxReconnectDelay: 2000,
    connect: {
      timeout: 5000,
      connectHeaders: { host: "/", login: credentials.username, passcode: credentials.password },
    },
  });
}

/** A stompit Channel: it resends the sends the broker has not confirmed after a reconnect. */
export const sendingChannel = (failover: ConnectFailover): StompChannel =>
  new stompit.Channel(failover, { alwaysConnected: true });

const serverName = (server: FailoverServer) =>
  `${server.serverProperties.connectOptions.host ?? "?"}:${server.serverProperties.connectOptions.port ?? "?"}`;

/**
 * Logs connection trouble once per outage. A standby that refuses connections while its partner
 * accepts them is normal (stompit tries the servers in turn), so a failure is reported only when no
 * server has answered for `quietMs`, and then the reconnection too.
 */
export function reportConnections(
  failover: ConnectFailover,
  log: (line: string) => void,
  quietMs = 3000,
): void {
  let connected = false;
  let lastError = "no answer";
  let reported = false;
  let timer: NodeJS.Timeout | undefined;
  const outage = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      reported = true;
      log(`cannot connect to the broker (${lastError}); retrying`);
    }, quietMs);
    timer.unref();
  };
  outage();
  failover.on("connecting", () => {
    if (connected) {
      connected = false;
      outage();
    }
  });
  failover.on("error", (error) => {
    lastError = error.message;
  });
  failover.on("connect", (server) => {
    connected = true;
    clearTimeout(timer);
    timer = undefined;
    log(`${reported ? "reconnected" : "connected"} to ${serverName(server)}`);
    reported = false;
  });
}
