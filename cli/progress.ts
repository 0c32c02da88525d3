import { callApi, expectOk } from "./api.js";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls GET /executions/{id} until the execution ends, printing each step it enters (on stderr, so
 * `--json` output on stdout stays clean). Returns the last view.
 */
export async function followExecution(executionId: string, quiet: boolean): Promise<Record<string, unknown>> {
  const started = Date.now();
  let lastStep: string | undefined;
  for (;;) {
    const view = expectOk(await callApi("GET", `/executions/${encodeURIComponent(executionId)}`));
    const step = typeof view.currentStep === "string" ? view.currentStep : undefined;
    if (!quiet && step !== undefined && step !== lastStep) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
      process.stderr.write(`  ${seconds}s  ${step}\n`);
      lastStep = step;
    }
    if (TERMINAL.has(String(view.status))) return view;
    await sleep(500);
  }
}
