import path from "node:path";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { startLocalConsole } from "../console/local.js";
import { API_ROUTES } from "../functions/api/routes.js";
import { WORKFLOWS } from "../workflows/index.js";
import { AUTOSCALING_TRIGGER, TRIGGERS } from "../workflows/triggers.js";
import { freeLoopbackPort } from "./brokers/ports.js";
import { ActiveMqRuntime } from "./brokers/runtime.js";
import type { BrokerRuntime } from "./brokers/types.js";
import { type Alarms, createAlarms } from "./cloudwatch/alarms/index.js";
import { createCloudWatchService } from "./cloudwatch/service.js";
import type { LocalCloudConfig } from "./config.js";
import { createDynamoDbService } from "./dynamodb/service.js";
import { createEcsService } from "./ecs/service.js";
import { createEventsService } from "./events/service.js";
import { applyTriggers } from "./events/triggers.js";
import { createChaosControl } from "./faults/control.js";
import { parseFaultPlan } from "./faults/plan.js";
import { FaultInjector } from "./faults/service.js";
import { createGatewayService } from "./gateway/service.js";
import { assertNotRunning, clearRunningCloud, writeRunningCloud } from "./instance-lock.js";
import { startMetricsCollector } from "./metrics/collector.js";
import { collectableBrokers } from "./metrics/runtime-brokers.js";
import { createMqService } from "./mq/service.js";
import { ensureActiveMq, ensureJava } from "./prerequisites.js";
import { createSchedulerService } from "./scheduler/service.js";
import { createSecretsService } from "./secrets/service.js";
import { startServer } from "./server/server.js";
import { LOCAL_ACCOUNT } from "./server/service.js";
import { createSnsService, type PublishedMessage } from "./sns/service.js";
import { loadHandler, PROJECT_ROOT } from "./states/lambda-runtime.js";
import { createStatesService, stateMachineArnFor, stateMachineEnvName } from "./states/service.js";

export interface LocalCloud {
  url: string;
  /** The web console's address with its token (console/), on a loopback port of its own. */
  consoleUrl: string;
  region: string;
  dataDir: string;
  stateMachineArns: Record<string, string>;
  /** The fault rules every service's requests pass through (MQOPS_FAULTS, `mqops chaos`). */
  faults: FaultInjector;
  stop(): Promise<void>;
}

export interface LocalCloudEvents {
  log(line: string): void;
  onPublish?(message: PublishedMessage): void;
  /**
   * A fault (`stopCloud` rule, `mqops chaos stop`) asks the cloud to stop. By default the process
   * sends itself SIGTERM, which `mqops up` answers as it does Ctrl-C.
   */
  onStopRequested?(): void;
}

/** For tests: what the local cloud runs instead of its defaults. */
export interface LocalCloudOptions {
  /** The brokers' runtime (default: real ActiveMQ JVMs under `<dataDir>/brokers`). */
  runtime?: BrokerRuntime;
  /** Every Wait and Retry pause of the workflows shortened to nothing (local/states `skipDelays`). */
  skipDelays?: boolean;
}

/** The names the local cloud gives the resources infra/ creates on AWS (`mqops-<stage>-…`). */
export const LOCAL_STAGE = "local";
const localName = (suffix: string) => `mqops-${LOCAL_STAGE}-${suffix}`;
const notificationsTopicArn = (region: string) =>
  `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${localName("notifications")}`;

/**
 * The environment the handlers in functions/ read, set on this process before any handler module
 * is loaded (their SDK clients are made at module load): the AWS_* variables point every SDK client
 * at the local endpoint, and the resource names are the local ones.
 */
function setHandlerEnvironment(config: LocalCloudConfig, url: string, arns: Record<string, string>) {
  Object.assign(process.env, {
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
    AWS_ENDPOINT_URL: url,
    STATE_TABLE_NAME: localName("state"),
    NOTIFICATIONS_TOPIC_ARN: notificationsTopicArn(config.region),
    // A local broker starts in seconds, not Amazon MQ's 15-20 minutes: poll its state every 2 s.
    PROVISIONING_POLL_SECONDS: process.env.PROVISIONING_POLL_SECONDS ?? "2",
    // The same for maintenance's wait after a reboot (Amazon MQ: 60 s; a local reboot takes seconds).
    MAINTENANCE_POLL_SECONDS: process.env.MAINTENANCE_POLL_SECONDS ?? "2",
    // The queues' alarms are named for the local autoscaling rule and follow the local metrics period.
    // Local instances take over in about a second: probe every 2 s within a failover check.
    FAILOVER_PROBE_INTERVAL_SECONDS: process.env.FAILOVER_PROBE_INTERVAL_SECONDS ?? "2",
    AUTOSCALING_ALARM_PREFIX: localName(AUTOSCALING_TRIGGER.name),
    AUTOSCALING_ALARM_PERIOD_SECONDS: String(config.metricsPeriodSeconds),
    POWERTOOLS_SERVICE_NAME: "mqops",
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? "true",
    POWERTOOLS_TRACE_ENABLED: "false",
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  for (const [workflow, arn] of Object.entries(arns)) {
    process.env[stateMachineEnvName(workflow)] = arn;
  }
}

/** The state table as infra/storage.ts declares it (pk/sk, on demand), created once. */
async function ensureStateTable(url: string, config: LocalCloudConfig) {
  const client = new DynamoDBClient({
    endpoint: url,
    region: config.region,
    credentials: config.credentials,
  });
  const TableName = localName("state");
  try {
    await client.send(new DescribeTableCommand({ TableName }));
  } catch (error) {
    if ((error as Error).name !== "ResourceNotFoundException") throw error;
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
      }),
    );
  }
  client.destroy();
}

/** The rules and schedules infra/ deploys from workflows/triggers.ts, put through the local APIs. */
async function applyLocalTriggers(url: string, config: LocalCloudConfig, arns: Record<string, string>) {
  const clientConfig = { endpoint: url, region: config.region, credentials: config.credentials };
  const eventsClient = new EventBridgeClient(clientConfig);
  const schedulerClient = new SchedulerClient(clientConfig);
  try {
    await applyTriggers({
      triggers: TRIGGERS,
      physicalName: localName,
      stateMachineArns: arns,
      events: eventsClient,
      scheduler: schedulerClient,
    });
  } finally {
    eventsClient.destroy();
    schedulerClient.destroy();
  }
}

/**
 * Starts the local cloud: one signed AWS endpoint (Amazon MQ, Step Functions, DynamoDB, Secrets
 * Manager, SNS and the HTTP API) on loopback, the project's workflows registered, and every broker
 * that was running started again from the data directory.
 */
export async function startLocalCloud(
  config: LocalCloudConfig,
  events: LocalCloudEvents,
  options: LocalCloudOptions = {},
): Promise<LocalCloud> {
  // A bad MQOPS_FAULTS fails the start before anything runs, with the rule's field named.
  const faults = new FaultInjector(parseFaultPlan(process.env.MQOPS_FAULTS), {
    onStopCloud: () => requestStop(),
  });
  const requestStop = () => {
    events.log("a fault stops the local cloud now");
    if (events.onStopRequested !== undefined) events.onStopRequested();
    else process.kill(process.pid, "SIGTERM");
  };
  ensureJava();
  ensureActiveMq(events.log);
  assertNotRunning(config.dataDir);

  // The handlers need the endpoint's URL before they load, so port 0 is resolved here.
  const port = config.port === 0 ? await freeLoopbackPort() : config.port;
  const url = `http://${config.host}:${port}`;
  const stateMachineArns = Object.fromEntries(
    WORKFLOWS.map((spec) => [spec.name, stateMachineArnFor(localName(spec.name), config.region)]),
  );
  setHandlerEnvironment(config, url, stateMachineArns);

  // Constructing it starts nothing: JVMs start with the first broker.
  const activeMq = new ActiveMqRuntime({ dataDir: path.join(config.dataDir, "brokers") });
  const runtime: BrokerRuntime = options.runtime ?? activeMq;
  const sns = createSnsService({ dataDir: config.dataDir, onPublish: events.onPublish });
  const mq = createMqService({
    dataDir: config.dataDir,
    runtime,
    // CRDR pairs' TotalReplicationLag goes where the collector's metrics go (cloudwatch is made below).
    replication: {
      publishMetrics: (namespace, data) => cloudwatch.metrics.putMetricData(namespace, data),
      metricsPeriodSeconds: config.metricsPeriodSeconds,
      log: events.log,
    },
  });
  const states = createStatesService({
    dataDir: config.dataDir,
    region: config.region,
    workflows: WORKFLOWS.map((spec) => ({ ...spec, name: localName(spec.name) })),
    ...(options.skipDelays === true ? { skipDelays: true } : {}),
  });
  const startExecution = states.startExecution;
  const eventBus = createEventsService({
    dataDir: config.dataDir,
    region: config.region,
    startExecution,
    onDelivery: (outcome) => {
      if (outcome.error !== undefined) {
        events.log(
          `rule ${outcome.ruleName}: gave up starting ${outcome.stateMachineArn} after ${outcome.attempts} attempts: ${(outcome.error as Error).message}`,
        );
      }
    },
  });
  let alarms: Alarms | undefined;
  const cloudwatch = createCloudWatchService({
    dataDir: config.dataDir,
    region: config.region,
    extraOperations: (metrics) => {
      alarms = createAlarms({
        dataDir: config.dataDir,
        region: config.region,
        metrics,
        emitEvent: (event) => eventBus.putEvent(event),
        publishToTopic: (topicArn, subject, message) => {
          sns.publish(topicArn, message, subject);
        },
      });
      return alarms.operations;
    },
  });
  const ecs = createEcsService({
    dataDir: config.dataDir,
    region: config.region,
    projectRoot: PROJECT_ROOT,
    // A task finds the local cloud (and its brokers' endpoints) the way the mqops command does.
    taskEnvironment: {
      MQOPS_DATA_DIR: config.dataDir,
      MQOPS_ACCESS_KEY_ID: config.credentials.accessKeyId,
      MQOPS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      AWS_ENDPOINT_URL: url,
      AWS_REGION: config.region,
    },
  });
  const services = [
    mq,
    states,
    sns,
    cloudwatch,
    eventBus,
    createSchedulerService({ dataDir: config.dataDir, region: config.region, startExecution }),
    ecs,
    createSecretsService({ dataDir: config.dataDir }),
    await createDynamoDbService({ dataDir: config.dataDir }),
    createGatewayService({
      routes: API_ROUTES,
      loadHandler: (handlerPath) => loadHandler(handlerPath),
      onHandlerError: (error, route) => events.log(`${route}: ${(error as Error).message}`),
    }),
  ].map((service) => faults.wrap(service));
  // The chaos control itself is never faulted: it must answer to clear the faults.
  services.push(createChaosControl({ faults, runtime, stopCloud: requestStop }));
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      host: config.host,
      port,
      credentials: config.credentials,
      services,
      onInternalError: (error, request) =>
        events.log(`internal error on ${request.method} ${request.path}: ${(error as Error).stack ?? error}`),
    });
  } catch (error) {
    await Promise.all(services.map((service) => service.close?.()));
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`${config.host}:${port} is in use: set MQOPS_PORT to another port.`);
    }
    throw error;
  }

  let collector: ReturnType<typeof startMetricsCollector> | undefined;
  let webConsole: Awaited<ReturnType<typeof startLocalConsole>> | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await webConsole?.close();
    await collector?.stop();
    await alarms?.close();
    await server.close(); // closes every service; Amazon MQ's stops every broker, ECS every task
    clearRunningCloud(config.dataDir);
  };
  try {
    sns.ensureTopic(notificationsTopicArn(config.region));
    await ensureStateTable(url, config);
    writeRunningCloud(config.dataDir, {
      pid: process.pid,
      url,
      region: config.region,
      startedAt: new Date().toISOString(),
    });
    await mq.resume();
    await states.resume();
    await applyLocalTriggers(url, config, stateMachineArns);
    await ecs.resume();
    collector = startMetricsCollector({
      periodSeconds: config.metricsPeriodSeconds,
      brokers: () => (runtime === activeMq ? collectableBrokers(activeMq) : []),
      publish: (namespace, data) => cloudwatch.metrics.putMetricData(namespace, data),
      log: events.log,
    });
    webConsole = await startLocalConsole({
      endpointUrl: url,
      region: config.region,
      credentials: config.credentials,
      host: config.host,
      onError: (error) => events.log(`console: ${(error as Error).stack ?? error}`),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const consoleUrl = webConsole.tokenUrl;
  if (faults.list().length > 0) events.log(`fault rules from MQOPS_FAULTS: ${faults.list().length}`);
  return { url, consoleUrl, region: config.region, dataDir: config.dataDir, stateMachineArns, faults, stop };
}
