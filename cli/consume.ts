import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { CliError } from "./api.js";
import { formatDuration } from "./load-plan.js";
import {
  brokerCredentials,
  brokerStompUrl,
  connectFailover,
  describeServers,
  failoverUrl,
  reportConnections,
  type StompClient,
  type StompMessage,
} from "./stomp-connection.js";

export const CONSUME_USAGE = `usage: mqops consume --broker ID --queue Q [--service-ms 200] [--prefetch 1] [--user name:password]
                     [--url failover:(stomp://h1:p1,stomp://h2:p2)]
Consumes Q with client acknowledgements: each message takes --service-ms, then is acknowledged.
Every option has an environment variable (what an ECS task of the image mqops/consumer sets):
  MQOPS_BROKER_ID, MQOPS_QUEUE, MQOPS_SERVICE_MS, MQOPS_PREFETCH, MQOPS_BROKER_URL, MQ_USERNAME, MQ_PASSWORD
A message with a numeric "mqops-service-ms" header (mqops load --shape trace sets it) takes that long instead.`;

const BODY_TIMEOUT_MS = 5000;

/** A message header that overrides --service-ms: `mqops load --shape trace` sets it from the trace. */
export const SERVICE_MS_HEADER = "mqops-service-ms";

export interface ConsumerSettings {
  brokerId?: string;
  /** A STOMP URL to use as it is (no API call), e.g. an Amazon MQ broker's failover URL. */
  url?: string;
  queue: string;
  serviceMs: number;
  prefetch: number;
}

function wholeNumber(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min)
    throw new CliError(`${name}: expected a whole number ≥ ${min}`);
  return value;
}

/** Flags win over the environment, which wins over the defaults. Pure. */
export function consumerSettings(
  values: { broker?: string; url?: string; queue?: string; "service-ms"?: string; prefetch?: string },
  env: NodeJS.ProcessEnv,
): ConsumerSettings {
  const brokerId = values.broker ?? env.MQOPS_BROKER_ID;
  const url = values.url ?? env.MQOPS_BROKER_URL;
  const queue = values.queue ?? env.MQOPS_QUEUE;
  if (brokerId === undefined && url === undefined) {
    throw new CliError(`consume: give --broker ID (or MQOPS_BROKER_ID)\n${CONSUME_USAGE}`, 2);
  }
  if (queue === undefined || queue === "") {
    throw new CliError(`consume: give --queue Q (or MQOPS_QUEUE)\n${CONSUME_USAGE}`, 2);
  }
  return {
    brokerId,
    url,
    queue,
    serviceMs: wholeNumber("--service-ms", values["service-ms"] ?? env.MQOPS_SERVICE_MS ?? "200", 0),
    prefetch: wholeNumber("--prefetch", values.prefetch ?? env.MQOPS_PREFETCH ?? "1", 1),
  };
}

/** The time a message takes: its own header if it has a valid one, else the consumer's setting. Pure. */
export function serviceTimeMs(headers: Record<string, string>, defaultMs: number): number {
  const value = Number(headers[SERVICE_MS_HEADER]);
  return Number.isFinite(value) && value >= 0 ? value : defaultMs;
}

/**
 * With MQOPS_WAITS_FILE set, each message's wait in the queue (from the broker's JMS timestamp to the
 * moment the consumer takes it up) is appended to that file in milliseconds, one per line: what
 * `mqops demo autoscaling` computes its p95 wait from.
 */
function recordWait(headers: Record<string, unknown>) {
  const file = process.env.MQOPS_WAITS_FILE;
  const sentAt = Number(headers.timestamp);
  if (file === undefined || file === "" || !Number.isFinite(sentAt) || sentAt <= 0) return;
  appendFileSync(file, `${Math.max(0, Date.now() - sentAt)}\n`);
}

const log = (line: string) => console.log(`[mqops consume] ${new Date().toISOString()} ${line}`);

/**
 * `mqops consume`: the built-in consumer. Connects with the broker's failover URL and keeps
 * reconnecting through a failover; processes one message at a time (taking its service time) and
 * acknowledges it after. SIGTERM or SIGINT: no new message is taken, the current one is finished and
 * acknowledged, and it disconnects; messages prefetched but not processed are not acknowledged, so the
 * broker hands them to another consumer (a NACK would send them to ActiveMQ's DLQ). A second signal
 * exits at once.
 */
export async function consumeCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      broker: { type: "string" },
      url: { type: "string" },
      queue: { type: "string" },
      "service-ms": { type: "string" },
      prefetch: { type: "string" },
      user: { type: "string" },
    },
  });
  const settings = consumerSettings(values, process.env);
  const credentials = brokerCredentials(values.user, process.env);
  const url =
    settings.url === undefined ? await brokerStompUrl(settings.brokerId ?? "") : failoverUrl(settings.url);

  let stopping = false;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(signal === "SIGINT" ? 130 : 143);
    log(`${signal}: finishing the current message, then disconnecting`);
    stopping = true;
    wake?.();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const inbox: { client: StompClient; message: StompMessage }[] = [];
  let current: StompClient | undefined;
  let fatal: Error | undefined;
  let processed = 0;
  const startedAt = Date.now();

  const failover = connectFailover(url, credentials);
  reportConnections(failover, log);
  const connector = failover.connect((error, client, reconnect) => {
    if (error !== null) {
      fatal = new CliError(`mqops consume: ${error.message}`);
      stopping = true;
      wake?.();
      return;
    }
    current = client;
    client.on("error", (lost) => {
      if (current === client) current = undefined;
      // Messages of the lost connection cannot be acknowledged on the next: the broker redelivers them.
      inbox.splice(0, inbox.length);
      if (stopping) return;
      log(`connection lost (${lost.message}); failing over`);
      reconnect();
    });
    client.subscribe(
      {
        destination: `/queue/${settings.queue}`,
        ack: "client-individual",
        "activemq.prefetchSize": String(settings.prefetch),
      },
      (subscribeError, message) => {
        if (subscribeError !== null) return; // The client's "error" handler fails over.
        inbox.push({ client, message });
        wake?.();
      },
    );
  });
  log(
    `consuming ${settings.queue} from ${describeServers(url)} (service ${settings.serviceMs} ms, prefetch ${settings.prefetch})`,
  );

  const progress = setInterval(() => {
    const seconds = (Date.now() - startedAt) / 1000;
    log(
      `processed ${processed} messages in ${formatDuration(Date.now() - startedAt)} (${(processed / seconds).toFixed(1)}/s)`,
    );
  }, 10_000);
  progress.unref();

  while (!stopping) {
    const next = inbox.shift();
    if (next === undefined) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
      continue;
    }
    // A body cut off by a lost connection may never end: do not let it hold the consumer.
    await Promise.race([
      new Promise<void>((resolve) => next.message.readString("utf-8", () => resolve())),
      sleep(BODY_TIMEOUT_MS, undefined, { ref: false }),
    ]);
    recordWait(next.message.headers);
    await sleep(serviceTimeMs(next.message.headers, settings.serviceMs));
    if (next.client === current) {
      next.client.ack(next.message);
      processed += 1;
    }
  }
  clearInterval(progress);
  connector.abort();
  const client = current;
  current = undefined;
  if (client !== undefined) {
    await Promise.race([
      new Promise<void>((resolve) => client.disconnect(() => resolve())),
      sleep(3000).then(() => client.destroy()),
    ]);
  }
  log(`stopped: processed ${processed} messages in ${formatDuration(Date.now() - startedAt)}`);
  if (fatal !== undefined) throw fatal;
}
