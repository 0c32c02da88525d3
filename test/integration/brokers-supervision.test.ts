import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { instanceLayout } from "../../local/brokers/layout.js";
import { acceptsConnections } from "../../local/brokers/ports.js";
import { ActiveMqRuntime } from "../../local/brokers/runtime.js";
import type {
  BrokerRunSpec,
  DeploymentMode,
  InstancePorts,
  InstanceStatus,
} from "../../local/brokers/types.js";
import { ManualTimers } from "./support/manual-timers.js";
import { StompSession } from "./support/stomp-client.js";

// Real ActiveMQ JVMs (Debian's activemq 5.17): each start takes 2–5 s on two cores.
const BROKER_TEST_TIMEOUT_MS = 120_000;
/** How long a killed instance may take to be running again (backoff 1 s + a JVM start). */
const RESTART_WITHIN_MS = 15_000;

const dataDir = mkdtempSync(path.join(tmpdir(), "mqops-supervision-"));
const runtime = new ActiveMqRuntime({ dataDir });
// Restarts and failover polls wait until the test runs them: a test shows that nothing is left to
// happen (nothing pending) instead of sleeping through the backoffs.
const heldTimers = new ManualTimers();
const heldRuntime = new ActiveMqRuntime({ dataDir, timers: heldTimers });
// An early give-up, so that a crash loop ends after three failures (its backoffs run when the test says).
const impatientTimers = new ManualTimers();
const impatientRuntime = new ActiveMqRuntime({
  dataDir,
  timers: impatientTimers,
  restartPolicy: {
    initialBackoffMs: 200,
    maxBackoffMs: 400,
    stableAfterMs: 60_000,
    maxConsecutiveFailures: 3,
    failoverWaitMs: 1_000,
  },
});
const USER = { username: "app", password: "supervised-pass", groups: ["admins"] };

let brokerCount = 0;

async function brokerSpec(mode: DeploymentMode): Promise<BrokerRunSpec> {
  brokerCount += 1;
  return {
    brokerId: `s-${brokerCount}`,
    brokerName: `supervised-${brokerCount}`,
    deploymentMode: mode,
    configurationXml: "",
    users: [USER],
    ports: await runtime.allocatePorts(mode),
  };
}

function portsOf(spec: BrokerRunSpec, index: number): InstancePorts {
  const ports = spec.ports[index];
  if (ports === undefined) throw new Error(`${spec.brokerId} has no instance ${index + 1}`);
  return ports;
}

function pidOf(status: InstanceStatus[], index: number): number {
  const pid = status[index]?.pid;
  if (pid === undefined) throw new Error(`instance ${index + 1} has no pid: ${JSON.stringify(status)}`);
  return pid;
}

/** Whether any JVM still runs with a file of this directory on its command line. */
function javaRunningUnder(directory: string): boolean {
  try {
    execFileSync("pgrep", ["-f", `activemq.jar start xbean:file:${directory}/`]);
    return true;
  } catch {
    return false;
  }
}

async function accepting(ports: InstancePorts): Promise<boolean> {
  return (await acceptsConnections(ports.openwire)) && (await acceptsConnections(ports.stomp));
}

/** Polls until `condition` holds; resolves with the time it took. */
async function within(what: string, timeoutMs: number, condition: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return Date.now() - started;
    await sleep(50);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** How many times the instance's log has said it waits for the store's lock (a standby's start). */
function lockWaitsLogged(spec: BrokerRunSpec, index: number): number {
  const { logFile } = instanceLayout(dataDir, spec.brokerId, spec.deploymentMode, index);
  try {
    return readFileSync(logFile, "utf8").split("is locked by another server").length - 1;
  } catch {
    return 0;
  }
}

/** Polls the runtime until the instance runs a JVM other than `oldPid`; resolves with the time it took. */
function restartedWithin(spec: BrokerRunSpec, index: number, oldPid: number, timeoutMs: number) {
  return within(`restart of ${spec.brokerId} instance ${index + 1}`, timeoutMs, async () => {
    const pid = runtime.status(spec.brokerId)[index]?.pid;
    return pid !== undefined && pid !== oldPid;
  });
}

afterAll(async () => {
  await Promise.all([runtime.stopAll(), heldRuntime.stopAll(), impatientRuntime.stopAll()]);
  expect(javaRunningUnder(dataDir)).toBe(false);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("ACTIVE_STANDBY_MULTI_AZ under supervision", () => {
  it(
    "brings a killed active back as the standby, which takes over when the new active is killed, losing no message",
    async () => {
      const spec = await brokerSpec("ACTIVE_STANDBY_MULTI_AZ");
      await runtime.start(spec);
      const before = await runtime.checkStatus(spec.brokerId);
      const first = before.findIndex((instance) => instance.active);
      const second = 1 - first;
      const firstPid = pidOf(before, first);
      const secondPid = pidOf(before, second);

      const early = Array.from({ length: 300 }, (_, i) => `early-${i}`);
      const sender = await StompSession.connect(portsOf(spec, first).stomp, USER);
      await sender.sendPersistent("ledger", early);
      await sender.close();

      const lockWaitsBefore = lockWaitsLogged(spec, first);
      process.kill(firstPid, "SIGKILL");
      const killed = Date.now();
      const takeoverMs = await within("takeover by the standby", 30_000, () =>
        accepting(portsOf(spec, second)),
      );
      const restartMs = await restartedWithin(spec, first, firstPid, RESTART_WITHIN_MS);
      console.info(
        `active/standby: standby took over ${takeoverMs} ms and the killed active was running again ${Date.now() - killed} ms (${restartMs} ms after the takeover) after kill -9`,
      );

      // The restarted JVM waits for the lock the other one holds: a standby, listening on nothing.
      await within("the restarted instance waiting for the lock", 30_000, async () => {
        return lockWaitsLogged(spec, first) > lockWaitsBefore;
      });
      const restarted = await runtime.checkStatus(spec.brokerId);
      expect(restarted[first]).toMatchObject({ active: false, pid: expect.any(Number), restarts: 1 });
      expect(restarted[second]).toEqual({ ports: portsOf(spec, second), active: true, pid: secondPid });
      expect(await acceptsConnections(portsOf(spec, first).openwire)).toBe(false);
      expect(await acceptsConnections(portsOf(spec, first).stomp)).toBe(false);
      const restartedPid = pidOf(restarted, first);

      const late = Array.from({ length: 300 }, (_, i) => `late-${i}`);
      const lateSender = await StompSession.connect(portsOf(spec, second).stomp, USER);
      await lateSender.sendPersistent("ledger", late);
      await lateSender.close();

      process.kill(secondPid, "SIGKILL");
      const secondKilled = Date.now();
      const backMs = await within("takeover by the restarted instance", 30_000, () =>
        accepting(portsOf(spec, first)),
      );
      console.info(
        `active/standby: the restarted instance took over ${backMs} ms after kill -9 of the new active`,
      );
      const receiver = await StompSession.connect(portsOf(spec, first).stomp, USER);
      const received = await receiver.receive("ledger", early.length + late.length, 30_000);
      await receiver.close();
      expect(new Set(received)).toEqual(new Set([...early, ...late]));

      await restartedWithin(spec, second, secondPid, RESTART_WITHIN_MS);
      console.info(
        `active/standby: the second killed instance was running again ${Date.now() - secondKilled} ms after kill -9`,
      );
      const after = await runtime.checkStatus(spec.brokerId);
      expect(after[first]).toMatchObject({ active: true, pid: restartedPid, restarts: 1 });
      expect(after[second]).toMatchObject({ pid: expect.any(Number), restarts: 1 });

      await runtime.stop(spec.brokerId);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("SINGLE_INSTANCE under supervision", () => {
  it(
    "restarts a killed broker on its ports, with its persistent messages",
    async () => {
      const spec = await brokerSpec("SINGLE_INSTANCE");
      await runtime.start(spec);
      const pid = pidOf(runtime.status(spec.brokerId), 0);
      const bodies = Array.from({ length: 200 }, (_, i) => `order-${i}`);
      const sender = await StompSession.connect(portsOf(spec, 0).stomp, USER);
      await sender.sendPersistent("orders", bodies);
      await sender.close();

      process.kill(pid, "SIGKILL");
      const outageMs = await within(
        "a refused connection",
        5_000,
        async () => !(await accepting(portsOf(spec, 0))),
      );
      const backMs = await within("the restarted broker accepting", RESTART_WITHIN_MS, () =>
        accepting(portsOf(spec, 0)),
      );
      console.info(`single instance: accepted connections again ${outageMs + backMs} ms after kill -9`);

      const status = await runtime.checkStatus(spec.brokerId);
      expect(status[0]).toMatchObject({ active: true, restarts: 1 });
      expect(pidOf(status, 0)).not.toBe(pid);
      const receiver = await StompSession.connect(portsOf(spec, 0).stomp, USER);
      expect(await receiver.receive("orders", bodies.length, 30_000)).toEqual(bodies);
      await receiver.close();

      await runtime.stop(spec.brokerId);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("CLUSTER_MULTI_AZ under supervision", () => {
  it(
    "restarts a killed member, which rejoins the network: a message sent to instance 1 reaches a consumer on it",
    async () => {
      const spec = await brokerSpec("CLUSTER_MULTI_AZ");
      await runtime.start(spec);
      const pid = pidOf(runtime.status(spec.brokerId), 1);

      process.kill(pid, "SIGKILL");
      const killed = Date.now();
      await restartedWithin(spec, 1, pid, RESTART_WITHIN_MS);
      await within("the restarted member accepting", RESTART_WITHIN_MS, () => accepting(portsOf(spec, 1)));
      console.info(
        `cluster: the killed member accepted connections again ${Date.now() - killed} ms after kill -9`,
      );

      const consumer = await StompSession.connect(portsOf(spec, 1).stomp, USER);
      const receiving = consumer.receive("events", 1, 30_000);
      const producer = await StompSession.connect(portsOf(spec, 0).stomp, USER);
      const sent = Date.now();
      await producer.sendPersistent("events", ["after the restart"]);
      expect(await receiving).toEqual(["after the restart"]);
      console.info(
        `cluster: message crossed from instance 1 to the restarted instance 2 in ${Date.now() - sent} ms`,
      );
      await Promise.all([producer.close(), consumer.close()]);
      expect((await runtime.checkStatus(spec.brokerId)).map((instance) => instance.restarts)).toEqual([
        undefined,
        1,
        undefined,
      ]);

      await runtime.stop(spec.brokerId);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("an instance that keeps failing", () => {
  it(
    "is left stopped after the policy's consecutive failures, and status shows it not running",
    async () => {
      const spec = await brokerSpec("SINGLE_INSTANCE");
      await impatientRuntime.start(spec);
      const pid = pidOf(impatientRuntime.status(spec.brokerId), 0);
      // Every restart reads this file: each new JVM fails at once, as a corrupted installation would.
      writeFileSync(path.join(dataDir, spec.brokerId, "instance-1", "activemq.xml"), "not a configuration");

      process.kill(pid, "SIGKILL");
      const killed = Date.now();
      await within("two failed restarts", RESTART_WITHIN_MS, async () => {
        await impatientTimers.elapse(); // each backoff passes at once
        const [instance] = impatientRuntime.status(spec.brokerId);
        return instance?.restarts === 2 && instance.pid === undefined;
      });
      console.info(
        `crash loop: gave up after 2 failed restarts, ${Date.now() - killed} ms after kill -9 (backoffs skipped)`,
      );
      // Nothing is left to happen: no restart pending, and running whatever was pending changes nothing.
      await impatientTimers.elapse();
      expect(impatientTimers.pending).toBe(0);

      expect(impatientRuntime.status(spec.brokerId)).toEqual([
        // gaveUp: DescribeBroker shows such a broker as CRITICAL_ACTION_REQUIRED (local/mq/brokers.ts).
        { ports: portsOf(spec, 0), active: false, restarts: 2, gaveUp: true },
      ]);
      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
      await impatientRuntime.stop(spec.brokerId);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});

describe("stop after a kill", () => {
  it(
    "stop() right after kill -9 leaves nothing to restart",
    async () => {
      const spec = await brokerSpec("SINGLE_INSTANCE");
      await heldRuntime.start(spec);
      const pid = pidOf(heldRuntime.status(spec.brokerId), 0);

      process.kill(pid, "SIGKILL");
      await heldRuntime.stop(spec.brokerId);
      // Any restart the supervisor scheduled runs now, as if its backoff had passed.
      await heldTimers.elapse();
      expect(heldTimers.pending).toBe(0);

      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
      expect(heldRuntime.status(spec.brokerId)).toEqual([{ ports: portsOf(spec, 0), active: false }]);
      expect(await accepting(portsOf(spec, 0))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "stop() while a restart waits for its backoff cancels it",
    async () => {
      const spec = await brokerSpec("SINGLE_INSTANCE");
      await heldRuntime.start(spec);
      const pid = pidOf(heldRuntime.status(spec.brokerId), 0);

      process.kill(pid, "SIGKILL");
      // The runtime has seen the exit (no pid) and scheduled the restart, which waits for the test.
      await within(
        "the restart scheduled",
        2_000,
        async () => heldRuntime.status(spec.brokerId)[0]?.pid === undefined && heldTimers.pending === 1,
      );
      await heldRuntime.stop(spec.brokerId);
      expect(heldTimers.pending).toBe(0);
      await heldTimers.elapse();

      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
      expect(heldRuntime.status(spec.brokerId)).toEqual([{ ports: portsOf(spec, 0), active: false }]);
    },
    BROKER_TEST_TIMEOUT_MS,
  );

  it(
    "stopAll() while an active/standby instance waits to be restarted leaves no JVM",
    async () => {
      const spec = await brokerSpec("ACTIVE_STANDBY_MULTI_AZ");
      await heldRuntime.start(spec);
      const status = await heldRuntime.checkStatus(spec.brokerId);
      const standby = status.findIndex((instance) => !instance.active);

      process.kill(pidOf(status, standby), "SIGKILL");
      await within(
        "the exit noticed and the restart scheduled",
        2_000,
        async () => heldRuntime.status(spec.brokerId)[standby]?.pid === undefined && heldTimers.pending === 1,
      );
      await heldRuntime.stopAll();
      expect(heldTimers.pending).toBe(0);
      await heldTimers.elapse();

      expect(javaRunningUnder(path.join(dataDir, spec.brokerId))).toBe(false);
    },
    BROKER_TEST_TIMEOUT_MS,
  );
});
