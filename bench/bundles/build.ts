import path from "node:path";
import { type BuildOptions, build, type Metafile, type Plugin } from "esbuild";
import { bundleName, handlerSource, ROOT } from "./handlers.js";

/**
 * esbuild as SST 4 builds a Node function for deployment (pkg/runtime/node/build.go): ESM, node
 * platform, target esnext, `module` before `main`, names kept, minified, its createRequire banner,
 * the AWS SDK bundled (only `sharp` and `pg-native` are forced external).
 */
export const SST_OPTIONS: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "esnext",
  mainFields: ["module", "main"],
  keepNames: true,
  minify: true,
  external: ["sharp", "pg-native"],
  banner: {
    js: [
      `import { createRequire as topLevelCreateRequire } from 'module';`,
      "const require = topLevelCreateRequire(import.meta.url);",
      `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
      "const __filename = topLevelFileUrlToPath(import.meta.url)",
      `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
    ].join("\n"),
  },
  metafile: true,
  logLevel: "silent",
};

export interface Bundle {
  file: string;
  bytes: number;
  /** Bytes in the output per input module (node_modules paths or project files). */
  inputs: Record<string, number>;
}

function onlyOutput(metafile: Metafile | undefined): Bundle {
  if (metafile === undefined) throw new Error("esbuild returned no metafile");
  const [file, output] = Object.entries(metafile.outputs).find(([name]) => name.endsWith(".mjs")) ?? [];
  if (file === undefined || output === undefined) throw new Error("esbuild wrote no bundle");
  const inputs = Object.fromEntries(
    Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]),
  );
  return { file: path.resolve(ROOT, file), bytes: output.bytes, inputs };
}

/**
 * `aws-xray-sdk-core` replaced by a module whose every export is the identity function: enough for
 * Powertools Tracer to load and wrap clients, so the difference in load time is what the X-Ray SDK
 * costs. For attribution only; such a bundle is never deployed.
 */
const WITHOUT_XRAY_SDK: Plugin = {
  name: "without-xray-sdk",
  setup(build) {
    build.onResolve({ filter: /^aws-xray-sdk-core$/ }, () => ({
      path: "aws-xray-sdk-core",
      namespace: "stand-in",
    }));
    build.onLoad({ filter: /.*/, namespace: "stand-in" }, () => ({
      contents: [
        "function identity(value) { return value; }",
        'module.exports = new Proxy({}, { get: (_, name) => (name === "__esModule" ? undefined : identity) });',
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * Bundles one handler as SST would deploy it, or with `withoutXRay` the same handler with the X-Ray SDK
 * stood in for (see WITHOUT_XRAY_SDK).
 */
export async function bundleHandler(
  handler: string,
  outDir: string,
  { withoutXRay = false } = {},
): Promise<Bundle> {
  const result = await build({
    ...SST_OPTIONS,
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, handlerSource(handler))],
    outfile: path.join(outDir, `${bundleName(handler)}${withoutXRay ? ".without-xray" : ""}.mjs`),
    plugins: withoutXRay ? [WITHOUT_XRAY_SDK] : [],
  });
  return onlyOutput(result.metafile);
}

/** The npm package an input belongs to (`@scope/name` or `name`), or undefined for project files. */
export function packageOf(input: string): string | undefined {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

const SDK_SCOPE = /^@(aws-sdk|smithy|aws-crypto)\//;

/**
 * What a handler uses of the AWS SDK, read from its bundle: the client classes, commands and
 * paginators whose modules esbuild kept after tree shaking.
 */
export interface SdkUse {
  /** package → names imported from it. */
  imports: Map<string, Set<string>>;
  clients: string[];
}

export function sdkUse(bundle: Bundle): SdkUse {
  const imports = new Map<string, Set<string>>();
  const add = (pkg: string, name: string) => imports.set(pkg, (imports.get(pkg) ?? new Set()).add(name));
  for (const input of Object.keys(bundle.inputs)) {
    const match = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\/dist-es\/(.+)\.js$/.exec(
      input,
    );
    if (match === null) continue;
    const [, pkg = "", file = ""] = match;
    const client = /^(\w+Client)$/.exec(file)?.[1];
    const command = /^commands\/(\w+Command)$/.exec(file)?.[1];
    const paginator = /^pagination\/(\w+)Paginator$/.exec(file)?.[1];
    if (client !== undefined) add(pkg, client);
    if (command !== undefined) add(pkg, command);
    if (paginator !== undefined) add(pkg, `paginate${paginator}`);
  }
  const clients = [...imports.values()].flatMap((names) =>
    [...names].filter((name) => name.endsWith("Client")),
  );
  return { imports, clients: clients.sort() };
}

/**
 * The source of the floor: the same SDK clients made at module scope (as functions/lib does) and
 * the same commands and paginators, nothing else.
 */
export function floorSource(use: SdkUse): string {
  const packages = [...use.imports].sort(([a], [b]) => a.localeCompare(b));
  // Namespace imports: lib-dynamodb and client-dynamodb both export `QueryCommand`.
  const lines = packages.map(([pkg], index) => `import * as sdk${index} from "${pkg}";`);
  const dynamoDb = packages.findIndex(([pkg]) => pkg === "@aws-sdk/client-dynamodb");
  const made: string[] = [];
  const others: string[] = [];
  packages.forEach(([, names], index) => {
    for (const name of [...names].sort()) {
      const value = `sdk${index}.${name}`;
      if (!name.endsWith("Client")) others.push(value);
      else if (name === "DynamoDBDocumentClient")
        made.push(`${value}.from(new sdk${dynamoDb}.DynamoDBClient({}))`);
      else if (name !== "DynamoDBClient" || !use.clients.includes("DynamoDBDocumentClient"))
        made.push(`new ${value}({})`);
    }
  });
  lines.push(`export const clients = [${made.join(", ")}];`);
  lines.push(`export const used = [${others.join(", ")}];`);
  return `${lines.join("\n")}\n`;
}

/** Bundles a floor source with the same options as the handlers. */
export async function bundleFloor(name: string, source: string, outDir: string): Promise<Bundle> {
  const result = await build({
    ...SST_OPTIONS,
    absWorkingDir: ROOT,
    stdin: { contents: source, resolveDir: ROOT, sourcefile: `${name}.floor.mjs`, loader: "js" },
    outfile: path.join(outDir, `${name}.mjs`),
  });
  return onlyOutput(result.metafile);
}

/**
 * A handler's bytes excluding the AWS SDK: every input that is neither in an SDK scope
 * (@aws-sdk, @smithy, @aws-crypto) nor in its floor (what the SDK pulls in, e.g. tslib).
 */
export function bytesWithoutSdk(bundle: Bundle, floor: Bundle): number {
  return Object.entries(bundle.inputs)
    .filter(([input]) => !SDK_SCOPE.test(packageOf(input) ?? "") && floor.inputs[input] === undefined)
    .reduce((sum, [, bytes]) => sum + bytes, 0);
}

/** Non-SDK bytes per package (project files count as `(mqops)`), largest first. */
export function packageBytes(bundle: Bundle, floor: Bundle): [string, number][] {
  const totals = new Map<string, number>();
  for (const [input, bytes] of Object.entries(bundle.inputs)) {
    const pkg = packageOf(input);
    if (SDK_SCOPE.test(pkg ?? "") || floor.inputs[input] !== undefined) continue;
    const key = pkg ?? "(mqops)";
    totals.set(key, (totals.get(key) ?? 0) + bytes);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
