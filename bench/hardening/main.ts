/**
 * Hardening figures for the local cloud, printed, asserting nothing:
 *  - malformed requests over HTTP to the HTTP API and the local Amazon MQ API (every route), and
 *    how many got a 5xx (goal: 0 of >= 10,000) or echoed a password (goal: 0);
 *  - the fault drills (local/faults/drill*.ts: every Task of provisioning, maintenance, autoscaling
 *    and failover detection): cases run, cases that ended as expected, what they left behind (goal:
 *    0), and the known findings (cases that still show something half-applied, named).
 * One local cloud in this process, brokers on the control plane's fake runtime (no JVM; their first
 * instance answers STOMP and OpenWire on loopback), Wait and Retry pauses shortened to nothing.
 *
 *   npm run bench:hardening [-- --requests 12000 --concurrency 8]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { CreateBrokerCommand, CreateConfigurationCommand } from "@aws-sdk/client-mq";
import type { DeploymentMode, InstancePorts } from "../../local/brokers/types.js";
import { startLocalCloud } from "../../local/cloud.js";
import {
  type DrillCase,
  type DrillOutcome,
  drillClients,
  drillVerdict,
  FAILOVER_DRILL,
  PROVISIONING_DRILL,
  runDrillCase,
  runExecutionDrill,
} from "../../local/faults/drill.js";
import { AUTOSCALING_DRILL } from "../../local/faults/drill-autoscaling.js";
import { FAILOVER_DETECTION_DRILL } from "../../local/faults/drill-failover.js";
import { MAINTENANCE_DRILL } from "../../local/faults/drill-maintenance.js";
import {
  prepareAutoscalingDrill,
  runAutoscalingCase,
  runFailoverCase,
  runMaintenanceCase,
  workflowDrillProblems,
} from "../../local/faults/drill-runs.js";
import { drillPorts, OpenWireGreeters } from "../../local/faults/drill-workflows.js";
import { FakeStompBroker } from "../../test/support/fake-stomp-broker.js";
import { FakeRuntime } from "../../test/unit/local/mq/fake-runtime.js";
import { planMalformed, sendMalformed } from "./malformed.js";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "12000" },
    concurrency: { type: "string", default: "8" },
  },
});

const CREDENTIALS = {
  accessKeyId: "AKIAMQOPSBENCHHARDEN",
  secretAccessKey: "mqops-bench-hardening-secret-key-00000000",
};
const STATE_TABLE = "mqops-local-state";

// One attempt per SDK call in the handlers: a drill's fault then reaches the workflow's Retry.
process.env.AWS_MAX_ATTEMPTS = "1";
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
// One silent round makes the failover detector call a broker unavailable (an event to publish).
process.env.FAILOVER_UNAVAILABLE_AFTER_CHECKS = "1";
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-bench-hardening-"));
// The drill brokers' first instances answer: a fake STOMP broker (its user is drillRequest's) and an
// OpenWire greeting per broker.
const stomp = new FakeStompBroker({ drill: "Drill-Password-2024" });
await stomp.start();
const greeters = new OpenWireGreeters();
class DrillRuntime extends FakeRuntime {
  override async allocatePorts(mode: DeploymentMode): Promise<InstancePorts[]> {
    return drillPorts(await super.allocatePorts(mode), stomp.port, greeters);
  }
}
const runtime = new DrillRuntime();
const internalErrors: string[] = [];
const cloud = await startLocalCloud(
  {
    host: "127.0.0.1",
    port: 0,
    region: "us-east-1",
    dataDir,
    credentials: CREDENTIALS,
    metricsPeriodSeconds: 60,
    credentialsSource: "environment",
  },
  { log: (line) => line.startsWith("internal error") && internalErrors.push(line) },
  { runtime, skipDelays: true },
);
const target = { url: cloud.url, region: cloud.region, credentials: CREDENTIALS };
const clients = drillClients(target);

try {
  // Ids that exist, so generated requests also reach validation behind "not found".
  const broker = await clients.mq.send(
    new CreateBrokerCommand({
      BrokerName: "bench-known",
      EngineType: "ACTIVEMQ",
      EngineVersion: "5.18",
      DeploymentMode: "SINGLE_INSTANCE",
      HostInstanceType: "mq.m5.large",
      AutoMinorVersionUpgrade: true,
      PubliclyAccessible: false,
      Users: [{ Username: "admin", Password: "Bench-Known-Pass-1" }],
    }),
  );
  const configuration = await clients.mq.send(
    new CreateConfigurationCommand({ Name: "bench-known", EngineType: "ACTIVEMQ", EngineVersion: "5.18" }),
  );
  const known = {
    brokerId: broker.BrokerId ?? "x",
    configurationId: configuration.Id ?? "x",
    configurationRevision: "1",
    resourceArn: broker.BrokerArn ?? "x",
    username: "admin",
    queue: "orders",
  };

  const plan = planMalformed(known, Number(values.requests));
  const started = Date.now();
  const tally = await sendMalformed({ ...target, known }, plan, Number(values.concurrency));
  const seconds = (Date.now() - started) / 1000;

  const outcomes: { drill: DrillCase; outcome: DrillOutcome; problems: string[] }[] = [];
  for (const [index, drill] of PROVISIONING_DRILL.entries()) {
    const run = {
      brokerName: `bench-drill-${index}`,
      clientToken: `bench-drill-${index}`,
      stateTable: STATE_TABLE,
    };
    const outcome = await runDrillCase(target, clients, drill, run);
    outcomes.push({ drill, outcome, problems: drillVerdict(drill, outcome) });
  }
  for (const [index, drill] of FAILOVER_DRILL.entries()) {
    const outcome = await runExecutionDrill(target, clients, drill, {
      stateMachineArn: String(cloud.stateMachineArns.failover),
      name: `bench-failover-drill-${index}`,
      input: { source: "schedule" },
    });
    outcomes.push({ drill, outcome, problems: drillVerdict(drill, outcome) });
  }
  const ctx = {
    target,
    clients,
    stateMachineArns: cloud.stateMachineArns,
    greeters,
    stateTable: STATE_TABLE,
    prefix: "bench-",
  };
  const judged = (
    drill: (typeof outcomes)[number]["drill"],
    outcome: (typeof outcomes)[number]["outcome"],
  ) => ({
    drill,
    outcome,
    problems: workflowDrillProblems(drill, drillVerdict(drill, outcome), outcome),
  });
  for (const [index, drill] of MAINTENANCE_DRILL.entries()) {
    outcomes.push(judged(drill, await runMaintenanceCase(ctx, drill, index)));
  }
  const scaledBroker = await prepareAutoscalingDrill(ctx);
  for (const [index, drill] of AUTOSCALING_DRILL.entries()) {
    outcomes.push(judged(drill, await runAutoscalingCase(ctx, scaledBroker, drill, index)));
  }
  for (const [index, drill] of FAILOVER_DETECTION_DRILL.entries()) {
    outcomes.push(judged(drill, await runFailoverCase(ctx, drill, index)));
  }
  const findings = outcomes.filter(({ drill }) => drill.knownFinding !== undefined);
  const orphans = outcomes
    .filter(({ drill }) => drill.knownFinding === undefined)
    .flatMap(({ outcome }) => outcome.leftovers);
  const orphanedRuntime = outcomes.filter(
    ({ outcome }) =>
      outcome.status === "FAILED" && outcome.brokerId !== undefined && runtime.isRunning(outcome.brokerId),
  );

  const byService = (service: string) =>
    Object.entries(tally.byStatus)
      .filter(([key]) => key.startsWith(`${service} `))
      .map(([key, count]) => `${key.slice(service.length + 1)}×${count}`)
      .join(" ");
  const tried = (service: string) =>
    Object.entries(tally.byStatus)
      .filter(([key]) => key.startsWith(`${service} `))
      .reduce((sum, [, count]) => sum + count, 0);
  console.log("");
  console.log("mqops hardening figures (local cloud, fake broker runtime)");
  console.log(`  malformed requests tried          ${tally.tried} in ${seconds.toFixed(1)} s`);
  console.log(`    HTTP API (execute-api)          ${tried("execute-api")}: ${byService("execute-api")}`);
  console.log(`    Amazon MQ API (mq)              ${tried("mq")}: ${byService("mq")}`);
  console.log(`  5xx (or no answer) seen           ${tally.fiveHundreds.length}`);
  console.log(`  password echoed                   ${tally.passwordEchoes}`);
  console.log(`  internal errors logged            ${internalErrors.length}`);
  for (const failure of tally.fiveHundreds.slice(0, 10)) {
    console.log(`    ${failure.status} ${failure.request}: ${failure.body}`);
  }
  console.log(`  fault-injection cases run         ${outcomes.length}`);
  console.log(
    `  ended as expected                 ${outcomes.filter(({ problems }) => problems.length === 0).length}`,
  );
  const byWorkflow = (prefix: string) => outcomes.filter(({ drill }) => drill.name.startsWith(prefix)).length;
  console.log(
    `    maintenance ${byWorkflow("maintenance")}, autoscaling ${byWorkflow("autoscaling")}, failover ${byWorkflow("failover")}, provisioning ${outcomes.length - byWorkflow("maintenance") - byWorkflow("autoscaling") - byWorkflow("failover")}`,
  );
  console.log(`  orphans left                      ${orphans.length + orphanedRuntime.length}`);
  console.log(`  known findings (half-applied)     ${findings.length}`);
  for (const { drill, outcome } of findings) {
    console.log(`    ${drill.name}: ${outcome.leftovers.join("; ") || "no longer shows"}`);
  }
  for (const { drill, problems } of outcomes.filter(({ problems }) => problems.length > 0)) {
    console.log(`    ${drill.name}: ${problems.join("; ")}`);
  }
} finally {
  clients.destroy();
  await cloud.stop();
  await greeters.closeAll();
  await stomp.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
