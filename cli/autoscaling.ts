import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CliError, callApi, expectOk } from "./api.js";

const USAGE = `usage:
  mqops autoscaling register --broker ID --queue Q --cluster C --service S
                             [--min N] [--max N] [--target-wait SECONDS] [--startup SECONDS]
                             [--stabilisation SECONDS] [--scale-to-zero] [--quiet-period SECONDS]
                             [--activation N] [--settings settings.json] [--json]
  mqops autoscaling get --broker ID --queue Q [--json]
  mqops autoscaling deregister --broker ID --queue Q [--json]`;

/** Flags that map onto the policy's settings; the file given with --settings is the base they override. */
const SETTING_FLAGS = {
  min: "minConsumers",
  max: "maxConsumers",
  "target-wait": "targetWaitSeconds",
  startup: "consumerStartupSeconds",
  stabilisation: "scaleInStabilisationSeconds",
} as const;

const OPTIONS = {
  broker: { type: "string" },
  queue: { type: "string" },
  cluster: { type: "string" },
  service: { type: "string" },
  min: { type: "string" },
  max: { type: "string" },
  "target-wait": { type: "string" },
  startup: { type: "string" },
  stabilisation: { type: "string" },
  "scale-to-zero": { type: "boolean" },
  "quiet-period": { type: "string" },
  activation: { type: "string" },
  settings: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>["values"];

/** A number when the flag reads as one; otherwise the text as given, so the API's 400 names the field. */
const numberOr = (text: string): number | string =>
  text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;

/** The PUT body from register's flags. Pure (the settings file is read by the caller). */
export function registrationBody(values: Values, settingsFile?: Record<string, unknown>) {
  if (values.cluster === undefined || values.service === undefined) {
    throw new CliError("autoscaling register: --cluster and --service are required");
  }
  const settings: Record<string, unknown> = { ...(settingsFile ?? {}) };
  for (const [flag, field] of Object.entries(SETTING_FLAGS)) {
    const text = values[flag as keyof typeof SETTING_FLAGS];
    if (text !== undefined) settings[field] = numberOr(text);
  }
  const zero = { ...((settings.scaleToZero as Record<string, unknown> | undefined) ?? {}) };
  if (values["scale-to-zero"] !== undefined) zero.enabled = values["scale-to-zero"];
  if (values["quiet-period"] !== undefined) zero.quietPeriodSeconds = numberOr(values["quiet-period"]);
  if (values.activation !== undefined) zero.activationQueueSize = numberOr(values.activation);
  if (Object.keys(zero).length > 0) settings.scaleToZero = zero;
  return { ecs: { cluster: values.cluster, service: values.service }, settings };
}

/** The API path of a queue's registration. */
export function registrationPath(values: Values): string {
  if (values.broker === undefined || values.queue === undefined) {
    throw new CliError("autoscaling: --broker and --queue are required");
  }
  return `/brokers/${encodeURIComponent(values.broker)}/queues/${encodeURIComponent(values.queue)}/autoscaling`;
}

function readSettingsFile(file: string | undefined): Record<string, unknown> | undefined {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`--settings ${file}: ${(error as Error).message}`);
  }
}

/** GET's answer as a few lines a person reads: alarms, fleet, and the last decisions with their reasons. Pure. */
export function describeRegistration(view: Record<string, unknown>): string {
  const alarms = (view.alarms ?? []) as { kind: string; state: string }[];
  const fleet = (view.fleet ?? {}) as Record<string, unknown>;
  const ecs = (view.ecs ?? {}) as Record<string, unknown>;
  const settings = (view.settings ?? {}) as Record<string, unknown>;
  const decisions = (view.decisions ?? []) as Record<string, unknown>[];
  const lines = [
    `${String(view.queue)} on ${String(view.brokerName)} (${String(view.brokerId)}) → ECS ${String(ecs.cluster)}/${String(ecs.service)}`,
    `  consumers ${String(settings.minConsumers)}..${String(settings.maxConsumers)}, wait target ${String(settings.targetWaitSeconds)} s, period ${String(view.periodSeconds)} s`,
    `  alarms: ${alarms.map((alarm) => `${alarm.kind} ${alarm.state}`).join(", ")}`,
    fleet.status === "MISSING"
      ? "  fleet: the service does not exist"
      : `  fleet: desired ${String(fleet.desired)}, running ${String(fleet.running)}, pending ${String(fleet.pending)}`,
    decisions.length === 0 ? "  no decisions yet" : "  last decisions (newest first):",
    ...decisions.map((decision) =>
      decision.outcome === "failed"
        ? `    ${String(decision.at)}  failed: ${String(decision.error)} ${String(decision.cause ?? "")}`
        : `    ${String(decision.at)}  ${String(decision.action).padEnd(9)} ${String(decision.previousDesired)} → ${String(decision.desired)}  ${String(decision.reason)}`,
    ),
  ];
  return lines.join("\n");
}

export async function autoscalingCommand(args: string[]) {
  const [sub, ...rest] = args;
  if (sub !== "register" && sub !== "get" && sub !== "deregister") throw new CliError(USAGE, 2);
  const { values } = parseArgs({ args: rest, options: OPTIONS });
  const path = registrationPath(values);
  const print = (value: unknown, text: () => string) =>
    console.log(values.json ? JSON.stringify(value, null, 2) : text());
  if (sub === "register") {
    const body = registrationBody(values, readSettingsFile(values.settings));
    const response = await callApi("PUT", path, body);
    const view = expectOk(response);
    const alarms = (view.alarms ?? []) as { alarmName: string }[];
    print(view, () =>
      [
        `${response.status === 201 ? "Registered" : "Updated"} ${String(view.queue)} on ${String(view.brokerName)} for autoscaling (${String(view.registrationId)}).`,
        ...alarms.map((alarm) => `  alarm ${alarm.alarmName}`),
      ].join("\n"),
    );
    return;
  }
  if (sub === "get") {
    const view = expectOk(await callApi("GET", path));
    print(view, () => describeRegistration(view));
    return;
  }
  const removed = expectOk(await callApi("DELETE", path));
  print(
    removed,
    () => `Deregistered ${String(removed.queue)}: alarms deleted, the service keeps its desired count.`,
  );
}
