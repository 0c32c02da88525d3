import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

/** Imports one module in the child and prints how long the import took, in milliseconds. */
const IMPORT_ONCE = [
  "const started = performance.now();",
  "await import(process.argv[1]);",
  "process.stdout.write(String(performance.now() - started));",
].join("\n");

/**
 * Milliseconds to import `file` in a fresh Node process (the same Node that runs the bench), with
 * only `env` set: a Lambda cold start's module load, without the runtime's own start.
 */
export function loadOnce(file: string, env: Record<string, string>): number {
  const child = spawnSync(
    process.execPath,
    ["--input-type=module", "--eval", IMPORT_ONCE, pathToFileURL(file).href],
    { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" },
  );
  const millis = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(millis)) {
    throw new Error(`loading ${file} failed (exit ${child.status}): ${child.stderr.slice(0, 2000)}`);
  }
  return millis;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
