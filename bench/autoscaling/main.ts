import { parseArgs } from "node:util";
import { type ScalingSettings, scalingSettings } from "../../functions/autoscaling/settings.js";
import { oracleConsumerMinutes, workConsumerMinutes } from "./oracle.js";
import { backlogTargetTracking, kedaStyle, mqops, staticForPeak, stepScaling } from "./policies.js";
import { describeEvent, type RunSummary, seconds, summarise, table } from "./report.js";
import { type Autoscaler, buildWorkload, simulate, type Workload } from "./simulator.js";
import { builtInTraces, DEFAULT_SERVICE_SECONDS, readTraceFile, type Trace } from "./traces.js";

const USAGE = `Usage: npm run bench:autoscaling -- [--trace FILE.csv]... [--target-wait S] [--seed N] [--startup S]
                                   [--service-seconds S] [--explain TRACE]
  --trace FILE.csv     replay your own traffic: one "minute,arrivals[,meanServiceSeconds]" row per minute
                       (repeatable; replaces the built-in suite)
  --target-wait S      longest acceptable message wait in seconds (default 300)
  --seed N             seed of every random draw (default 1)
  --startup S          seconds from a scale-out to the consumer taking messages (default 45)
  --service-seconds S  mean service time for CSV rows without a third column (default ${DEFAULT_SERVICE_SECONDS})
  --explain TRACE      print every mqops decision and its reason on that trace`;

const KEDA_TARGETS = [2, 3, 5, 8, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300];
const TAIL_MINUTES = 30;
const STATIC_UTILISATION = 0.9;

const { values } = parseArgs({
  options: {
    trace: { type: "string", multiple: true },
    "target-wait": { type: "string", default: "300" },
    seed: { type: "string", default: "1" },
    startup: { type: "string", default: "45" },
    "service-seconds": { type: "string", default: String(DEFAULT_SERVICE_SECONDS) },
    explain: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const targetWait = atLeast("--target-wait", values["target-wait"], 30);
const seed = Math.trunc(atLeast("--seed", values.seed, 0));
const startup = atLeast("--startup", values.startup, 0);
const serviceSeconds = atLeast("--service-seconds", values["service-seconds"], 0.001);

function atLeast(flag: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!(value >= min)) {
    console.error(`${flag} must be a number ≥ ${min}, got "${raw}"\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

function readTraces(files: readonly string[]): Trace[] {
  try {
    return files.map((file) => readTraceFile(file, serviceSeconds));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Cannot read the trace: ${message}`);
    process.exit(2);
  }
}

const began = performance.now();
const traces: Trace[] = values.trace?.length ? readTraces(values.trace) : builtInTraces(seed);
const workloads = traces.map((trace) => buildWorkload(trace, seed));

interface Sizing {
  peakConsumers: number;
  initialConsumers: number;
  maxConsumers: number;
  meanService: number;
}

/** What a user would know about their queue: its busiest minute's work and its mean service time. */
function sizing(workload: Workload): Sizing {
  const { trace, arrivals, service } = workload;
  const work = new Float64Array(trace.arrivals.length);
  let total = 0;
  for (let i = 0; i < arrivals.length; i++) {
    const minute = Math.floor((arrivals[i] ?? 0) / 60);
    work[minute] = (work[minute] ?? 0) + (service[i] ?? 0);
    total += service[i] ?? 0;
  }
  const peakConsumers = Math.max(1, Math.ceil(Math.max(...work) / 60 / STATIC_UTILISATION));
  const firstMinute = work[0] ?? 0;
  return {
    peakConsumers,
    initialConsumers: firstMinute > 0 ? Math.ceil(firstMinute / 60 / STATIC_UTILISATION) : 0,
    maxConsumers: Math.max(20, 3 * peakConsumers),
    meanService: arrivals.length > 0 ? total / arrivals.length : serviceSeconds,
  };
}

function settingsFor(size: Sizing): ScalingSettings {
  return scalingSettings({
    minConsumers: 1,
    maxConsumers: size.maxConsumers,
    targetWaitSeconds: targetWait,
    scaleToZero: { enabled: true },
  });
}

function run(
  workload: Workload,
  policy: Autoscaler,
  size: Sizing,
  initial = size.initialConsumers,
): RunSummary {
  const result = simulate(workload, policy, {
    startupSeconds: startup,
    tailMinutes: TAIL_MINUTES,
    initialConsumers: initial,
    maxConsumers: size.maxConsumers,
  });
  return summarise(result, workload.arrivals, targetWait);
}

const sizes = workloads.map(sizing);
if (values.explain !== undefined && !traces.some((t) => t.name === values.explain)) {
  console.error(
    `--explain: no trace named "${values.explain}" (have ${traces.map((t) => t.name).join(", ")})`,
  );
  process.exit(2);
}

// KEDA-style: search the one queue-length target that best meets the wait target over the whole suite.
const search = KEDA_TARGETS.map((target) => {
  const runs = workloads.map((w, i) => run(w, kedaStyle(target, sizeAt(i).maxConsumers), sizeAt(i)));
  const meeting = runs.filter((r) => r.p95 <= targetWait).length;
  const worstP95 = Math.max(...runs.map((r) => r.p95 / targetWait));
  const consumerMinutes = runs.reduce((sum, r) => sum + r.consumerMinutes, 0);
  return { target, runs, meeting, worstP95, consumerMinutes };
});
const best = [...search].sort(
  (a, b) =>
    b.meeting - a.meeting ||
    (b.meeting === workloads.length ? a.consumerMinutes - b.consumerMinutes : a.worstP95 - b.worstP95),
)[0];
if (!best) throw new Error("no KEDA target searched");

function sizeAt(i: number): Sizing {
  const size = sizes[i];
  if (!size) throw new Error(`no sizing for trace ${i}`);
  return size;
}

const POLICIES = [
  "static-for-peak",
  `keda(q/${best.target})`,
  "step-scaling",
  "backlog-tracking",
  "mqops",
] as const;
interface TraceResult {
  trace: Trace;
  rows: Map<string, RunSummary>;
  oracle: number;
  work: number;
}
const results: TraceResult[] = workloads.map((workload, i) => {
  const size = sizeAt(i);
  const settings = settingsFor(size);
  const explain = values.explain === workload.trace.name;
  const rows = new Map<string, RunSummary>();
  rows.set("static-for-peak", run(workload, staticForPeak(size.peakConsumers), size, size.peakConsumers));
  rows.set(POLICIES[1], best.runs[i] ?? run(workload, kedaStyle(best.target, size.maxConsumers), size));
  rows.set("step-scaling", run(workload, stepScaling(size.maxConsumers), size));
  rows.set(
    "backlog-tracking",
    run(workload, backlogTargetTracking(targetWait / size.meanService, size.maxConsumers), size),
  );
  let minute = 0;
  const log = explain
    ? (d: { desired: number; action: string; reason: string }) => {
        minute++;
        if (d.action !== "hold" || d.reason.startsWith("keep")) console.log(`  [${minute}] ${d.reason}`);
      }
    : undefined;
  if (explain)
    console.log(`mqops decisions on ${workload.trace.name} (minute = decision after that many minutes):`);
  rows.set("mqops", run(workload, mqops(settings, log), size));
  return {
    trace: workload.trace,
    rows,
    oracle: oracleConsumerMinutes(workload, targetWait),
    work: workConsumerMinutes(workload),
  };
});

const header = [
  "policy",
  "p50 wait",
  "p95 wait",
  "max wait",
  "peak backlog",
  "consumer-min",
  "vs oracle",
  "actions",
  "flaps",
];
console.log(
  `Consumer autoscaling benchmark: wait target ${targetWait} s, consumer start-up ${startup} s, seed ${seed}, ` +
    `${TAIL_MINUTES} min drained after each trace; metrics are Amazon MQ one-minute windows with ~3% points missing.`,
);
console.log(
  `KEDA-style target searched over ${KEDA_TARGETS.join(", ")} messages per consumer: ${best.target} ` +
    `(${best.meeting}/${workloads.length} traces with p95 within target${best.meeting === workloads.length ? ", fewest consumer-minutes among those" : ", none meets all"}).`,
);
for (const { trace, rows, oracle, work } of results) {
  const total = trace.arrivals.length;
  console.log(`\n${trace.name} (${total} min): ${trace.description}`);
  const body = [...rows].map(([name, r]) => [
    name,
    seconds(r.p50),
    seconds(r.p95),
    seconds(r.max),
    String(r.peakBacklog),
    String(Math.round(r.consumerMinutes)),
    `${(r.consumerMinutes / oracle).toFixed(2)}x`,
    String(r.actions),
    String(r.flaps),
  ]);
  body.push([
    "oracle (lower bound)",
    "-",
    `≤${targetWait}s`,
    `≤${targetWait}s`,
    "-",
    String(oracle),
    "1.00x",
    "-",
    "-",
  ]);
  body.push([
    "(busy time alone)",
    "-",
    "-",
    "-",
    "-",
    String(Math.round(work)),
    `${(work / oracle).toFixed(2)}x`,
    "-",
    "-",
  ]);
  console.log(table(header, body));
}

// The bar, checked and explained.
const mq = (r: TraceResult): RunSummary => r.rows.get("mqops") as RunSummary;
const keda = (r: TraceResult): RunSummary => r.rows.get(POLICIES[1]) as RunSummary;
const sum = (f: (r: TraceResult) => number): number => results.reduce((s, r) => s + f(r), 0);
const mqTotal = sum((r) => mq(r).consumerMinutes);
const oracleTotal = sum((r) => r.oracle);
const kedaTotal = sum((r) => keda(r).consumerMinutes);
const verdict = (ok: boolean): string => (ok ? "MET    " : "NOT MET");

console.log(`\nBar (mqops policy over ${values.trace?.length ? "these traces" : "the suite"}):`);
const slowTraces = results.filter((r) => mq(r).p95 > targetWait);
console.log(`  ${verdict(slowTraces.length === 0)} p95 wait within ${targetWait} s on every trace`);
for (const r of slowTraces) {
  const s = mq(r);
  console.log(
    `          ${r.trace.name}: p95 ${seconds(s.p95)}; ${(100 * s.lateShare).toFixed(1)}% of messages waited longer, ` +
      `arriving in minutes ${s.lateMinutes}`,
  );
}
const oracleRatio = mqTotal / oracleTotal;
console.log(
  `  ${verdict(oracleRatio <= 1.25)} consumer-minutes at most 1.25x the oracle's: ${oracleRatio.toFixed(2)}x ` +
    `(${Math.round(mqTotal)} vs ${oracleTotal})`,
);
if (oracleRatio > 1.25) {
  const worst = [...results].sort(
    (a, b) => mq(b).consumerMinutes / b.oracle - mq(a).consumerMinutes / a.oracle,
  );
  for (const r of worst.slice(0, 3)) {
    console.log(
      `          ${r.trace.name}: ${(mq(r).consumerMinutes / r.oracle).toFixed(2)}x (${Math.round(mq(r).consumerMinutes - r.oracle)} consumer-minutes over)`,
    );
  }
}
const kedaRatio = mqTotal / kedaTotal;
const worseP95 = results.filter((r) => mq(r).p95 > keda(r).p95);
console.log(
  `  ${verdict(kedaRatio <= 0.7 && worseP95.length === 0)} at least 30% fewer consumer-minutes than KEDA-style at equal or better p95: ` +
    `${kedaRatio.toFixed(2)}x (${Math.round(mqTotal)} vs ${Math.round(kedaTotal)}), p95 worse on ${worseP95.length} trace(s)`,
);
const maxWait = Math.max(...results.map((r) => mq(r).max));
if (0.7 * kedaTotal < oracleTotal) {
  console.log(
    `          out of reach here: 30% below KEDA-style is ${Math.round(0.7 * kedaTotal)} consumer-minutes, ` +
      `${((0.7 * kedaTotal) / oracleTotal).toFixed(2)}x the oracle's lower bound, which binds any policy keeping every ` +
      `wait within ${targetWait} s${maxWait <= targetWait ? ` (mqops does: longest wait ${seconds(maxWait)})` : ""}. ` +
      `KEDA-style at q/${best.target} keeps its consumers nearly always busy behind a standing queue ` +
      `(${(kedaTotal / oracleTotal).toFixed(2)}x the bound), spending the wait target rather than consumers.`,
  );
}
for (const r of worseP95) {
  console.log(
    `          ${r.trace.name}: mqops p95 ${seconds(mq(r).p95)} vs KEDA-style ${seconds(keda(r).p95)}`,
  );
}
const flapping = results.filter((r) => mq(r).flaps > 0);
console.log(`  ${verdict(flapping.length === 0)} no flaps (direction reversals within ten minutes)`);
for (const r of flapping) {
  const pairs = mq(r).flapPairs.map(([a, b]) => `${describeEvent(a)} then ${describeEvent(b)}`);
  console.log(`          ${r.trace.name}: ${pairs.join("; ")}`);
}
console.log(`\n(${((performance.now() - began) / 1000).toFixed(1)} s)`);
console.log(
  `mqops consumer-minutes at the ${targetWait} s wait target: ${oracleRatio.toFixed(2)}x the oracle's, ` +
    `${kedaRatio.toFixed(2)}x the KEDA-style baseline's (target ${best.target} messages per consumer)`,
);
