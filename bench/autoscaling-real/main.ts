/**
 * Consumer autoscaling on a real broker against the simulator's prediction: runs `mqops demo autoscaling`
 * on a local cloud with 10 s metric periods, for a development load and a report load, and prints per
 * run the time from backlog onset (the first message, with the fleet at zero) to the first scale-out
 * decision, and the consumer-minutes and p95 wait of the real run next to two predictions for the same
 * load, settings and measured consumer start-up: the loop model (twin.ts, a decision each period) and
 * the policy bench's minute simulator. Asserts nothing.
 *
 *   npm run bench:autoscaling-real [-- --only report] [--runs DIR] [--replay: the kept runs, no new ones]
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
  measuredServiceSeconds,
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

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    runs: { type: "string", default: path.join(tmpdir(), "mqops-autoscaling-real-runs") },
    replay: { type: "boolean", default: false },
  },
});
const names = (Object.keys(LOADS) as Array<keyof typeof LOADS>).filter(
  (name) => values.only === undefined || values.only === name,
);
/** Each real run is kept here (`<load>.json`, `<load>.waits.txt`) so `--replay` can set models against it again. */
const runsDir = values.runs;

function simulated(run: DemoRun, startupSeconds: number, serviceSeconds: number): RunFigures {
  const trace = { ...demoTrace(run), serviceSeconds: demoTrace(run).arrivals.map(() => serviceSeconds) };
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

const format = (value: number | undefined, digits = 1) =>
  value === undefined ? "n/a" : value.toFixed(digits);
const percent = (gap: number) => `${gap >= 0 ? "+" : ""}${(100 * gap).toFixed(0)}%`;

function report(name: keyof typeof LOADS, run: DemoRun, waits: number[]): void {
  const load = LOADS[name];
  const startup = measuredStartupSeconds(run) ?? run.settings.consumerStartupSeconds;
  const service = measuredServiceSeconds(run) ?? run.serviceMs / 1000;
  const real = realFigures(run, waits);
  const predicted = simulated(run, startup, service);
  const onset = onsetToDecisionSeconds(run);
  const timelineSeconds = ((run.samples.at(-1)?.at ?? run.load.startedAt) - run.load.startedAt) / 1000;
  const twin = runTwin(run.load, {
    settings: scalingSettings(run.settings),
    periodSeconds: run.periodSeconds,
    serviceSeconds: service,
    startupSeconds: startup,
    decisionDelaySeconds: DECISION_DELAY_SECONDS,
    firstBoundarySeconds: Math.max(
      1,
      Math.round(run.periodSeconds - ((run.load.startedAt / 1000) % run.periodSeconds)),
    ),
    horizonSeconds: Math.round(timelineSeconds),
  });
  console.log("");
  console.log(
    `${name} load: ramp to ${load.rate}/s over ${load.ramp} s, hold ${load.hold} s, at most ${load.max} consumers (${waits.length} messages timed)`,
  );
  console.log(
    `  backlog onset → first scale-out decision: ${format(onset)} s (goal: one ${run.periodSeconds} s period + evaluation + under 5 s)`,
  );
  console.log(
    `  measured on the run: consumer start-up ${format(startup)} s (to the ${run.periodSeconds} s period), ${format(1000 * service, 0)} ms a message (${run.serviceMs} ms of work)`,
  );
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

const readWaits = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map(Number);

async function recordRuns(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-autoscaling-real-"));
  const cloud = new LocalCloudProcess(dataDir, { MQOPS_METRICS_PERIOD_SECONDS: String(PERIOD_SECONDS) });
  try {
    await cloud.start();
    console.log(
      `autoscaling on a real broker, ${PERIOD_SECONDS} s metric periods (local cloud ${cloud.url})`,
    );
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
      console.log(
        `\n${name} load, the demo's timeline:\n${demo.stdout.slice(demo.stdout.indexOf("  time"))}`,
      );
      mkdirSync(runsDir, { recursive: true });
      copyFileSync(runFile, path.join(runsDir, `${name}.json`));
      copyFileSync(path.join(path.dirname(runFile), "waits.txt"), path.join(runsDir, `${name}.waits.txt`));
    }
  } finally {
    await cloud.stop();
    cloud.killLeftovers();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!values.replay) await recordRuns();
console.log(`\nruns: ${runsDir}${values.replay ? " (replayed)" : ""}`);
for (const name of names) {
  const runFile = path.join(runsDir, `${name}.json`);
  if (!existsSync(runFile)) {
    console.log(`${name}: no recorded run in ${runsDir}`);
    continue;
  }
  const run = JSON.parse(readFileSync(runFile, "utf8")) as DemoRun;
  report(name, run, readWaits(path.join(runsDir, `${name}.waits.txt`)));
}
