import { parseArgs } from "node:util";
import { CliError, callApi, expectOk } from "./api.js";

export async function executionsCommand(args: string[]) {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      status: { type: "string" },
      limit: { type: "string" },
    },
  });
  if (sub === "get") {
    const [id] = positionals;
    if (id === undefined) throw new CliError("executions get: give the execution id");
    const view = expectOk(await callApi("GET", `/executions/${encodeURIComponent(id)}`));
    const error = view.error as { error?: string; cause?: string } | undefined;
    console.log(
      values.json
        ? JSON.stringify(view, null, 2)
        : [
            `${id}: ${String(view.status)} (step ${String(view.currentStep ?? "-")})`,
            ...(error === undefined ? [] : [`  ${error.error}: ${error.cause ?? ""}`]),
          ].join("\n"),
    );
    return;
  }
  if (sub === "list") {
    const query = new URLSearchParams();
    if (values.status !== undefined) query.set("status", values.status);
    if (values.limit !== undefined) query.set("limit", values.limit);
    const suffix = query.size === 0 ? "" : `?${query}`;
    const body = expectOk(await callApi("GET", `/executions${suffix}`));
    const executions = (body.executions ?? []) as Record<string, string>[];
    console.log(
      values.json
        ? JSON.stringify(body, null, 2)
        : executions.length === 0
          ? "No executions."
          : executions
              .map((e) => `${String(e.executionId).padEnd(48)} ${String(e.status).padEnd(10)} ${e.startDate}`)
              .join("\n"),
    );
    return;
  }
  throw new CliError("usage: mqops executions get <id> | list [--status S] [--limit N]", 2);
}
