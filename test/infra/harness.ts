/**
 * Evaluates sst.config.ts offline under Pulumi's mocks and records every resource it declares.
 *
 * What the SST CLI normally does before `run()` is done here by hand (see shared notes, sst-offline):
 * the globals `$app`, `$dev`, `$cli`, the `$`-helpers of the platform's shim, `sst` and `aws`; a
 * loopback RPC server at SST_SERVER that answers `Provider.Aws.Bootstrap` and `Runtime.Build`; and
 * SST's own `run()` wrapper (retain-on-delete transformations). This leans on SST internals, so it
 * lives in this one file and harness.test.ts fails loudly when the installed SST stops matching it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const PLATFORM = path.join(ROOT, ".sst/platform");
/** The SST version this harness was written against; harness.test.ts compares it with the installed one. */
export const HARNESS_SST_VERSION = "4.17.1";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

/** The parts of @pulumi/pulumi the harness uses, typed here so the root typecheck needs no .sst/. */
interface MockResourceArgs {
  type: string;
  name: string;
  inputs: unknown;
}
interface Mocks {
  newResource(args: MockResourceArgs): { id: string; state: Record<string, unknown> };
  call(args: { token: string; inputs: unknown }): Record<string, unknown>;
}
interface TransformationArgs {
  type: string;
  name: string;
  opts: { retainOnDelete?: boolean };
}
interface Pulumi {
  runtime: {
    setMocks(mocks: Mocks, project: string, stack: string, preview: boolean): Promise<void>;
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    registerStackTransformation(transformation: (args: TransformationArgs) => undefined): void;
  };
  output(value: unknown): { promise(): Promise<unknown> };
}

/** Imports a module of SST's platform by path: the one copy of @pulumi/* that SST itself uses. */
function platformModule(relative: string): Promise<unknown> {
  return import(pathToFileURL(path.join(PLATFORM, relative)).href);
}

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
}

export interface AppConfig {
  name: string;
  home: string;
  removal?: string;
  protect?: boolean;
  providers?: Record<string, unknown>;
}

export interface Evaluation {
  stage: string;
  config: AppConfig;
  outputs: Record<string, unknown>;
  resources: RecordedResource[];
  /** Resource options seen by the last stack transformation (after SST's own), by resource name. */
  options: Map<string, { type: string; retainOnDelete?: boolean }>;
  /** `Runtime.Build` requests: what SST would have bundled. */
  builds: Record<string, unknown>[];
  /** Every JSON-RPC method SST called on the CLI's server. */
  rpcMethods: string[];
}

interface SstConfig {
  app(input: { stage: string }): AppConfig | Promise<AppConfig>;
  run(): Promise<Record<string, unknown> | undefined>;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** The SST version extracted into .sst/platform by `sst install`. */
export function installedSstVersion(): string {
  return readFileSync(path.join(PLATFORM, "version"), "utf8").trim();
}

/** `aws:iam/getPolicyDocument` as AWS would render it, so tests can parse the policy JSON. */
function policyDocumentJson(inputs: Record<string, unknown>): string {
  const statements = Array.isArray(inputs.statements) ? inputs.statements.map(asRecord) : [];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((statement) => {
      const rendered: Record<string, unknown> = {
        Effect: statement.effect === "Deny" || statement.effect === "deny" ? "Deny" : "Allow",
        Action: statement.actions,
      };
      if (statement.resources !== undefined) rendered.Resource = statement.resources;
      if (Array.isArray(statement.principals)) {
        rendered.Principal = Object.fromEntries(
          statement.principals.map(asRecord).map((principal) => [principal.type, principal.identifiers]),
        );
      }
      if (Array.isArray(statement.conditions)) {
        const condition: Record<string, Record<string, unknown>> = {};
        for (const item of statement.conditions.map(asRecord)) {
          const test = String(item.test);
          condition[test] = { ...condition[test], [String(item.variable)]: item.values };
        }
        rendered.Condition = condition;
      }
      return rendered;
    }),
  });
}

/** A plausible ARN for a mocked resource, so ARNs flow into policies and definitions. */
function mockArn(type: string, physical: string): string {
  const [pkg = "", module = "", kind = ""] = type.split(/[:/]/);
  if (pkg !== "aws") return `arn:aws:${module}:${REGION}:${ACCOUNT}:${kind}/${physical}`;
  switch (`${module}/${kind}`) {
    case "lambda/function":
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical}`;
    case "sfn/stateMachine":
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${physical}`;
    case "sns/topic":
      return `arn:aws:sns:${REGION}:${ACCOUNT}:${physical}`;
    case "dynamodb/table":
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${physical}`;
    case "iam/role":
      return `arn:aws:iam::${ACCOUNT}:role/${physical}`;
    case "cloudwatch/logGroup":
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${physical}`;
    default:
      return `arn:aws:${module}:${REGION}:${ACCOUNT}:${kind}/${physical}`;
  }
}

/** The loopback server the SST CLI would run: only the RPC methods the AWS components call offline. */
async function startRpcServer(work: string, builds: Record<string, unknown>[], methods: string[]) {
  const bundle = path.join(work, "bundle");
  mkdirSync(bundle, { recursive: true });
  writeFileSync(path.join(bundle, "index.mjs"), "export const handler = async () => ({});\n");
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const call = asRecord(JSON.parse(body));
      const method = String(call.method);
      const params = Array.isArray(call.params) ? asRecord(call.params[0]) : {};
      methods.push(method);
      let result: unknown;
      let error: string | null = null;
      if (method === "Provider.Aws.Bootstrap") {
        result = {
          asset: "mqops-mock-assets",
          assetEcrRegistryId: ACCOUNT,
          assetEcrUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/mqops-mock-assets`,
          state: "mqops-mock-state",
          appsyncHttp: "",
          appsyncRealtime: "",
        };
      } else if (method === "Runtime.Build") {
        builds.push(params);
        result = { handler: "index.handler", out: bundle, errors: [], sourcemaps: [] };
      } else {
        error = `rpc: can't find method ${method} (the offline harness answers only Bootstrap and Build)`;
      }
      response.writeHead(200, { "Content-Type": "application/json", Connection: "keep-alive" });
      response.end(JSON.stringify({ id: call.id ?? null, result, error }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Waits until no Pulumi RPC (resource registration, invoke) is outstanding. */
async function settle(): Promise<void> {
  const settings = asRecord(await platformModule("node_modules/@pulumi/pulumi/runtime/settings.js"));
  if (typeof settings.waitForRPCs !== "function") {
    throw new Error("SST harness: @pulumi/pulumi no longer exports runtime/settings waitForRPCs");
  }
  let previous = -1;
  for (let round = 0; round < 50; round += 1) {
    await (settings.waitForRPCs as () => Promise<void>)();
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (round > 2 && recorded.length === previous) return;
    previous = recorded.length;
  }
}

const recorded: RecordedResource[] = [];

/**
 * Evaluates the whole app for one stage. Call once per test file: Pulumi's runtime and SST's
 * globals are process-wide.
 */
export async function evaluateApp(stage: string): Promise<Evaluation> {
  if (!existsSync(path.join(PLATFORM, "version"))) {
    throw new Error("SST's platform is not installed in .sst/platform: run `npm run sst:install` first");
  }
  const work = mkdtempSync(path.join(tmpdir(), "mqops-sst-"));
  const builds: Record<string, unknown>[] = [];
  const rpcMethods: string[] = [];
  const { server, url } = await startRpcServer(work, builds, rpcMethods);
  process.env.SST_SERVER = url;
  process.env.SST_STAGE = stage;
  process.env.PULUMI_NODEJS_STACK = stage;

  const pulumi = (await platformModule("node_modules/@pulumi/pulumi/index.js")) as Pulumi;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = asRecord(args.inputs);
        const physical = typeof inputs.name === "string" ? inputs.name : `${args.name}-mock`;
        const arn = mockArn(args.type, physical);
        const state: Record<string, unknown> = {
          ...inputs,
          name: physical,
          arn,
          id: `${args.name}-id`,
          executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${args.name}-id`,
          apiEndpoint: `https://${args.name}-id.execute-api.${REGION}.amazonaws.com`,
          invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`,
          base64: "bW9jaw==",
          hex: "6d6f636b",
        };
        recorded.push({ type: args.type, name: args.name, inputs, state });
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        const inputs = asRecord(args.inputs);
        switch (args.token) {
          case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { ...inputs, json: policyDocumentJson(inputs) };
          case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
          case "aws:index/getRegion:getRegion":
            return { name: REGION, region: REGION, id: REGION, endpoint: `ec2.${REGION}.amazonaws.com` };
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
              accountId: ACCOUNT,
              arn: `arn:aws:iam::${ACCOUNT}:user/mock`,
              userId: "mock",
              id: ACCOUNT,
            };
          default:
            return inputs;
        }
      },
    },
    "mqops",
    stage,
    false,
  );

  const shim = asRecord(await platformModule("src/shim/run.js"));
  const globals = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(shim)) globals[name] = value;
  globals.$dev = false;
  globals.$cli = {
    command: "deploy",
    rpc: url,
    paths: { home: path.join(work, "home"), root: ROOT, work, platform: PLATFORM },
    state: { version: {} },
  };

  const configModule = asRecord(await import(pathToFileURL(path.join(ROOT, "sst.config.ts")).href));
  const sstConfig = configModule.default as SstConfig;
  const config = await sstConfig.app({ stage });
  globals.$app = {
    name: config.name,
    stage,
    removal: config.removal ?? "retain",
    providers: config.providers ?? {},
    protect: config.protect ?? false,
  };
  // SST's components read $app when they load.
  globals.sst = await platformModule("src/components/index.ts");
  globals.aws = await platformModule("node_modules/@pulumi/aws/index.js");

  const options = new Map<string, { type: string; retainOnDelete?: boolean }>();
  const { run } = (await platformModule("src/auto/run.ts")) as {
    run: (program: () => Promise<Record<string, unknown> | undefined>) => Promise<Record<string, unknown>>;
  };
  const cwd = process.cwd();
  let outputs: Record<string, unknown>;
  try {
    // The CLI runs the program as a Pulumi stack; SST's run() registers stack transformations.
    const stackOutputs = await pulumi.runtime.runInPulumiStack(() =>
      run(async () => {
        // Registered after SST's own transformations, so it sees their result.
        pulumi.runtime.registerStackTransformation((args: TransformationArgs) => {
          const entry: { type: string; retainOnDelete?: boolean } = { type: args.type };
          if (args.opts.retainOnDelete !== undefined) entry.retainOnDelete = args.opts.retainOnDelete;
          options.set(args.name, entry);
          return undefined;
        });
        return sstConfig.run();
      }),
    );
    await settle();
    outputs = asRecord(stackOutputs);
  } finally {
    process.chdir(cwd);
    server.close();
  }
  const resolved = asRecord(await pulumi.output(outputs).promise());
  return { stage, config, outputs: resolved, resources: [...recorded], options, builds, rpcMethods };
}

/** Resources of one Pulumi type (`aws:lambda/function:Function`). */
export function ofType(evaluation: Evaluation, type: string): RecordedResource[] {
  return evaluation.resources.filter((resource) => resource.type === type);
}

/** The single resource with this logical name, or a clear failure. */
export function named(evaluation: Evaluation, name: string): RecordedResource {
  const found = evaluation.resources.filter((resource) => resource.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one resource named ${name}, found ${found.length}`);
  }
  return found[0] as RecordedResource;
}
