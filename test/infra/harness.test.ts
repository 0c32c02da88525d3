import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Evaluation,
  evaluateApp,
  HARNESS_SST_VERSION,
  installedSstVersion,
  ofType,
  PLATFORM,
  ROOT,
} from "./harness.js";

const REINSTALL = "run `npm run sst:install`";
const REVIEW =
  "test/infra/harness.ts stands in for the SST CLI and leans on SST internals: review it against .sst/platform/src, then update HARNESS_SST_VERSION";

describe("the offline SST harness", () => {
  it("finds SST's platform installed", () => {
    expect(existsSync(path.join(PLATFORM, "version")), `.sst/platform is missing: ${REINSTALL}`).toBe(true);
  });

  it("matches the installed SST version", () => {
    const pinned = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).devDependencies.sst;
    expect(pinned, `sst must stay pinned exactly to the version the harness knows. ${REVIEW}`).toBe(
      HARNESS_SST_VERSION,
    );
    expect(installedSstVersion(), `.sst/platform is stale: ${REINSTALL}. ${REVIEW}`).toBe(
      HARNESS_SST_VERSION,
    );
  });

  it("finds the SST internals it stands in for", () => {
    const source = (relative: string) => readFileSync(path.join(PLATFORM, relative), "utf8");
    expect(source("src/shim/run.js"), REVIEW).toContain('$config as "$config"');
    expect(source("src/auto/run.ts"), REVIEW).toContain("export async function run(");
    expect(source("src/components/aws/function.ts"), REVIEW).toContain('"Runtime.Build"');
    expect(source("src/components/aws/helpers/bootstrap.ts"), REVIEW).toContain('"Provider.Aws.Bootstrap"');
    expect(source("src/components/rpc/rpc.ts"), REVIEW).toContain("process.env.SST_SERVER");
    expect(source("node_modules/@pulumi/pulumi/runtime/settings.js"), REVIEW).toContain(
      "exports.waitForRPCs = waitForRPCs",
    );
  });

  describe("evaluating the app", () => {
    let evaluation: Evaluation;
    beforeAll(async () => {
      evaluation = await evaluateApp("ci");
    });

    it("records resources through Pulumi's mocks (one copy of @pulumi/pulumi)", () => {
      expect(
        ofType(evaluation, "aws:lambda/function:Function").length,
        `no Lambda was recorded: the mocks were ignored, probably a second @pulumi/pulumi. ${REVIEW}`,
      ).toBeGreaterThan(0);
    });

    it("answers every RPC SST makes", () => {
      expect(new Set(evaluation.rpcMethods), REVIEW).toEqual(
        new Set(["Provider.Aws.Bootstrap", "Runtime.Build"]),
      );
    });

    it("builds every Lambda through Runtime.Build", () => {
      expect(evaluation.builds.length, REVIEW).toBe(
        ofType(evaluation, "aws:lambda/function:Function").length,
      );
    });
  });
});

describe("sst.config.ts as the SST CLI loads it", () => {
  it("bundles with esbuild: every import under sst.config.ts resolves", async () => {
    const esbuild = (await import(
      pathToFileURL(path.join(PLATFORM, "node_modules/esbuild/lib/main.js")).href
    )) as EsbuildModule;
    const result = await esbuild.build({
      entryPoints: [path.join(ROOT, "sst.config.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      write: false,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles.length).toBeGreaterThan(0);
  });
});

interface EsbuildModule {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[]; outputFiles: unknown[] }>;
}
