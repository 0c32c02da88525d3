import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../functions/api/routes.js";
import { WORKFLOWS } from "../../workflows/index.js";
import { PLATFORM, ROOT } from "./harness.js";
import { handlerFile } from "./sdk-calls.js";

interface BuildResult {
  errors: unknown[];
  metafile: { outputs: Record<string, { entryPoint?: string; exports: string[] }> };
}
interface Esbuild {
  build(options: Record<string, unknown>): Promise<BuildResult>;
}

const HANDLERS = [
  ...new Set([
    ...API_ROUTES.map(({ handler }) => handler),
    ...WORKFLOWS.flatMap((workflow) => Object.values(workflow.functions)),
  ]),
].sort();

// The harness answers SST's Runtime.Build with a stub; this bundles the real handlers with SST's
// esbuild, as `sst deploy` would, so a broken import or a missing export fails here and not in AWS.
describe("Lambda bundles", () => {
  it("bundles every deployed handler for Node 24, each exporting its handler", async () => {
    const esbuild = (await import(
      pathToFileURL(path.join(PLATFORM, "node_modules/esbuild/lib/main.js")).href
    )) as Esbuild;
    const result = await esbuild.build({
      entryPoints: HANDLERS.map(handlerFile),
      absWorkingDir: ROOT,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node24",
      outdir: path.join(ROOT, ".sst/test-bundles"),
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const exportsByEntry = new Map(
      Object.values(result.metafile.outputs).flatMap((output) =>
        output.entryPoint === undefined ? [] : [[path.resolve(ROOT, output.entryPoint), output.exports]],
      ),
    );
    for (const handler of HANDLERS) {
      const exportName = handler.split(".").at(-1) ?? "";
      expect(exportsByEntry.get(handlerFile(handler)), handler).toContain(exportName);
    }
    // Every handler bundled with the AWS SDK: well over a minute on two busy cores.
  }, 240_000);
});
