import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { DescribeBrokerCommand } from "@aws-sdk/client-mq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentMode, InstancePorts } from "../../local/brokers/types.js";
import { type LocalCloud, startLocalCloud } from "../../local/cloud.js";
import {
  api,
  type DrillCase,
  type DrillClients,
  type DrillTarget,
  drillClients,
  drillVerdict,
} from "../../local/faults/drill.js";
import { AUTOSCALING_DRILL, alarmEvent, autoscalingLeftovers } from "../../local/faults/drill-autoscaling.js";
import {
  FAILOVER_DETECTION_DRILL,
  failoverDrillInput,
  failoverLeftovers,
} from "../../local/faults/drill-failover.js";
import {
  MAINTENANCE_DRILL_CI,
  maintenanceDrillInput,
  maintenanceLeftovers,
  newConfigurationRevision,
} from "../../local/faults/drill-maintenance.js";
import {
  drillPorts,
  OpenWireGreeters,
  provisionDrillBroker,
  runCheckedDrill,
} from "../../local/faults/drill-workflows.js";
import { FakeStompBroker } from "../support/fake-stomp-broker.js";
import { FakeRuntime } from "../unit/local/mq/fake-runtime.js";
import { CLOUD_CREDENTIALS } from "./support/local-cloud-process.js";

// Every Task of the maintenance, autoscaling and failover workflows with real faults injected into
// the local cloud (one in this process, brokers on the fake runtime, Wait and Retry pauses shortened
// to nothing). The brokers' first instances answer on loopback: a fake STOMP broker the maintenance
// probes log in to, an OpenWire greeting per broker for the failover probes; no JVM adds anything.
const STATE_TABLE = "mqops-local-state";
const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-faults-workflows-"));
const stomp = new FakeStompBroker({ drill: "Drill-Password-2024" });
const greeters = new OpenWireGreeters();

class DrillRuntime extends FakeRuntime {
  override async allocatePorts(mode: DeploymentMode): Promise<InstancePorts[]> {
    return drillPorts(await super.allocatePorts(mode), stomp.port, greeters);
  }
}

let cloud: LocalCloud;
let target: DrillTarget;
let clients: DrillClients;

beforeAll(async () => {
  // One attempt per SDK call in the handlers: the fault reaches the workflow's Retry.
  process.env.AWS_MAX_ATTEMPTS = "1";
  // One silent round makes the failover detector call a broker unavailable (an event to publish).
  process.env.FAILOVER_UNAVAILABLE_AFTER_CHECKS = "1";
  await stomp.start();
  cloud = await startLocalCloud(
    {
      host: "127.0.0.1",
      port: 0,
      region: "us-east-1",
      dataDir,
      credentials: CLOUD_CREDENTIALS,
      metricsPeriodSeconds: 60,
      credentialsSource: "environment",
    },
    { log: () => {} },
    { runtime: new DrillRuntime(), skipDelays: true },
  );
  target = { url: cloud.url, region: cloud.region, credentials: CLOUD_CREDENTIALS };
  clients = drillClients(target);
});

afterAll(async () => {
  clients?.destroy();
  await cloud?.stop();
  await greeters.closeAll();
  await stomp.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("maintenance under injected faults", () => {
  for (const [index, drill] of MAINTENANCE_DRILL_CI.entries()) {
    drillIt(drill)(caseName(drill), async () => {
      const brokerId = await provisionDrillBroker(target, clients, `maint-drill-${index}`);
      await newConfigurationRevision(clients, brokerId);

      const outcome = await runCheckedDrill(
        target,
        clients,
        drill,
        {
          stateMachineArn: String(cloud.stateMachineArns.maintenance),
          name: `maint-drill-${index}`,
          input: maintenanceDrillInput(brokerId),
        },
        (run) => maintenanceLeftovers(target, clients, brokerId, run),
      );

      expect(drillVerdict(drill, outcome), JSON.stringify(outcome)).toEqual([]);
    });
  }
});

describe("autoscaling under injected faults", () => {
  const ecs = () =>
    new ECSClient({ endpoint: target.url, region: target.region, credentials: target.credentials });
  let brokerId: string;

  beforeAll(async () => {
    brokerId = await provisionDrillBroker(target, clients, "autoscaling-drill");
    await ecs().send(new CreateClusterCommand({ clusterName: "drill" }));
    await ecs().send(
      new RegisterTaskDefinitionCommand({
        family: "drill-consumer",
        containerDefinitions: [{ name: "consumer", image: "mqops/consumer", memory: 128 }],
      }),
    );
  });

  for (const [index, drill] of AUTOSCALING_DRILL.entries()) {
    drillIt(drill)(caseName(drill), async () => {
      const client = ecs();
      const service = `consumers-${index}`;
      await client.send(
        new CreateServiceCommand({
          cluster: "drill",
          serviceName: service,
          taskDefinition: "drill-consumer",
          desiredCount: 0,
        }),
      );
      const registered = await api(target, "PUT", `/brokers/${brokerId}/queues/orders-${index}/autoscaling`, {
        ecs: { cluster: "drill", service },
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      const alarms = registered.body.alarms as { kind: string; alarmName: string }[];
      const alarm = alarms.find((entry) => entry.kind === "scale-out")?.alarmName ?? "";
      const stateMachineArn = String(cloud.stateMachineArns.autoscaling);
      const name = `autoscaling-drill-${index}`;

      const outcome = await runCheckedDrill(
        target,
        clients,
        drill,
        { stateMachineArn, name, input: alarmEvent(name, alarm) },
        (run) =>
          autoscalingLeftovers(
            { ...clients, ecs: client },
            {
              registrationId: String(registered.body.registrationId),
              stateTable: STATE_TABLE,
              cluster: "drill",
              service,
              executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`,
            },
            0,
            run,
          ),
      );
      client.destroy();

      expect(drillVerdict(drill, outcome), JSON.stringify(outcome)).toEqual([]);
    });
  }
});

describe("failover detection under injected faults", () => {
  for (const [index, drill] of FAILOVER_DETECTION_DRILL.entries()) {
    drillIt(drill)(caseName(drill), async () => {
      const brokerId = await provisionDrillBroker(
        target,
        clients,
        `failover-drill-${index}`,
        "ACTIVE_STANDBY_MULTI_AZ",
      );
      const stateMachineArn = String(cloud.stateMachineArns.failover);
      // A round with the active instance answering, then it goes silent.
      const baseline = await runCheckedDrill(
        target,
        clients,
        { name: "baseline", step: "ProbeBroker", rules: [], expected: { status: "SUCCEEDED" } },
        { stateMachineArn, name: `failover-drill-${index}-baseline`, input: failoverDrillInput(brokerId) },
        async () => [],
      );
      expect(baseline.status).toBe("SUCCEEDED");
      await greeters.silence(await activeOpenWirePort(brokerId));

      const outcome = await runCheckedDrill(
        target,
        clients,
        drill,
        { stateMachineArn, name: `failover-drill-${index}`, input: failoverDrillInput(brokerId) },
        (run) => failoverLeftovers(clients, stateMachineArn, brokerId, run),
      );

      expect(drillVerdict(drill, outcome), JSON.stringify(outcome)).toEqual([]);
    });
  }
});

const caseName = (drill: DrillCase) =>
  drill.knownFinding === undefined ? drill.name : `${drill.name} [known finding: ${drill.knownFinding}]`;

/** `it`, or `it.fails` for a case whose known finding (drill.ts `knownFinding`) is not fixed yet. */
function drillIt(drill: DrillCase) {
  // A known finding's case must still fail: when it passes, the finding is fixed and the mark goes.
  return drill.knownFinding === undefined ? it : it.fails;
}

/** The OpenWire port of a broker's first (active) instance. */
async function activeOpenWirePort(brokerId: string): Promise<number> {
  const broker = await clients.mq.send(new DescribeBrokerCommand({ BrokerId: brokerId }));
  const endpoint =
    (broker.BrokerInstances?.[0]?.Endpoints ?? []).find((url) => /^(tcp|ssl):/.test(url)) ?? "";
  return Number(/:(\d+)$/.exec(endpoint)?.[1] ?? 0);
}
