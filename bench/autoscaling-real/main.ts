/**
 * Consumer autoscaling on a real broker against the simulator's prediction: runs `mqops demo autoscaling`
 * on a local cloud with 10 s metric periods, for a development load and a report load, and prints per
 * run the time from backlog onset (the first message, with the fleet at zero) to the first scale-out
 * decision, and the consumer-minutes and p95 wait of the real run next to two predictions for the same
 * load, settings and measured consumer start-up: the loop model (twin.ts, a decision each period) and
 * the policy bench's minute simulator. Asserts nothing.
 *
 *   npm run bench:autoscaling-real [-- --only report]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { DemoRun } from "../../cli/demo/summary.js";
import { scalingSettings } from "../../functions/autoscaling/settings.js";
import { LocalCloudProcess } from "../../test/integration/support/local-cloud-process.js";
import { mqops } from "../autoscaling/policies.js";
import { summarise } from "../autoscaling/report.js";
import { simulate, type Workload } from "../autoscaling/simulator.js";
import {
  demoTrace,
  measuredStartupSeconds,
  onsetToDecisionSeconds,
  type RunFigures,
  realFigures,
  relativeGap,
} from "./compare.js";
import { runTwin } from "./twin.js";

const PERIOD_SECONDS = 10;
/** The loop model's delay from a period's end to the decision on it (publication, alarm, workflow). */
const DECISION_DELAY_SECONDS = 3;
/** The load the demo's defaults were developed on, and a different one the figures are reported on. */
const LOADS = {
  development: { rate: 15, ramp: 60, hold: 90, max: 6 },
  report: { rate: 22, ramp: 30, hold: 150, max: 8 },
} as const;

const { values } = parseArgs({ options: { only: { type: "string" } } });
const names = (Object.keys(LOADS) as Array<keyof typeof LOADS>).filter(
  (name) => values.only === undefined || values.only === name,
);

function simulated(run: DemoRun, startupSeconds: number): RunFigures {
  const trace = demoTrace(run);
  const minutes = trace.arrivals.length;
  // As long as the real timeline ran (load start to the fleet back at zero), so both pay for the same span.
  const timelineMinutes = ((run.samples.at(-1)?.at ?? run.load.startedAt) - run.load.startedAt) / 60_000;
  const tailMinutes = Math.max(1, Math.round(timelineMinutes - minutes));
  // The demo's exact load, no data gaps and the consumers' fixed service time: what the real run had.
  const workload: Workload = {
    trace,
    counts: Float64Array.from(trace.arrivals),
    service: Float64Array.from(trace.serviceSeconds),
    missing: new Uint8Array(minutes + 600),
  };
  const settings = scalingSettings(run.settings);
  const result = simulate(
    workload,
    mqops(settings),
    { startupSeconds, tailMinutes, initialConsumers: 0, maxConsumers: settings.maxConsumers },
    settings.targetWaitSeconds,
  );
  const summary = summarise(result, settings.targetWaitSeconds);
  return {
    consumerMinutes: summary.consumerMinutes,
    p95WaitSeconds: summary.p95,
    scaleActions: summary.actions,
  };
}

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-autoscaling-real-"));
const cloud = new LocalCloudProcess(dataDir, { MQOPS_METRICS_PERIOD_SECONDS: String(PERIOD_SECONDS) });
const format = (value: number | undefined, digits = 1) =>
  value === undefined ? "n/a" : value.toFixed(digits);
const percent = (gap: number) => `${gap >= 0 ? "+" : ""}${(100 * gap).toFixed(0)}%`;

try {
  await cloud.start();
  console.log(`autoscaling on a real broker, ${PERIOD_SECONDS} s metric periods (local cloud ${cloud.url})`);
  for (const name of names) {
    const load = LOADS[name];
    const demo = await cloud.cli(
      [
        "demo",
        "autoscaling",
        "--rate",
        String(load.rate),
        "--ramp",
        String(load.ramp),
        "--hold",
        String(load.hold),
        "--max",
        String(load.max),
      ],
      {},
      30 * 60_000,
    );
    const runFile = /^run: (.+)$/m.exec(demo.stdout)?.[1];
    if (demo.code !== 0 || runFile === undefined) {
      console.log(`${name}: the demo failed (exit ${demo.code})\n${demo.stdout}\n${demo.stderr}`);
      process.exitCode = 1;
      continue;
    }
    const run = JSON.parse(readFileSync(runFile, "utf8")) as DemoRun;
    const waits = readFileSync(path.join(path.dirname(runFile), "waits.txt"), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map(Number);
    const startup = measuredStartupSeconds(run) ?? run.settings.consumerStartupSeconds;
    const real = realFigures(run, waits);
    const predicted = simulated(run, startup);
    const onset = onsetToDecisionSeconds(run);
    const timelineSeconds = ((run.samples.at(-1)?.at ?? run.load.startedAt) - run.load.startedAt) / 1000;
    const twin = runTwin(run.load, {
      settings: scalingSettings(run.settings),
      periodSeconds: run.periodSeconds,
      serviceSeconds: run.serviceMs / 1000,
      startupSeconds: startup,
      decisionDelaySeconds: DECISION_DELAY_SECONDS,
      firstBoundarySeconds:
        run.periodSeconds - ((run.load.startedAt / 1000) % run.periodSeconds) || run.periodSeconds,
      horizonSeconds: Math.round(timelineSeconds),
    });
    console.log("");
    console.log(
      `${name} load: ramp to ${load.rate}/s over ${load.ramp} s, hold ${load.hold} s, at most ${load.max} consumers (${waits.length} messages timed)`,
    );
    console.log(
      `  backlog onset → first scale-out decision: ${format(onset)} s (goal: one period + evaluation + 5 s ≈ ${PERIOD_SECONDS + 5} s plus the evaluation)`,
    );
    console.log(`  consumer start-up measured: ${format(startup)} s (to the ${PERIOD_SECONDS} s period)`);
    console.log("                      real   loop model   gap   minute simulator   gap");
    const row = (label: string, pick: (figures: RunFigures) => number) =>
      console.log(
        `  ${label.padEnd(16)}${format(pick(real)).padStart(7)}  ${format(pick(twin)).padStart(11)}  ${percent(relativeGap(pick(real), pick(twin))).padStart(5)}  ${format(pick(predicted)).padStart(17)}  ${percent(relativeGap(pick(real), pick(predicted))).padStart(5)}`,
      );
    row("consumer-minutes", (figures) => figures.consumerMinutes);
    row("p95 wait (s)", (figures) => figures.p95WaitSeconds);
    row("scale actions", (figures) => figures.scaleActions);
    console.log(
      "  (goal: real within 15% of the prediction. The loop model decides each period on the read step's windows;",
    );
    console.log("   the minute simulator is the policy bench's, deciding once a minute on clock minutes.)");
  }
} finally {
  await cloud.stop();
  cloud.killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
}
