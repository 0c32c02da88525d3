import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { version as esbuildVersion } from "esbuild";
import {
  type Bundle,
  bundleFloor,
  bundleHandler,
  bytesWithoutSdk,
  floorSource,
  packageBytes,
  sdkUse,
} from "./build.js";
import { bundleName, HANDLERS, lambdaEnvironment } from "./handlers.js";
import { loadOnce, median } from "./load.js";

const USAGE = `Usage: npm run bench:bundles -- [--runs N] [--only TEXT] [--keep]
  Bundles every deployed Lambda handler as SST deploys it (esbuild: ESM, node, minified) and, for
  each, a floor bundle holding only the AWS SDK clients and commands it uses. Prints each bundle's
  size without the AWS SDK (goal: at most 300 kB) and the median time to import it in N fresh
  processes (default 10) next to its floor's, measured alternately in one run (goal: at most 1.3x).
  A third bundle, the handler with the X-Ray SDK stood in for, shows what tracing costs.
  --only keeps the handlers whose path contains TEXT; --keep leaves the bundles on disk.`;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    only: { type: "string" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`--runs must be a positive integer, got ${values.runs}\n\n${USAGE}`);
  process.exit(2);
}
const SIZE_GOAL_BYTES = 300_000;
const LOAD_GOAL_RATIO = 1.3;

interface Measured {
  handler: string;
  bundle: Bundle;
  floor: Bundle;
  withoutXRay: Bundle;
  clients: string[];
  withoutSdk: number;
  loads: number[];
  floorLoads: number[];
  withoutXRayLoads: number[];
}

const kB = (bytes: number) => (bytes / 1000).toFixed(0);
const ms = (millis: number) => millis.toFixed(0);

const outDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-bundles-"));
try {
  const handlers = HANDLERS.filter((handler) => values.only === undefined || handler.includes(values.only));
  const floors = new Map<string, Promise<Bundle>>();
  const measured: Measured[] = [];
  for (const handler of handlers) {
    const bundle = await bundleHandler(handler, outDir);
    const use = sdkUse(bundle);
    const source = floorSource(use);
    const floorPromise = floors.get(source) ?? bundleFloor(`floor-${floors.size + 1}`, source, outDir);
    floors.set(source, floorPromise);
    const floor = await floorPromise;
    measured.push({
      handler,
      bundle,
      floor,
      withoutXRay: await bundleHandler(handler, outDir, { withoutXRay: true }),
      clients: use.clients,
      withoutSdk: bytesWithoutSdk(bundle, floor),
      loads: [],
      floorLoads: [],
      withoutXRayLoads: [],
    });
  }

  // Alternate handler, floor and stand-in, run after run, so all see the same machine load.
  for (let run = 0; run < RUNS; run++) {
    for (const entry of measured) {
      const env = lambdaEnvironment(entry.handler);
      entry.loads.push(loadOnce(entry.bundle.file, env));
      entry.floorLoads.push(loadOnce(entry.floor.file, env));
      entry.withoutXRayLoads.push(loadOnce(entry.withoutXRay.file, env));
    }
    process.stderr.write(`run ${run + 1}/${RUNS}\r`);
  }

  console.log(
    `\nLambda bundles as SST deploys them (esbuild ${esbuildVersion}); load = median import time over ${RUNS} fresh processes, Node ${process.version}`,
  );
  const header = [
    "function".padEnd(36),
    "no-SDK kB".padStart(9),
    "total kB".padStart(9),
    "floor kB".padStart(9),
    "load ms".padStart(8),
    "floor ms".padStart(9),
    "ratio".padStart(6),
    "  goal",
    "no-X-Ray ratio".padStart(15),
    "  largest non-SDK parts (kB)",
  ];
  console.log(header.join(" "));
  let met = 0;
  let sizeMet = 0;
  const ratios: number[] = [];
  const ratiosWithoutXRay: number[] = [];
  for (const entry of measured) {
    const load = median(entry.loads);
    const floorLoad = median(entry.floorLoads);
    const ratio = load / floorLoad;
    // With no SDK client the floor is an empty module: a ratio to it says nothing.
    const comparable = entry.clients.length > 0;
    const ratioWithoutXRay = median(entry.withoutXRayLoads) / floorLoad;
    if (comparable) {
      ratios.push(ratio);
      ratiosWithoutXRay.push(ratioWithoutXRay);
    }
    const sizeOk = entry.withoutSdk <= SIZE_GOAL_BYTES;
    const loadOk = comparable && ratio <= LOAD_GOAL_RATIO;
    if (sizeOk) sizeMet++;
    if (sizeOk && loadOk) met++;
    const verdict = !comparable
      ? `${sizeOk ? "" : "size+"}n/a`
      : sizeOk && loadOk
        ? "ok"
        : [sizeOk ? "" : "size", loadOk ? "" : "load"].filter(Boolean).join("+");
    const parts = packageBytes(entry.bundle, entry.floor)
      .slice(0, 4)
      .map(([name, bytes]) => `${name} ${kB(bytes)}`)
      .join(", ");
    console.log(
      [
        bundleName(entry.handler).padEnd(36),
        kB(entry.withoutSdk).padStart(9),
        kB(entry.bundle.bytes).padStart(9),
        (comparable ? kB(entry.floor.bytes) : "none").padStart(9),
        ms(load).padStart(8),
        ms(floorLoad).padStart(9),
        (comparable ? ratio.toFixed(2) : "-").padStart(6),
        `  ${verdict.padEnd(4)}`,
        (comparable ? ratioWithoutXRay.toFixed(2) : "-").padStart(15),
        `  ${parts}`,
      ].join(" "),
    );
  }
  const withSdk = measured.filter((entry) => entry.clients.length > 0).length;
  console.log(
    `\n${sizeMet} of ${measured.length} functions are at most ${kB(SIZE_GOAL_BYTES)} kB without the SDK; ` +
      `${met} of the ${withSdk} with SDK clients also load in at most ${LOAD_GOAL_RATIO}x their floor ` +
      (ratios.length > 0
        ? `(median ratio ${median(ratios).toFixed(2)}, worst ${Math.max(...ratios).toFixed(2)}).`
        : "(none here)."),
  );
  if (ratiosWithoutXRay.length > 0) {
    const within = ratiosWithoutXRay.filter((ratio) => ratio <= LOAD_GOAL_RATIO).length;
    console.log(
      `Without the X-Ray SDK (Powertools Tracer's dependency, stood in for): ${within} of ${withSdk} within ` +
        `${LOAD_GOAL_RATIO}x (median ratio ${median(ratiosWithoutXRay).toFixed(2)}, worst ${Math.max(...ratiosWithoutXRay).toFixed(2)}).`,
    );
  }
  console.log(
    "floor = a bundle of only the SDK clients (made at module scope), commands and paginators the function keeps;",
  );
  console.log(
    "no-X-Ray ratio = the same function with aws-xray-sdk-core replaced by identity functions, over the same floor (attribution only).",
  );
  console.log("n/a = the function uses no SDK client, so it has no floor to compare with.");
  if (values.keep) console.log(`bundles kept in ${outDir}`);
} finally {
  if (!values.keep) rmSync(outDir, { recursive: true, force: true });
}
