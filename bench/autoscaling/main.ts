import { parseArgs } from "node:util";
import {
  FAMILIES,
  FAMILY_MINUTES,
  familyOf,
  familyTrace,
  TEST_SEED_BASE,
  testSeeds,
  trainingSeeds,
} from "./families.js";
import { describeEvent, type RunSummary, seconds, table } from "./report.js";
import {
  type BenchOptions,
  CONSUMER_CAP,
  evaluate,
  KEDA_TARGETS,
  POLICY_NAMES,
  type PolicyName,
  searchKedaTarget,
  TAIL_MINUTES,
  type TraceResult,
} from "./run.js";
import { buildWorkload, type Workload } from "./simulator.js";
import { policyStats, spread as spreadOf } from "./stats.js";
import { builtInTraces, DEFAULT_SERVICE_SECONDS, readTraceFile, type Trace } from "./traces.js";

const USAGE = `Usage: npm run bench:autoscaling -- [--full] [--test N] [--training N] [--set test|training]
                                   [--family F] [--trace FILE.csv]... [--target-wait S] [--seed N]
                                   [--startup S] [--service-seconds S] [--explain TRACE]
  --test N             generated test traces to report on (default 210; --full: 1,050)
  --training N         generated training traces the KEDA-style target is chosen on (default 70; --full: 350)
  --set training       report on the training traces instead (for tuning; never quote these figures)
  --family F           only traces of that family (${FAMILIES.join(", ")})
  --trace FILE.csv     replay your own traffic: one "minute,arrivals[,meanServiceSeconds]" row per minute
                       (repeatable; replaces the generated sets and the examples)
  --target-wait S      longest acceptable message wait in seconds (default 300)
  --seed N             seed of the noise draws of the examples and CSV traces (default 1)
  --startup S          start-up of the examples and CSV traces, in seconds (default 45)
  --service-seconds S  mean service time for CSV rows without a third column (default ${DEFAULT_SERVICE_SECONDS})
  --per-trace          one line per reported trace: mqops against the oracle and keda(hindsight)
  --explain TRACE      print every mqops decision and its reason on that trace (a name such as
                       step-burst or burst#1000004)`;

const { values } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    test: { type: "string" },
    training: { type: "string" },
    set: { type: "string", default: "test" },
    family: { type: "string" },
    trace: { type: "string", multiple: true },
    "target-wait": { type: "string", default: "300" },
    seed: { type: "string", default: "1" },
    startup: { type: "string", default: "45" },
    "service-seconds": { type: "string", default: String(DEFAULT_SERVICE_SECONDS) },
    explain: { type: "string" },
    "per-trace": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function atLeast(flag: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!(value >= min)) fail(`${flag} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}

const options: BenchOptions = {
  targetWaitSeconds: atLeast("--target-wait", values["target-wait"], 30),
  startupSeconds: atLeast("--startup", values.startup, 0),
};
const targetWait = options.targetWaitSeconds;
const seed = Math.trunc(atLeast("--seed", values.seed, 0));
const serviceSeconds = atLeast("--service-seconds", values["service-seconds"], 0.001);
// --set training reports no test traces, so `--set training --test 0` is accepted.
const testCount = Math.trunc(
  atLeast("--test", values.test ?? (values.full ? "1050" : "210"), values.set === "training" ? 0 : 1),
);
const trainingCount = Math.trunc(atLeast("--training", values.training ?? (values.full ? "350" : "70"), 1));
if (values.set !== "test" && values.set !== "training") fail(`--set must be test or training`);
const family = values.family;
if (family !== undefined && !(FAMILIES as readonly string[]).includes(family)) {
  fail(`--family: no family "${family}"`);
}
const began = performance.now();

function readTraces(files: readonly string[]): Trace[] {
  try {
    return files.map((file) => readTraceFile(file, serviceSeconds));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Cannot read the trace: ${message}`);
    process.exit(2);
  }
}

function ofFamily(seeds: number[]): number[] {
  return family === undefined ? seeds : seeds.filter((s) => familyOf(s) === family);
}

/** Seeds 1..n of a family filter keep n traces of it, not n/7. */
function seedsFor(make: (n: number) => number[], n: number): number[] {
  if (family === undefined) return make(n);
  return ofFamily(make(n * FAMILIES.length)).slice(0, n);
}

const familyWorkload = (s: number): Workload => buildWorkload(familyTrace(s), s);
const userTraces = values.trace?.length ? readTraces(values.trace) : undefined;

const header = ["policy", "p50 wait", "p95 wait", "max wait", "peak backlog", "consumer-min", "vs oracle"];

if (values.explain !== undefined) {
  explain(values.explain);
  process.exit(0);
}

function explain(name: string): void {
  const generated = /#(\d+)$/.exec(name);
  let workload: Workload | undefined;
  if (generated?.[1]) workload = familyWorkload(Number(generated[1]));
  else {
    const trace = (userTraces ?? builtInTraces(seed)).find((t) => t.name === name);
    if (trace) workload = buildWorkload(trace, seed);
  }
  if (!workload || workload.trace.name !== name) fail(`--explain: no trace named "${name}"`);
  console.log(`mqops decisions on ${name}: ${workload.trace.description}`);
  let minute = 0;
  const result = evaluate(workload, 100, options, (d) => {
    minute++;
    if (d.action !== "hold" || d.reason.startsWith("keep")) console.log(`  [${minute}] ${d.reason}`);
  });
  printTraceTable(result);
}

function printTraceTable(r: TraceResult): void {
  console.log(`\n${r.name}: ${r.description}${r.size.capped ? ` (capped at ${CONSUMER_CAP})` : ""}`);
  const body = [...r.rows].map(([name, s]) => [
    name === "keda(hindsight)" ? `keda(q/${r.hindsightTarget})` : name,
    seconds(s.p50),
    seconds(s.p95),
    seconds(s.max),
    String(s.peakBacklog),
    String(Math.round(s.consumerMinutes)),
    `${(s.consumerMinutes / Math.max(1, r.size.oracle)).toFixed(2)}x`,
    String(s.actions),
    String(s.flaps),
  ]);
  body.push([
    "oracle (lower bound)",
    "-",
    `≤${targetWait}s`,
    `≤${targetWait}s`,
    "-",
    String(r.size.oracle),
    "1.00x",
    "-",
    "-",
  ]);
  console.log(table([...header, "actions", "flaps"], body));
}

// The KEDA-style target a user configures once: chosen on the training set (or on the user's traces).
const trainingWorkloads = userTraces
  ? userTraces.map((t) => buildWorkload(t, seed))
  : seedsFor(trainingSeeds, trainingCount).map(familyWorkload);
const keda = searchKedaTarget(trainingWorkloads, options);

console.log(
  `Consumer autoscaling benchmark: wait target ${targetWait} s, ${TAIL_MINUTES} min drained after each trace; ` +
    `Amazon MQ one-minute windows with ~3% points missing; maxConsumers at most ${CONSUMER_CAP}.`,
);
console.log(
  `KEDA-style target chosen once on ${userTraces ? "these traces" : `the training set (${trainingWorkloads.length} traces)`} ` +
    `from ${KEDA_TARGETS[0]}–${KEDA_TARGETS.at(-1)} messages per consumer: q/${keda.target} ` +
    `(p95 within target on ${keda.meeting}/${trainingWorkloads.length}); keda(hindsight) searches each trace's cheapest target that meets it.`,
);

let reported: TraceResult[];
if (userTraces) {
  reported = trainingWorkloads.map((w) => evaluate(w, keda.target, options));
  for (const r of reported) printTraceTable(r);
} else {
  const examples = builtInTraces(seed).map((t) => evaluate(buildWorkload(t, seed), keda.target, options));
  console.log(
    `\nExamples: the seven named traces (start-up ${options.startupSeconds} s, seed ${seed}); consumer-minutes vs the oracle`,
  );
  console.log(
    table(
      ["trace", ...POLICY_NAMES, "mqops p95", "mqops flaps"],
      examples.map((r) => [
        r.name,
        ...POLICY_NAMES.map((p) => ratio(r, p)),
        seconds(r.rows.get("mqops")?.p95 ?? 0),
        String(r.rows.get("mqops")?.flaps ?? 0),
      ]),
    ),
  );
  const seeds =
    values.set === "training" ? seedsFor(trainingSeeds, trainingCount) : seedsFor(testSeeds, testCount);
  reported = seeds.map((s) => evaluate(familyWorkload(s), keda.target, options));
  const first = seeds[0] ?? 0;
  console.log(
    `\n${values.set === "training" ? "TRAINING set (for tuning only)" : "Test set"}: ${reported.length} generated 8-hour traces, seeds ` +
      `${first}–${seeds.at(-1)}${first > TEST_SEED_BASE ? "" : " (training seeds)"}; per family and overall. ` +
      `×oracle: consumer-minutes over the oracle's; p95/target: p95 wait over ${targetWait} s.`,
  );
  printDistributions(reported);
  if (values["per-trace"]) printPerTrace(reported);
}

function printPerTrace(results: readonly TraceResult[]): void {
  const rows = results.map((r) => {
    const m = r.rows.get("mqops");
    const k = r.rows.get("keda(hindsight)");
    return [
      r.name,
      String(r.size.oracle),
      String(r.size.reactive),
      (r.size.oracle / (FAMILY_MINUTES + TAIL_MINUTES)).toFixed(1),
      ratio(r, "mqops"),
      seconds(m?.p95 ?? 0),
      String(m?.actions ?? 0),
      String(m?.flaps ?? 0),
      ratio(r, "keda(hindsight)"),
      seconds(k?.p95 ?? 0),
      r.size.capped ? "capped" : "",
    ];
  });
  console.log(
    table(
      ["trace", "oracle", "floor", "mean fleet", "mqops", "p95", "actions", "flaps", "keda(hs)", "p95", ""],
      rows,
    ),
  );
}

function ratio(r: TraceResult, policy: PolicyName): string {
  const run = r.rows.get(policy);
  return run ? `${(run.consumerMinutes / Math.max(1, r.size.oracle)).toFixed(2)}x` : "-";
}

function printDistributions(results: readonly TraceResult[]): void {
  const groups = [...FAMILIES.filter((f) => results.some((r) => r.family === f)), "overall"];
  const rows: string[][] = [];
  for (const group of groups) {
    const members = results.filter((r) => !r.size.capped && (group === "overall" || r.family === group));
    if (members.length === 0) continue;
    for (const policy of POLICY_NAMES) {
      const s = policyStats(members, policy, targetWait);
      rows.push([
        policy === POLICY_NAMES[0] ? `${group} (${members.length})` : "",
        policy,
        `${s.vsOracle.median.toFixed(2)} ${s.vsOracle.p90.toFixed(2)} ${s.vsOracle.worst.toFixed(2)}`,
        s.totalVsOracle.toFixed(2),
        `${count(s.excess.median)} ${count(s.excess.p90)} ${count(s.excess.worst)}`,
        `${s.p95VsTarget.median.toFixed(2)} ${s.p95VsTarget.p90.toFixed(2)} ${fmtWorst(s.p95VsTarget.worst)}`,
        String(s.late),
        `${s.flapping} (${s.flaps})`,
        `${s.actions.median} ${s.actions.p90} ${s.actions.worst}`,
      ]);
    }
  }
  console.log(
    table(
      [
        "family",
        "policy",
        "×oracle med p90 worst",
        "×oracle total",
        "excess med p90 worst",
        "p95/target med p90 worst",
        "p95 late",
        "flapping (flaps)",
        "actions med p90 worst",
      ],
      rows,
    ),
  );
  const capped = results.filter((r) => r.size.capped);
  if (capped.length > 0) {
    console.log(
      `Capped (left out above): ${capped.length} trace(s) need more than ${CONSUMER_CAP} consumers in some minute: ` +
        capped.map((r) => `${r.name} (oracle peak ${r.size.oraclePeak})`).join(", "),
    );
  }
}

/** Consumer-minutes, short: 1234, 56k, 7.8M. */
function count(value: number): string {
  const v = Math.round(value);
  if (Math.abs(v) >= 10_000_000) return `${(v / 1_000_000).toFixed(0)}M`;
  if (Math.abs(v) >= 1_000_000) return `${(v / 1_000_000).toFixed(1)}M`;
  if (Math.abs(v) >= 10_000) return `${Math.round(v / 1_000)}k`;
  return String(v);
}

function fmtWorst(value: number): string {
  return value >= 100 ? value.toExponential(1) : value.toFixed(2);
}

// The bar, checked on the reported set, with the traces that break it.
const judged = reported.filter((r) => !r.size.capped);
const run = (r: TraceResult, p: PolicyName): RunSummary => r.rows.get(p) as RunSummary;
const total = (p: PolicyName | "oracle"): number =>
  judged.reduce((s, r) => s + (p === "oracle" ? r.size.oracle : run(r, p).consumerMinutes), 0);
const verdict = (ok: boolean): string => (ok ? "MET    " : "NOT MET");
const mqTotal = total("mqops");
const oracleTotal = total("oracle");
const hindsightTotal = total("keda(hindsight)");
const worstBy = (f: (r: TraceResult) => number, n = 5): TraceResult[] =>
  [...judged].sort((a, b) => f(b) - f(a)).slice(0, n);
const byFamily = (rs: readonly TraceResult[]): string => {
  const counts = new Map<string, number>();
  for (const r of rs) counts.set(r.family, (counts.get(r.family) ?? 0) + 1);
  return [...counts].map(([f, n]) => `${f} ${n}`).join(", ");
};

console.log(
  `\nBar (mqops on ${judged.length} ${userTraces ? "given" : values.set} traces${reported.length > judged.length ? `, ${reported.length - judged.length} capped left out` : ""}):`,
);
const late = judged.filter((r) => run(r, "mqops").p95 > targetWait);
const onTime = 1 - late.length / Math.max(1, judged.length);
console.log(
  `  ${verdict(onTime >= 0.99)} p95 wait within ${targetWait} s on at least 99% of traces: ${(100 * onTime).toFixed(1)}%`,
);
for (const r of late.slice(0, 8)) {
  const s = run(r, "mqops");
  console.log(
    `          ${r.name}: p95 ${seconds(s.p95)}, ${(100 * s.lateShare).toFixed(1)}% late (arrived in minutes ${s.lateMinutes}); start-up ${r.size.startupSeconds} s; ${r.description}`,
  );
}
const oracleRatio = mqTotal / Math.max(1, oracleTotal);
const ratioOf = (r: TraceResult): number => run(r, "mqops").consumerMinutes / Math.max(1, r.size.oracle);
const worstRatio = Math.max(...judged.map(ratioOf));
console.log(
  `  ${verdict(oracleRatio <= 1.25)} consumer-minutes at most 1.25x the oracle's in total: ${oracleRatio.toFixed(2)}x (${Math.round(mqTotal)} vs ${oracleTotal})`,
);
const over = judged.filter((r) => ratioOf(r) > 1.6);
const excessOf = (r: TraceResult): number => run(r, "mqops").consumerMinutes - r.size.oracle;
const [mostExcess] = worstBy(excessOf, 1);
console.log(
  `  ${verdict(worstRatio <= 1.6)} at most 1.6x the oracle's on the worst trace: ${worstRatio.toFixed(2)}x; ${over.length} trace(s) above 1.6x${over.length ? ` (${byFamily(over)})` : ""}`,
);
if (mostExcess) {
  // A ratio over a tiny oracle (13 consumer-minutes in 8 hours) says little alone: the excess is what it costs.
  console.log(
    `          excess over the oracle, in consumer-minutes: median ${count(spreadOf(judged.map(excessOf)).median)}, ` +
      `worst ${count(excessOf(mostExcess))} (${mostExcess.name}, ${ratioOf(mostExcess).toFixed(2)}x, ` +
      `${(excessOf(mostExcess) / mostExcess.size.runMinutes).toFixed(1)} consumers on average over the run); ` +
      (over.length
        ? `of the traces above 1.6x, ${over.filter((r) => excessOf(r) <= r.size.runMinutes).length} are above it by at most one consumer on average.`
        : "no trace is above 1.6x."),
  );
}
if (over.length > 0) {
  // What a policy that never flaps cannot avoid (oracle.ts): light sporadic traffic pays a consumer per
  // stretch of arrivals (flapFreeFloor, a proven bound); bursts pay the start-up and a fleet held for the
  // flap window (reactiveFloor, an estimate that includes the other).
  const light = over.filter((r) => r.size.flapFree > 1.6 * r.size.oracle);
  const reactive = over.filter((r) => !light.includes(r) && r.size.reactive > 1.6 * r.size.oracle);
  const rest = over.filter((r) => !light.includes(r) && !reactive.includes(r));
  const vsFloor = (r: TraceResult): number => run(r, "mqops").consumerMinutes / Math.max(1, r.size.reactive);
  const overFloor = over.filter((r) => vsFloor(r) > 1.6);
  // Even with one message in twenty allowed to wait longer (the p95 bar), no policy that never flaps gets there.
  const outOfReach = over.filter((r) => r.size.flapFreeP95 > 1.6 * r.size.oracle);
  console.log(
    `          why: ${light.length} light, sporadic traffic, where no policy that never flaps and keeps every wait within the ` +
      `target can be within 1.6x (proven: a consumer present within the target of each arrival, each stretch with or ` +
      `without one at least 11 min; the oracle runs a consumer-minute every few minutes)${light.length ? ` (${byFamily(light)})` : ""}; ` +
      `${reactive.length} bursts and high phases (learned a minute late, start-up 10-120 s, the fleet held 11 min so that ` +
      `scaling in is not a flap; the oracle starts consumers at once and drops them the next minute)` +
      `${reactive.length ? ` (${byFamily(reactive)})` : ""}; ${rest.length} neither${rest.length ? ` (${byFamily(rest)})` : ""}. ` +
      `Against the larger floor (the estimate; oracle.ts), ${overFloor.length} trace(s) are above 1.6x` +
      (overFloor.length ? ` (${byFamily(overFloor)})` : "") +
      ` and the worst is ${Math.max(...over.map(vsFloor)).toFixed(2)}x. ` +
      `With the p95 wait within the target instead of every wait, the proven floor is still above 1.6x on ` +
      `${outOfReach.length} trace(s)${outOfReach.length ? ` (${byFamily(outOfReach)}): this bar and no flaps cannot both be met` : ""}.`,
  );
}
for (const r of worstBy(ratioOf).filter((r) => ratioOf(r) > 1.6)) {
  console.log(
    `          ${r.name}: ${ratioOf(r).toFixed(2)}x (${Math.round(run(r, "mqops").consumerMinutes)} vs ${r.size.oracle}; ` +
      `floor ${r.size.reactive}; busy time ${Math.round(r.size.work)}); ${r.description}`,
  );
}
const kedaTrain = judged.filter((r) => {
  const m = run(r, "mqops");
  const k = run(r, "keda(training)");
  return m.consumerMinutes <= k.consumerMinutes && m.p95 <= Math.max(k.p95, targetWait);
});
const kedaTrainStrict = judged.filter((r) => {
  const m = run(r, "mqops");
  const k = run(r, "keda(training)");
  return m.consumerMinutes <= k.consumerMinutes && m.p95 <= k.p95;
});
const beatShare = kedaTrain.length / Math.max(1, judged.length);
console.log(
  `  ${verdict(beatShare >= 0.9)} at or below keda(q/${keda.target}) (training target) on at least 90% of traces at equal or better p95: ` +
    `${(100 * beatShare).toFixed(1)}% (p95 within the target counts as equal; strictly no worse p95: ${((100 * kedaTrainStrict.length) / Math.max(1, judged.length)).toFixed(1)}%)`,
);
const aboveKeda = judged.filter((r) => !kedaTrain.includes(r));
if (aboveKeda.length > 0) {
  // KEDA goes to zero five minutes after the queue empties and back at the next message: on light traffic
  // it pays less than any policy that never flaps can (the proven flap-free floor), by flapping.
  const byFlapping = aboveKeda.filter(
    (r) => run(r, "keda(training)").consumerMinutes < r.size.flapFree && run(r, "keda(training)").flaps > 0,
  );
  const rest = aboveKeda.filter((r) => !byFlapping.includes(r));
  const kedaFlaps = byFlapping.reduce((sum, r) => sum + run(r, "keda(training)").flaps, 0);
  // The bar asks for a p95 within the target: the floor that lets one message in twenty wait longer.
  const outOfReach = judged.filter((r) => run(r, "keda(training)").consumerMinutes < r.size.flapFreeP95);
  const reachable = 1 - outOfReach.length / Math.max(1, judged.length);
  console.log(
    `          ${aboveKeda.length} trace(s) above it: ${byFlapping.length} where keda(q/${keda.target}) pays less than any ` +
      `policy that never flaps and keeps every wait within the target can (the proven floor), by flapping ` +
      `(${kedaFlaps} flaps on them)${byFlapping.length ? ` (${byFamily(byFlapping)})` : ""}; ` +
      `${rest.length} other(s)${rest.length ? ` (${byFamily(rest)})` : ""}, mqops at ` +
      `${(
        rest.reduce((sum, r) => sum + run(r, "mqops").consumerMinutes, 0) /
          Math.max(
            1,
            rest.reduce((sum, r) => sum + run(r, "keda(training)").consumerMinutes, 0),
          )
      ).toFixed(2)}x keda's consumer-minutes on them. ` +
      `With the p95 wait within the target, it still pays less than the proven floor on ${outOfReach.length}, so ` +
      `without flapping at most ${(100 * reachable).toFixed(1)}% of traces can be at or below it` +
      (reachable < 0.9 ? ": this bar and no flaps cannot both be met." : "."),
  );
}
const hindsightRatio = mqTotal / Math.max(1, hindsightTotal);
console.log(
  `  ${verdict(hindsightRatio <= 1)} at most 1.0x keda(hindsight) in total: ${hindsightRatio.toFixed(2)}x (${Math.round(mqTotal)} vs ${Math.round(hindsightTotal)})`,
);
if (hindsightRatio > 1) {
  // The proven floors' sum says whether a policy that never flaps could reach it at all.
  const floors = judged.reduce((sum, r) => sum + r.size.flapFree, 0);
  console.log(
    `          a policy that never flaps and keeps every wait within the target pays at least ${Math.round(floors)} in total ` +
      `(${(floors / Math.max(1, hindsightTotal)).toFixed(2)}x; the proven floors), so they do not rule it out; ` +
      `keda(hindsight) flaps on ${judged.filter((r) => run(r, "keda(hindsight)").flaps > 0).length} of ${judged.length} traces.`,
  );
  console.log(`          ${hindsightGap(judged)}`);
}

/**
 * Which families the excess over keda(hindsight) comes from, largest first, each with both policies
 * against the oracle and their median p95 over the target: keda(hindsight) runs a standing queue.
 */
function hindsightGap(results: readonly TraceResult[]): string {
  const gap = (rs: readonly TraceResult[]): number =>
    rs.reduce(
      (sum, r) => sum + run(r, "mqops").consumerMinutes - run(r, "keda(hindsight)").consumerMinutes,
      0,
    );
  const whole = gap(results);
  const parts = FAMILIES.map((f) => {
    const rs = results.filter((r) => r.family === f);
    return { f, rs, excess: gap(rs) };
  })
    .filter(({ excess }) => excess > 0)
    .sort((a, b) => b.excess - a.excess)
    .map(({ f, rs, excess }) => {
      const oracle = rs.reduce((sum, r) => sum + r.size.oracle, 0);
      const of = (p: PolicyName): string =>
        `${(rs.reduce((sum, r) => sum + run(r, p).consumerMinutes, 0) / Math.max(1, oracle)).toFixed(2)}x`;
      const p95 = (p: PolicyName): string =>
        spreadOf(rs.map((r) => run(r, p).p95 / targetWait)).median.toFixed(2);
      return (
        `${f} ${Math.round((100 * excess) / whole)}% (mqops ${of("mqops")} the oracle, p95 ${p95("mqops")} of the target; ` +
        `keda(hindsight) ${of("keda(hindsight)")}, p95 ${p95("keda(hindsight)")})`
      );
    });
  return `the excess over it by family, medians of p95 over the target: ${parts.join("; ")}.`;
}
const flapping = judged.filter((r) => run(r, "mqops").flaps > 0);
console.log(
  `  ${verdict(flapping.length === 0)} no flaps on any trace: ${flapping.length} trace(s) with flaps${flapping.length ? ` (${byFamily(flapping)})` : ""}`,
);
if (flapping.length > 0) {
  const causes = judged.flatMap((r) =>
    r.flapCauses.map((cause, i) => ({ r, cause, rise: r.flapRises[i] ?? 0 })),
  );
  const of = (cause: string): TraceResult[] => [
    ...new Set(causes.filter((c) => c.cause === cause).map((c) => c.r)),
  ];
  const tally = (cause: string, what: string): string => {
    const n = causes.filter((c) => c.cause === cause).length;
    const traces = of(cause);
    return `${n} ${what}${traces.length ? ` (${byFamily(traces)})` : ""}`;
  };
  // How far the load rose after the scale-in, against the ten minutes before it: what the fleet left out.
  const rises = (cause: string): string => {
    const r = causes.filter((c) => c.cause === cause && Number.isFinite(c.rise)).map((c) => c.rise);
    if (r.length === 0) return "";
    const s = spreadOf(r);
    return `; the busiest minute after the scale-in was ${s.median.toFixed(1)}x (median; up to ${s.worst.toFixed(1)}x) the ten minutes before it`;
  };
  console.log(
    `          why: ${tally("new-load", "after load 1.2x above the busiest of the hour before the scale-in (a rise, burst or slowdown nothing announced)")}; ` +
      `${tally("seen-once", "after load the hour had shown in one stretch only (a burst or a first high phase, not expected back)")}; ` +
      `${tally("after-zero", "a message within ten minutes of a scale-in to zero")}; ` +
      `${tally("within-history", "after load the hour had shown coming and going (the policy misjudged)")}${rises("within-history")}.`,
  );
}
for (const r of flapping.slice(0, 5)) {
  const pairs = run(r, "mqops").flapPairs.map(([a, b]) => `${describeEvent(a)} then ${describeEvent(b)}`);
  console.log(`          ${r.name}: ${pairs.slice(0, 3).join("; ")}`);
}

console.log(`\n(${((performance.now() - began) / 1000).toFixed(1)} s)`);
console.log(
  `mqops consumer-minutes at the ${targetWait} s wait target: ${oracleRatio.toFixed(2)}x the oracle's, ` +
    `${hindsightRatio.toFixed(2)}x the KEDA-style baseline's (hindsight-searched target per trace; ` +
    `${(mqTotal / Math.max(1, total("keda(training)"))).toFixed(2)}x keda(q/${keda.target}) chosen on training)`,
);
