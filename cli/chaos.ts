import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { resolveCredentials, resolveDataDir } from "../local/config.js";
import { CHAOS_SIGNING_NAME } from "../local/faults/control.js";
import { checkFaultRules, type FaultRule, parseFaultPlan } from "../local/faults/plan.js";
import type { LiveRule } from "../local/faults/service.js";
import { readRunningCloud } from "../local/instance-lock.js";
import { CliError } from "./api.js";
import { signedFetch } from "./signed-fetch.js";

export const CHAOS_USAGE = `usage:
  mqops chaos list [--json]                  the fault rules in force and how often they still apply
  mqops chaos add --service S --operation OP (--error STATUS:CODE | --delay MS | --drop | --stop-cloud)
                  [--delay MS] [--after N] [--times N]
      S: the signing name (mq, states, secretsmanager, dynamodb, sns, monitoring, events, ecs, execute-api)
      OP: the X-Amz-Target operation (StartExecution, PutItem), a Query Action (Publish), or
          METHOD /path with * for one segment (GET /v1/brokers/*)
      --after N lets the first N matching requests through; --times N applies the rule N times
      e.g. mqops chaos add --service mq --operation "POST /v1/brokers" --error 500:InternalServerErrorException --times 2
  mqops chaos set FILE.json | -              replace every rule with a JSON array (MQOPS_FAULTS's format)
  mqops chaos clear                          remove every rule
  mqops chaos kill BROKER_ID [--instance N] [--for-good]
                                             SIGKILL a broker's instance JVM(s); --for-good uses up its
                                             restarts so the local cloud gives up on it
  mqops chaos stop                           stop the local cloud now (executions are re-run at the next start)`;

async function callChaos(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const dataDir = resolveDataDir();
  const running = readRunningCloud(dataDir);
  if (running === undefined) {
    throw new CliError(`The local cloud is not running on ${dataDir}. Start it with: npm start`);
  }
  const { credentials } = resolveCredentials(dataDir, process.env);
  let response: Response;
  try {
    response = await signedFetch(`${running.url}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials,
      region: running.region,
      service: CHAOS_SIGNING_NAME,
    });
  } catch (error) {
    throw new CliError(`The local cloud at ${running.url} does not answer (${(error as Error).message}).`);
  }
  const text = await response.text();
  const parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  if (!response.ok) {
    throw new CliError(`mqops chaos: ${response.status} ${String(parsed.message ?? parsed.Message ?? text)}`);
  }
  return parsed;
}

/** One line per rule: `mq GET /v1/brokers/* → 429 TooManyRequestsException (2 left)`. */
export function describeRule({ rule, left }: LiveRule): string {
  const outcome = [
    rule.delayMs === undefined ? undefined : `delay ${rule.delayMs} ms`,
    rule.error === undefined ? undefined : `${rule.error.status} ${rule.error.code}`,
    rule.drop === true ? "drop the connection" : undefined,
    rule.stopCloud === true ? "stop the local cloud" : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(", then ");
  return `${rule.service} ${rule.operation} → ${outcome} (${left === null ? "until cleared" : `${left} left`})`;
}

function printState(body: Record<string, unknown>, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(body, null, 2));
    return;
  }
  const rules = (body.rules ?? []) as LiveRule[];
  console.log(rules.length === 0 ? "No fault rules." : rules.map(describeRule).join("\n"));
  console.log(`Faults applied since the start: ${String(body.applied ?? 0)}`);
}

/** `--error 429:TooManyRequestsException` and the other flags as one rule (checked like MQOPS_FAULTS). */
export function ruleFromFlags(values: Record<string, string | boolean | undefined>): FaultRule {
  const rule: Record<string, unknown> = { service: values.service, operation: values.operation };
  if (typeof values.error === "string") {
    const match = /^(\d{3}):(\S+)$/.exec(values.error);
    if (match === null) throw new CliError("--error is STATUS:CODE, e.g. 429:TooManyRequestsException", 2);
    rule.error = { status: Number(match[1]), code: match[2] };
  }
  if (typeof values.delay === "string") rule.delayMs = Number(values.delay);
  if (values.drop === true) rule.drop = true;
  if (values["stop-cloud"] === true) rule.stopCloud = true;
  if (typeof values.times === "string") rule.times = Number(values.times);
  if (typeof values.after === "string") rule.after = Number(values.after);
  try {
    const [checked] = checkFaultRules([rule], "rule");
    if (checked === undefined) throw new Error("rule is missing");
    return checked;
  } catch (error) {
    throw new CliError(`mqops chaos add: ${(error as Error).message}`, 2);
  }
}

/** `mqops chaos …`: drives the local cloud's fault injection through its chaos control route. */
export async function chaosCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      service: { type: "string" },
      operation: { type: "string" },
      error: { type: "string" },
      delay: { type: "string" },
      drop: { type: "boolean" },
      "stop-cloud": { type: "boolean" },
      times: { type: "string" },
      after: { type: "string" },
      instance: { type: "string" },
      "for-good": { type: "boolean" },
    },
  });
  switch (sub) {
    case "list":
      return printState(await callChaos("GET", "/faults"), values.json);
    case "add":
      return printState(await callChaos("POST", "/faults", ruleFromFlags(values)), values.json);
    case "set": {
      const [file] = positionals;
      if (file === undefined) throw new CliError("mqops chaos set FILE.json | -", 2);
      const text = readFileSync(file === "-" ? 0 : file, "utf8");
      let rules: FaultRule[];
      try {
        rules = parseFaultPlan(text, file);
      } catch (error) {
        throw new CliError(`mqops chaos set: ${(error as Error).message}`, 2);
      }
      return printState(await callChaos("PUT", "/faults", { rules }), values.json);
    }
    case "clear":
      return printState(await callChaos("DELETE", "/faults"), values.json);
    case "kill": {
      const [brokerId] = positionals;
      if (brokerId === undefined)
        throw new CliError("mqops chaos kill BROKER_ID [--instance N] [--for-good]", 2);
      const instance = values.instance === undefined ? undefined : Number(values.instance);
      const body = await callChaos("POST", `/brokers/${encodeURIComponent(brokerId)}/kill`, {
        ...(instance === undefined ? {} : { instance }),
        ...(values["for-good"] === true ? { exhaustRestarts: true } : {}),
      });
      console.log(
        values.json
          ? JSON.stringify(body, null, 2)
          : `Killed instance(s) ${((body.killed ?? []) as number[]).join(", ")} of ${brokerId}${values["for-good"] === true ? "; the local cloud will not restart them" : "; the local cloud restarts them"}.`,
      );
      return;
    }
    case "stop":
      await callChaos("POST", "/stop");
      console.log("The local cloud is stopping.");
      return;
    default:
      throw new CliError(CHAOS_USAGE, 2);
  }
}
