/**
 * What a Lambda's code really calls, read from its source: every `new XxxCommand(` and every
 * `requireEnv("NAME")` in the handler file and in each project file it imports (relative imports,
 * transitively). The IAM test compares this with infra/grants.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { IMPLIED_ACTIONS } from "../../infra/grants.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** IAM service prefix of each AWS SDK v3 package the functions use. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  "@aws-sdk/client-mq": "mq",
  "@aws-sdk/client-sfn": "states",
  "@aws-sdk/client-secrets-manager": "secretsmanager",
  "@aws-sdk/client-sns": "sns",
  "@aws-sdk/client-dynamodb": "dynamodb",
  "@aws-sdk/lib-dynamodb": "dynamodb",
  "@aws-sdk/client-cloudwatch": "cloudwatch",
  "@aws-sdk/client-ecs": "ecs",
  "@aws-sdk/client-eventbridge": "events",
};

/** lib-dynamodb's document commands and the DynamoDB actions they call. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Put: "PutItem",
  Get: "GetItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  Query: "Query",
  Scan: "Scan",
  BatchGet: "BatchGetItem",
  BatchWrite: "BatchWriteItem",
  TransactGet: "TransactGetItems",
  TransactWrite: "TransactWriteItems",
};

/** `functions/api/create-broker.handler` → the absolute path of its source file. */
export function handlerFile(handler: string): string {
  return path.join(ROOT, `${handler.replace(/\.[A-Za-z_$][\w$]*$/, "")}.ts`);
}

/** The file and every project file it reaches through relative imports. */
export function reachableFiles(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    if (!existsSync(file)) throw new Error(`imported file does not exist: ${path.relative(ROOT, file)}`);
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const specifier = match[1] ?? "";
      visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts")));
    }
  };
  visit(entry);
  return [...seen].sort();
}

interface SdkImport {
  imported: string;
  pkg: string;
}

/** Local name → imported name and package, for what a file imports from AWS SDK packages. */
function sdkImports(source: string): Map<string, SdkImport> {
  const imports = new Map<string, SdkImport>();
  for (const match of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/[^"]+)"/g)) {
    const [, names = "", pkg = ""] = match;
    for (const specifier of names.split(",")) {
      const parts = specifier.trim().split(/\s+as\s+/);
      const imported = parts[0]?.replace(/^type\s+/, "").trim() ?? "";
      const local = (parts[1] ?? imported).trim();
      if (local !== "") imports.set(local, { imported, pkg });
    }
  }
  return imports;
}

/** IAM actions of the SDK commands one file constructs (`new XxxCommand(`, aliases included). */
export function sdkCallsOfFile(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const where = path.relative(ROOT, file);
  const imports = sdkImports(source);
  const actions: string[] = [];
  for (const match of source.matchAll(/new\s+([A-Za-z0-9_$]+)\s*\(/g)) {
    const local = match[1] ?? "";
    const sdk = imports.get(local);
    if (sdk === undefined) {
      if (local.endsWith("Command"))
        throw new Error(`${where}: ${local} is not imported from an @aws-sdk package`);
      continue;
    }
    if (!sdk.imported.endsWith("Command")) continue;
    const name = sdk.imported.replace(/Command$/, "");
    const service = SERVICE_OF_PACKAGE[sdk.pkg];
    if (service === undefined)
      throw new Error(`${where}: no IAM service known for ${sdk.pkg} (test/infra/sdk-calls.ts)`);
    if (sdk.pkg === "@aws-sdk/lib-dynamodb") {
      const action = DOCUMENT_COMMANDS[name];
      if (action === undefined) throw new Error(`${where}: unknown document command ${sdk.imported}`);
      actions.push(`dynamodb:${action}`);
    } else {
      actions.push(`${service}:${name}`);
    }
  }
  return actions;
}

/** Every IAM action a handler needs: its SDK calls plus the extras AWS documents (IMPLIED_ACTIONS). */
export function requiredActions(entry: string): string[] {
  const calls = new Set(reachableFiles(entry).flatMap(sdkCallsOfFile));
  for (const call of [...calls]) {
    for (const implied of IMPLIED_ACTIONS[call]?.actions ?? []) calls.add(implied);
  }
  return [...calls].sort();
}

/**
 * Every environment variable a handler reads with `requireEnv("…")`, or through `provisioningEnv()`
 * (functions/lib/env.ts), which requires the variables it declares with `requiredText()`.
 */
export function requiredEnvironment(entry: string): string[] {
  const names = new Set<string>();
  for (const file of reachableFiles(entry)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/requireEnv\(\s*"([A-Z0-9_]+)"\s*\)/g)) {
      names.add(match[1] ?? "");
    }
    if (/\bprovisioningEnv\(\)/.test(text)) {
      const declared = readFileSync(path.join(ROOT, "functions/lib/env.ts"), "utf8");
      for (const match of declared.matchAll(/([A-Z0-9_]+):\s*requiredText\(\)/g)) names.add(match[1] ?? "");
    }
  }
  return [...names].sort();
}
