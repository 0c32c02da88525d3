import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_HOST_INSTANCE_TYPE, OLDEST_ENGINE_VERSION } from "../functions/lib/amazon-mq.js";
import { CliError, callApi, expectOk } from "./api.js";
import { ldapRequest } from "./ldap-request.js";
import { followExecution } from "./progress.js";

const print = (json: boolean, value: unknown, text: () => string) =>
  console.log(json ? JSON.stringify(value, null, 2) : text());

/** `--user name:password[:group,group]` → a CreateBroker user. */
function parseUser(value: string) {
  const [username = "", password = "", groups] = value.split(":");
  if (username === "" || password === "") throw new CliError(`--user ${value}: expected name:password`);
  return { username, password, ...(groups === undefined ? {} : { groups: groups.split(",") }) };
}

async function create(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: "string" },
      mode: { type: "string", default: "SINGLE_INSTANCE" },
      // The oldest supported version, so that a maintenance run has an upgrade to try.
      "engine-version": { type: "string", default: OLDEST_ENGINE_VERSION },
      "instance-type": { type: "string", default: DEFAULT_HOST_INSTANCE_TYPE },
      user: { type: "string", multiple: true },
      config: { type: "string" },
      ldap: { type: "string" },
      "client-token": { type: "string" },
      "no-wait": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (values.name === undefined) throw new CliError("brokers create: --name is required");
  const users = (values.user ?? []).map(parseUser);
  if (users.length === 0 && values.ldap === undefined) {
    throw new CliError("brokers create: give at least one --user name:password (or --ldap)");
  }
  const ldap = values.ldap === undefined ? undefined : ldapRequest(values.ldap, values.config);
  const body = {
    brokerName: values.name,
    engineType: "ACTIVEMQ",
    engineVersion: values["engine-version"],
    deploymentMode: values.mode,
    hostInstanceType: values["instance-type"],
    users,
    ...(values.config === undefined ? {} : { activemqXml: readFileSync(values.config, "utf8") }),
    ...ldap,
    ...(values["client-token"] === undefined ? {} : { clientToken: values["client-token"] }),
  };
  const started = expectOk(await callApi("POST", "/brokers", body));
  const executionId = String(started.executionId);
  if (values["no-wait"]) {
    print(values.json, started, () => `Provisioning ${values.name}: execution ${executionId}`);
    return;
  }
  const execution = await followExecution(executionId, values.json);
  if (execution.status !== "SUCCEEDED") {
    const error = execution.error as { error?: string; cause?: string } | undefined;
    throw new CliError(
      `Provisioning ${values.name} ${String(execution.status)}: ${error?.error ?? ""} ${error?.cause ?? ""}`,
    );
  }
  const output = execution.output as { brokerId?: string; endpoints?: { urls?: Record<string, string> } };
  print(values.json, execution, () =>
    [
      `Broker ${values.name} is RUNNING (${output.brokerId ?? "?"}).`,
      ...Object.entries(output.endpoints?.urls ?? {}).map(
        ([protocol, url]) => `  ${protocol.padEnd(8)} ${url}`,
      ),
    ].join("\n"),
  );
}

async function list(args: string[]) {
  const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } } });
  const body = expectOk(await callApi("GET", "/brokers"));
  const brokers = (body.brokers ?? []) as Record<string, string>[];
  print(values.json, body, () =>
    brokers.length === 0
      ? "No brokers."
      : brokers
          .map(
            (b) =>
              `${b.brokerId}  ${String(b.brokerName).padEnd(24)} ${String(b.brokerState).padEnd(22)} ${b.deploymentMode}`,
          )
          .join("\n"),
  );
}

async function get(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  const [id] = positionals;
  if (id === undefined) throw new CliError("brokers get: give the broker id");
  const broker = expectOk(await callApi("GET", `/brokers/${encodeURIComponent(id)}`));
  const urls = (broker.urls ?? {}) as Record<string, string>;
  print(values.json, broker, () =>
    [
      `${String(broker.brokerName)} (${String(broker.brokerId)}): ${String(broker.brokerState)}, ${String(broker.deploymentMode)}, ActiveMQ ${String(broker.engineVersion)}`,
      ...Object.entries(urls).map(([protocol, url]) => `  ${protocol.padEnd(8)} ${url}`),
      ...(broker.authenticationStrategy === "LDAP"
        ? [`  ldap     ${((broker.ldap as { hosts?: string[] } | undefined)?.hosts ?? []).join(", ")}`]
        : []),
    ].join("\n"),
  );
}

async function remove(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  const [id] = positionals;
  if (id === undefined) throw new CliError("brokers delete: give the broker id");
  const body = expectOk(await callApi("DELETE", `/brokers/${encodeURIComponent(id)}`));
  print(values.json, body, () => `Deleting ${id}: ${String(body.brokerState ?? "DELETION_IN_PROGRESS")}`);
}

export async function brokersCommand(args: string[]) {
  const [sub, ...rest] = args;
  switch (sub) {
    case "create":
      return create(rest);
    case "list":
      return list(rest);
    case "get":
      return get(rest);
    case "delete":
      return remove(rest);
    default:
      throw new CliError("usage: mqops brokers create|list|get|delete …", 2);
  }
}
