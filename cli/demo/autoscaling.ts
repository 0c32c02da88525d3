import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import {
  DEFAULT_HOST_INSTANCE_TYPE,
  DeploymentMode,
  ENGINE_TYPE,
  LATEST_ENGINE_VERSION,
} from "../../functions/lib/amazon-mq.js";
import { resolveCredentials, resolveDataDir } from "../../local/config.js";
import { readRunningCloud } from "../../local/instance-lock.js";
import { CliError, callApi, expectOk } from "../api.js";
import { followExecution } from "../progress.js";
import { renderChart } from "./chart.js";
import { type DemoRun, type DemoSample, demoSettings, SERVICE_MS, summarise } from "./summary.js";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "..", "..");
const MQOPS = path.join(PROJECT_ROOT, "cli", "mqops.ts");
const CLUSTER = "mqops-demo";

const USAGE = `usage: mqops demo autoscaling [--rate 15] [--ramp 60] [--hold 90] [--max 6]
  Creates a broker and a consumer service on the local cloud, registers the queue for autoscaling,
  drives a load that ramps up to --rate messages/s over --ramp seconds, holds it for --hold seconds and
  stops, and prints a live timeline until the fleet is back at zero. Start the cloud with
  MQOPS_METRICS_PERIOD_SECONDS=10 for a run of a few minutes.`;

function connection() {
  const dataDir = resolveDataDir();
  const running = readRunningCloud(dataDir);
  if (running === undefined) throw new CliError(`The local cloud is not running on ${dataDir}: npm start`);
  const { credentials } = resolveCredentials(dataDir, process.env);
  return { dataDir, config: { endpoint: running.url, region: running.region, credentials } };
}

/** `mqops load` as a child process (it prints its own progress, which the demo keeps quiet). */
function startLoad(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", MQOPS, "load", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code ?? 1));
  });

const number = (flag: string, text: string | undefined, min: number) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min)
    throw new CliError(`demo autoscaling: ${flag} must be ≥ ${min}`, 2);
  return value;
};

/** `mqops demo autoscaling`: the autoscaling loop shown live on a real broker of the local cloud. */
export async function demoAutoscaling(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rate: { type: "string", default: "15" },
      ramp: { type: "string", default: "60" },
      hold: { type: "string", default: "90" },
      max: { type: "string", default: "6" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rate = number("--rate", values.rate, 1);
  const rampSeconds = number("--ramp", values.ramp, 1);
  const holdSeconds = number("--hold", values.hold, 1);
  const maxConsumers = number("--max", values.max, 1);
  const { dataDir, config } = connection();
  const runId = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
  const runDir = path.join(dataDir, "demo", `autoscaling-${runId}`);
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const waitsFile = path.join(runDir, "waits.txt");
  writeFileSync(waitsFile, "");
  const user = { username: "demo", password: `Demo-${randomBytes(12).toString("hex")}` };
  const log = (line: string) => console.log(line);

  log(`1/4 creating broker demo-${runId.slice(-6)} (SINGLE_INSTANCE)…`);
  const created = expectOk(
    await callApi("POST", "/brokers", {
      brokerName: `demo-${runId.slice(-6)}`,
      engineType: ENGINE_TYPE,
      engineVersion: LATEST_ENGINE_VERSION,
      deploymentMode: DeploymentMode.SINGLE_INSTANCE,
      hostInstanceType: DEFAULT_HOST_INSTANCE_TYPE,
      users: [user],
    }),
  );
  const execution = await followExecution(String(created.executionId), false);
  if (execution.status !== "SUCCEEDED")
    throw new CliError(`demo autoscaling: provisioning ${String(execution.status)}`);
  const brokerId = String((execution.output as { brokerId?: string } | undefined)?.brokerId ?? "");
  const queue = "demo.orders";

  log(`2/4 creating ECS service ${CLUSTER}/consumers (mqops/consumer, ${SERVICE_MS} ms a message)…`);
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const family = `demo-consumer-${runId.slice(-6)}`;
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        {
          name: "consumer",
          image: "mqops/consumer",
          memory: 128,
          stopTimeout: 5,
          environment: [
            { name: "MQOPS_BROKER_ID", value: brokerId },
            { name: "MQOPS_QUEUE", value: queue },
            { name: "MQOPS_SERVICE_MS", value: String(SERVICE_MS) },
            { name: "MQOPS_WAITS_FILE", value: waitsFile },
            { name: "MQ_USERNAME", value: user.username },
            { name: "MQ_PASSWORD", value: user.password },
          ],
        },
      ],
    }),
  );
  const serviceName = `consumers-${runId.slice(-6)}`;
  await ecs.send(
    new CreateServiceCommand({ cluster: CLUSTER, serviceName, taskDefinition: family, desiredCount: 0 }),
  );

  log("3/4 registering the queue for autoscaling (scale to zero on)…");
  const settings = demoSettings(maxConsumers);
  const registration = expectOk(
    await callApi("PUT", `/brokers/${brokerId}/queues/${queue}/autoscaling`, {
      ecs: { cluster: CLUSTER, service: serviceName },
      settings,
    }),
  );
  const periodSeconds = Number(registration.periodSeconds ?? 60);
  const brokerName = String(registration.brokerName ?? "");

  log(
    `4/4 load: ramp to ${rate}/s over ${rampSeconds} s, hold ${holdSeconds} s, stop (period ${periodSeconds} s)`,
  );
  const loadEnv = { MQ_USERNAME: user.username, MQ_PASSWORD: user.password };
  const loadStartedAt = Date.now();
  const common = ["--broker", brokerId, "--queue", queue, "--rate", `${rate}/s`];
  const loadDone = (async () => {
    const ramp = startLoad([...common, "--shape", "ramp", "--for", `${rampSeconds}s`], loadEnv);
    await exited(ramp);
    await exited(startLoad([...common, "--for", `${holdSeconds}s`], loadEnv));
  })();
  let loadFinished = false;
  void loadDone.then(() => {
    loadFinished = true;
  });

  const cloudwatch = new CloudWatchClient(config);
  const dimension = (name: string, stat: string, id: string) => ({
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: "AWS/AmazonMQ",
        MetricName: name,
        Dimensions: [
          { Name: "Broker", Value: `${brokerName}-1` },
          { Name: "Queue", Value: queue },
        ],
      },
      Period: periodSeconds,
      Stat: stat,
    },
  });
  const samples: DemoSample[] = [];
  /** Every decision seen, by time and execution: the API keeps only the last 20. */
  const decisions = new Map<string, DemoRun["decisions"][number]>();
  const started = Date.now();
  log("");
  log("  time   arrivals  backlog  desired  running  decision");
  for (;;) {
    const boundary = (Math.floor(Date.now() / (periodSeconds * 1000)) + 1) * periodSeconds * 1000;
    await sleep(boundary - Date.now() + 1500); // the collector publishes just after the boundary
    const metrics = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          dimension("EnqueueCount", "Sum", "arrivals"),
          dimension("QueueSize", "Maximum", "backlog"),
        ],
        StartTime: new Date(boundary - periodSeconds * 1000),
        EndTime: new Date(boundary),
      }),
    );
    const value = (id: string) => metrics.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0] ?? 0;
    const service = (
      await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [serviceName] }))
    ).services?.[0];
    const status = expectOk(await callApi("GET", `/brokers/${brokerId}/queues/${queue}/autoscaling`));
    const recent = (status.decisions ?? []) as DemoRun["decisions"];
    for (const decision of recent) decisions.set(`${decision.at} ${decision.executionArn}`, decision);
    const latest = recent[0];
    const previous = samples.at(-1);
    const sample: DemoSample = {
      at: boundary,
      arrivals: value("arrivals"),
      backlog: value("backlog"),
      desired: service?.desiredCount ?? 0,
      running: service?.runningCount ?? 0,
    };
    if (previous !== undefined && previous.desired !== sample.desired) {
      sample.decision = {
        action: String(latest?.action ?? "change"),
        from: previous.desired,
        to: sample.desired,
        reason: String(latest?.reason ?? ""),
      };
    }
    samples.push(sample);
    const clock = `${Math.floor((boundary - started) / 60_000)}:${String(Math.floor(((boundary - started) / 1000) % 60)).padStart(2, "0")}`;
    const reason =
      sample.decision === undefined
        ? ""
        : `${sample.decision.from} → ${sample.decision.to}: ${sample.decision.reason}`;
    log(
      `  ${clock.padStart(5)}  ${String(sample.arrivals).padStart(8)}  ${String(sample.backlog).padStart(7)}  ${String(sample.desired).padStart(7)}  ${String(sample.running).padStart(7)}  ${reason.slice(0, 110)}`,
    );
    if (loadFinished && sample.desired === 0 && sample.running === 0 && sample.backlog === 0) break;
    if (Date.now() - started > (rampSeconds + holdSeconds + 600) * 1000) {
      log("  (stopping the timeline: the fleet did not return to zero within 10 minutes of the load's end)");
      break;
    }
  }
  await loadDone;

  const waits = readFileSync(waitsFile, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map(Number);
  const summary = summarise(samples, waits, periodSeconds);
  const chartFile = path.join(runDir, "chart.svg");
  writeFileSync(chartFile, renderChart(samples, `mqops demo autoscaling ${runId}`));
  const run: DemoRun = {
    load: { ratePerSecond: rate, rampSeconds, holdSeconds, startedAt: loadStartedAt },
    serviceMs: SERVICE_MS,
    periodSeconds,
    settings,
    samples,
    decisions: [...decisions.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    summary,
  };
  writeFileSync(path.join(runDir, "samples.json"), `${JSON.stringify(run, null, 2)}\n`);
  log("");
  log(`p95 wait ${summary.p95WaitSeconds.toFixed(1)} s over ${summary.messagesTimed} messages (target 30 s)`);
  log(`consumer-minutes ${summary.consumerMinutes.toFixed(1)}, peak ${summary.peakConsumers} consumers`);
  log(`scale actions: ${summary.scaleOuts} out, ${summary.scaleIns} in`);
  log(`chart: ${chartFile}`);
  log(`run: ${path.join(runDir, "samples.json")}`);
  log(`broker ${brokerId} and service ${CLUSTER}/${serviceName} are left for you to look at.`);
}
