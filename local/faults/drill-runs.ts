import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import {
  api,
  type DrillCase,
  type DrillClients,
  type DrillOutcome,
  type DrillTarget,
  runCheckedDrill,
} from "./drill.js";
import { alarmEvent, autoscalingLeftovers } from "./drill-autoscaling.js";
import { failoverDrillInput, failoverLeftovers } from "./drill-failover.js";
import {
  maintenanceDrillInput,
  maintenanceLeftovers,
  newConfigurationRevision,
} from "./drill-maintenance.js";
import { type OpenWireGreeters, provisionDrillBroker } from "./drill-workflows.js";

/**
 * One case of the maintenance, autoscaling or failover drill, set up, run and checked: shared by
 * test/integration/faults-workflows.test.ts and `npm run bench:hardening`. The local cloud must run
 * brokers whose first instance answers (drillPorts) and FAILOVER_UNAVAILABLE_AFTER_CHECKS=1.
 */
export interface WorkflowDrillContext {
  target: DrillTarget;
  clients: DrillClients;
  stateMachineArns: Record<string, string>;
  greeters: OpenWireGreeters;
  stateTable: string;
  /** Names of brokers and executions start with it (unique per local cloud). */
  prefix: string;
}

/** A fresh broker on 5.18 with a newer configuration revision, upgraded to 5.19 under the faults. */
export async function runMaintenanceCase(
  ctx: WorkflowDrillContext,
  drill: DrillCase,
  index: number,
): Promise<DrillOutcome> {
  const name = `${ctx.prefix}maint-${index}`;
  const brokerId = await provisionDrillBroker(ctx.target, ctx.clients, name);
  await newConfigurationRevision(ctx.clients, brokerId);
  return runCheckedDrill(
    ctx.target,
    ctx.clients,
    drill,
    {
      stateMachineArn: String(ctx.stateMachineArns.maintenance),
      name,
      input: maintenanceDrillInput(brokerId),
    },
    (run) => maintenanceLeftovers(ctx.target, ctx.clients, brokerId, run),
  );
}

const ecsClient = (target: DrillTarget) =>
  new ECSClient({ endpoint: target.url, region: target.region, credentials: target.credentials });
const CLUSTER = "drill";
const TASK_FAMILY = "drill-consumer";

/** The broker, ECS cluster and task definition every autoscaling case shares; returns the broker id. */
export async function prepareAutoscalingDrill(ctx: WorkflowDrillContext): Promise<string> {
  const brokerId = await provisionDrillBroker(ctx.target, ctx.clients, `${ctx.prefix}autoscaling`);
  const ecs = ecsClient(ctx.target);
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: TASK_FAMILY,
        containerDefinitions: [{ name: "consumer", image: "mqops/consumer", memory: 128 }],
      }),
    );
  } finally {
    ecs.destroy();
  }
  return brokerId;
}

/** A fresh queue registered with a fresh ECS service at 0 consumers, its scale-out alarm firing. */
export async function runAutoscalingCase(
  ctx: WorkflowDrillContext,
  brokerId: string,
  drill: DrillCase,
  index: number,
): Promise<DrillOutcome> {
  const ecs = ecsClient(ctx.target);
  try {
    const service = `${ctx.prefix}consumers-${index}`;
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: service,
        taskDefinition: TASK_FAMILY,
        desiredCount: 0,
      }),
    );
    const registered = await api(
      ctx.target,
      "PUT",
      `/brokers/${brokerId}/queues/orders-${index}/autoscaling`,
      {
        ecs: { cluster: CLUSTER, service },
      },
    );
    if (registered.status !== 201)
      throw new Error(`registration: ${registered.status} ${JSON.stringify(registered.body)}`);
    const alarms = registered.body.alarms as { kind: string; alarmName: string }[];
    const alarm = alarms.find((entry) => entry.kind === "scale-out")?.alarmName ?? "";
    const stateMachineArn = String(ctx.stateMachineArns.autoscaling);
    const name = `${ctx.prefix}autoscaling-${index}`;
    return await runCheckedDrill(
      ctx.target,
      ctx.clients,
      drill,
      { stateMachineArn, name, input: alarmEvent(name, alarm) },
      (run) =>
        autoscalingLeftovers(
          { ...ctx.clients, ecs },
          {
            registrationId: String(registered.body.registrationId),
            stateTable: ctx.stateTable,
            cluster: CLUSTER,
            service,
            executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`,
          },
          0,
          run,
        ),
    );
  } finally {
    // Deregistered after the check: the queue's alarms would otherwise go on starting runs (and
    // making DynamoDB and ECS calls) during later cases, where they could use up a fault rule.
    await api(ctx.target, "DELETE", `/brokers/${brokerId}/queues/orders-${index}/autoscaling`);
    ecs.destroy();
  }
}

/** A fresh active/standby broker: a round with its active instance answering, then it goes silent. */
export async function runFailoverCase(
  ctx: WorkflowDrillContext,
  drill: DrillCase,
  index: number,
): Promise<DrillOutcome> {
  const name = `${ctx.prefix}failover-${index}`;
  const brokerId = await provisionDrillBroker(ctx.target, ctx.clients, name, "ACTIVE_STANDBY_MULTI_AZ");
  const stateMachineArn = String(ctx.stateMachineArns.failover);
  const baseline = await runCheckedDrill(
    ctx.target,
    ctx.clients,
    { name: "baseline", step: "ProbeBroker", rules: [], expected: { status: "SUCCEEDED" } },
    { stateMachineArn, name: `${name}-baseline`, input: failoverDrillInput(brokerId) },
    async () => [],
  );
  if (baseline.status !== "SUCCEEDED") throw new Error(`${name}: the baseline round failed`);
  await ctx.greeters.silence(await activeOpenWirePort(ctx.clients, brokerId));
  return runCheckedDrill(
    ctx.target,
    ctx.clients,
    drill,
    { stateMachineArn, name, input: failoverDrillInput(brokerId) },
    (run) => failoverLeftovers(ctx.clients, stateMachineArn, brokerId, run),
  );
}

/** The OpenWire port of a broker's first (active) instance. */
async function activeOpenWirePort(clients: DrillClients, brokerId: string): Promise<number> {
  const broker = await clients.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
  const endpoint =
    (broker.BrokerInstances?.[0]?.Endpoints ?? []).find((url) => /^(tcp|ssl):/.test(url)) ?? "";
  return Number(/:(\d+)$/.exec(endpoint)?.[1] ?? 0);
}

/**
 * Whether an outcome is what the case expects. A case with a known finding must end as expected
 * and still show the finding (something left half-applied): once it is fixed, this says so.
 */
export function workflowDrillProblems(drill: DrillCase, problems: string[], outcome: DrillOutcome): string[] {
  if (drill.knownFinding === undefined) return problems;
  const others = problems.filter((problem) => !problem.startsWith("left behind: "));
  return outcome.leftovers.length === 0
    ? [...others, "the known finding no longer shows: remove the mark"]
    : others;
}
