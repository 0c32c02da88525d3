import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

let runDirectory: string | undefined;

/** JVMs whose configuration lives under this run's temporary directory. */
function leftoverBrokers(directory: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", `xbean:file:${directory}/`], { encoding: "utf8" })
      .trim()
      .split("\n")
      .filter((line) => line !== "");
  } catch {
    return [];
  }
}

/**
 * Global setup of the integration project: every test file's temporary directories (os.tmpdir())
 * go under one directory of this run, so the teardown can tell this run's brokers from those of
 * another run on the same machine.
 */
export function setup(): void {
  runDirectory = mkdtempSync(path.join(tmpdir(), "mqops-it-"));
  process.env.TMPDIR = runDirectory;
}

/** The suite must stop every broker it started: any JVM left is killed, and the run fails naming it. */
export function teardown(): void {
  if (runDirectory === undefined) return;
  const leftovers = leftoverBrokers(runDirectory);
  for (const line of leftovers) {
    try {
      process.kill(Number(line.split(" ")[0]), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  rmSync(runDirectory, { recursive: true, force: true });
  if (leftovers.length > 0) {
    throw new Error(
      `the integration tests left ${leftovers.length} broker JVM(s) running:\n${leftovers.join("\n")}`,
    );
  }
}
