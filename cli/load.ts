import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { readTraceFile } from "../bench/autoscaling/traces.js";
import { CliError } from "./api.js";
import { SERVICE_MS_HEADER } from "./consume.js";
import {
  formatDuration,
  type LoadShape,
  parseDuration,
  parseRate,
  plannedCount,
  progressIntervalMs,
  serviceSecondsAt,
} from "./load-plan.js";
import {
  brokerCredentials,
  brokerStompUrl,
  connectFailover,
  describeServers,
  failoverUrl,
  reportConnections,
  sendingChannel,
} from "./stomp-connection.js";

export const LOAD_USAGE = `usage: mqops load --broker ID --queue Q --rate 50/s --for 10m [--shape steady|ramp|square|trace FILE.csv]
                  [--period 1m] [--user name:password] [--url failover:(stomp://h1:p1,stomp://h2:p2)]
Sends persistent messages to Q at the shape's rate and prints what it sent:
  steady  the rate throughout            ramp    from 0 up to the rate over the run
  square  the rate for --period, then nothing for --period, and again
  trace   per-minute arrivals from a CSV "minute,arrivals[,meanServiceSeconds]" (the bench's format);
          --rate is not used, --for defaults to the trace's length; each message carries the minute's
          service time in the "mqops-service-ms" header, which mqops consume honours
Credentials: --user or MQ_USERNAME and MQ_PASSWORD.`;

/** Sends the broker has not confirmed yet, at most: a broker that is down must not fill the memory. */
const MAX_IN_FLIGHT = 2000;
const TICK_MS = 10;

/** The shape and duration from the flags (and the trace file). */
export function loadPlan(values: {
  rate?: string;
  for?: string;
  shape?: string;
  period?: string;
  trace?: string;
}): { shape: LoadShape; durationMs: number; describe: string } {
  const kind = values.shape ?? "steady";
  try {
    if (kind === "trace") {
      if (values.trace === undefined)
        throw new Error("--shape trace needs the trace file: --shape trace FILE.csv");
      const trace = readTraceFile(values.trace);
      const durationMs =
        values.for === undefined ? trace.arrivals.length * 60_000 : parseDuration(values.for);
      return {
        shape: { kind: "trace", arrivalsPerMinute: trace.arrivals, serviceSeconds: trace.serviceSeconds },
        durationMs,
        describe: `trace ${values.trace} (${trace.arrivals.length} min)`,
      };
    }
    if (values.rate === undefined) throw new Error("give --rate (e.g. 50/s)");
    if (values.for === undefined) throw new Error("give --for (e.g. 10m)");
    const ratePerSecond = parseRate(values.rate);
    const durationMs = parseDuration(values.for);
    const rate = `${Number(ratePerSecond.toFixed(3))}/s`;
    switch (kind) {
      case "steady":
        return { shape: { kind, ratePerSecond }, durationMs, describe: `steady ${rate}` };
      case "ramp":
        return { shape: { kind, ratePerSecond }, durationMs, describe: `ramp 0 → ${rate}` };
      case "square": {
        const periodMs = parseDuration(values.period ?? "1m");
        return {
          shape: { kind, ratePerSecond, periodMs },
          durationMs,
          describe: `square ${rate} / 0 every ${formatDuration(periodMs)}`,
        };
      }
      default:
        throw new Error(`--shape ${kind}: expected steady, ramp, square or trace`);
    }
  } catch (error) {
    throw new CliError(`load: ${(error as Error).message}\n${LOAD_USAGE}`, 2);
  }
}

const log = (line: string) => console.log(`[mqops load] ${line}`);

/**
 * `mqops load`: a producer of persistent messages, sent through a stompit Channel over the broker's
 * failover URL, which resends what the broker had not confirmed when a connection is lost (so a
 * failover loses nothing and may duplicate a few). It prints what the broker confirmed per interval
 * and a total, and stops at the end of the run, or on SIGTERM/SIGINT (after the outstanding
 * confirmations, at most 10 s).
 */
export async function loadCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      broker: { type: "string" },
      url: { type: "string" },
      queue: { type: "string" },
      rate: { type: "string" },
      for: { type: "string" },
      shape: { type: "string" },
      period: { type: "string" },
      trace: { type: "string" },
      user: { type: "string" },
    },
  });
  const brokerId = values.broker ?? process.env.MQOPS_BROKER_ID;
  const urlFlag = values.url ?? process.env.MQOPS_BROKER_URL;
  const queue = values.queue ?? process.env.MQOPS_QUEUE;
  if (brokerId === undefined && urlFlag === undefined)
    throw new CliError(`load: give --broker ID\n${LOAD_USAGE}`, 2);
  if (queue === undefined || queue === "") throw new CliError(`load: give --queue Q\n${LOAD_USAGE}`, 2);
  const plan = loadPlan({ ...values, trace: values.trace ?? positionals[0] });
  const credentials = brokerCredentials(values.user, process.env);
  const url = urlFlag === undefined ? await brokerStompUrl(brokerId ?? "") : failoverUrl(urlFlag);

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(signal === "SIGINT" ? 130 : 143);
    log(`${signal}: stopping after the outstanding confirmations`);
    stopping = true;
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const failover = connectFailover(url, credentials);
  let fatal: string | undefined;
  reportConnections(failover, log);
  failover.on("error", (error) => {
    // The broker answered the CONNECT with an ERROR frame (bad credentials): retrying will not help.
    if (error.isApplicationError?.() === true) {
      fatal = error.message;
      stopping = true;
    }
  });
  const channel = sendingChannel(failover);
  let sent = 0;
  let confirmed = 0;
  let failed = 0;
  const send = (elapsedMs: number) => {
    sent += 1;
    const serviceSeconds = serviceSecondsAt(plan.shape, elapsedMs);
    const headers: Record<string, string> = {
      destination: `/queue/${queue}`,
      persistent: "true",
      "content-type": "application/json",
      ...(serviceSeconds === undefined
        ? {}
        : { [SERVICE_MS_HEADER]: String(Math.round(serviceSeconds * 1000)) }),
    };
    channel.send(headers, JSON.stringify({ seq: sent, sentAt: new Date().toISOString() }), (error) => {
      if (error === null) confirmed += 1;
      else failed += 1;
    });
  };

  log(
    `sending to ${queue} on ${describeServers(url)}: ${plan.describe} for ${formatDuration(plan.durationMs)}`,
  );
  const startedAt = Date.now();
  const interval = progressIntervalMs(plan.durationMs);
  let nextReport = interval;
  let confirmedAtLastReport = 0;
  for (;;) {
    const elapsed = Math.min(Date.now() - startedAt, plan.durationMs);
    const due = plannedCount(plan.shape, elapsed, plan.durationMs);
    while (!stopping && sent < due && sent - confirmed - failed < MAX_IN_FLIGHT) send(elapsed);
    while (elapsed >= nextReport) {
      const perSecond = ((confirmed - confirmedAtLastReport) * 1000) / interval;
      log(`${formatDuration(nextReport).padStart(8)}  sent ${confirmed} (${perSecond.toFixed(1)}/s)`);
      confirmedAtLastReport = confirmed;
      nextReport += interval;
    }
    if (stopping || (elapsed >= plan.durationMs && sent >= due)) break;
    await sleep(TICK_MS);
  }
  const deadline = Date.now() + (fatal === undefined ? 10_000 : 0);
  while (confirmed + failed < sent && Date.now() < deadline) await sleep(TICK_MS);
  channel.close();
  const tookMs = Date.now() - startedAt;
  const unconfirmed = sent - confirmed - failed;
  log(
    `total: sent ${confirmed} persistent messages to ${queue} in ${formatDuration(tookMs)} ` +
      `(${((confirmed * 1000) / Math.max(tookMs, 1)).toFixed(1)}/s)` +
      (failed + unconfirmed > 0 ? `; ${failed + unconfirmed} not confirmed by the broker` : ""),
  );
  if (fatal !== undefined) throw new CliError(`mqops load: the broker refused the connection: ${fatal}`);
  if (failed + unconfirmed > 0)
    throw new CliError("mqops load: some messages were not confirmed by the broker");
}
