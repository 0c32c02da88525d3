import { errorMessage } from "../../functions/lib/error-message.js";
import type { BrokerRunSpec } from "../brokers/types.js";
import { findConfiguration, findRevision, revisionXml } from "./configurations.js";
import type { MqContext } from "./context.js";
import { runtimeLdap } from "./ldap.js";
import { replicationRunSpec } from "./replication.js";
import { type BrokerRecord, type BrokerState, maskPasswords } from "./state.js";

/**
 * A broker's life after the API has answered (the model side of local/mq, as moto's models.py): the
 * runtime's processes started, rebooted and removed, and what they did recorded in the broker.
 */

/** What the runtime starts the broker with: its current configuration revision, decoded, and its active users. */
function runSpec(context: MqContext, broker: BrokerRecord): BrokerRunSpec {
  const { id, revision } = broker.configuration.current;
  const configuration = findConfiguration(context, id, "configuration");
  return {
    brokerId: broker.id,
    brokerName: broker.name,
    deploymentMode: broker.deploymentMode,
    configurationXml: revisionXml(findRevision(configuration, revision, "configuration")),
    // The users the broker has now; pending user changes reach the runtime only through a reboot.
    users: broker.users.flatMap(({ username, active }) =>
      active === undefined
        ? []
        : [
            {
              username,
              password: active.password,
              groups: active.groups,
              consoleAccess: active.consoleAccess,
            },
          ],
    ),
    ...(broker.ldapServerMetadata === undefined
      ? {}
      : { ldap: runtimeLdap(broker.ldapServerMetadata, context.sealingKey) }),
    ports: broker.ports,
    ...replicationRunSpec(broker),
  };
}

/**
 * The broker lifecycle steps that run after the request: each waits for the runtime and records the
 * outcome in the broker's state. A broker record is never dropped on failure: the reason is kept in
 * `problem` (DescribeBroker's `actionsRequired`), passwords masked.
 */
export function brokerLifecycle(context: MqContext) {
  /**
   * Records a step's failure, unless the broker has moved on meanwhile (`from` is the state the step
   * began in): a late answer from the runtime never overwrites a newer state.
   */
  const fail = (brokerId: string, from: BrokerState, to: BrokerState, code: string, error: unknown) => {
    const broker = context.state.brokers[brokerId];
    if (broker === undefined || broker.state !== from) return;
    broker.state = to;
    broker.problem = { code, info: maskPasswords(broker, errorMessage(error)) };
    context.save();
  };

  /** Starts the broker's processes: RUNNING once it accepts connections, `failState` if it cannot start. */
  const bringUp = async (brokerId: string, failState: "CREATION_FAILED" | "CRITICAL_ACTION_REQUIRED") => {
    const broker = context.state.brokers[brokerId];
    if (broker === undefined) return;
    const from = broker.state;
    try {
      await context.runtime.start(runSpec(context, broker));
    } catch (error) {
      fail(brokerId, from, failState, "BROKER_START_FAILED", error);
      return;
    }
    const started = context.state.brokers[brokerId];
    if (started === undefined || started.state !== from) return;
    started.state = "RUNNING";
    started.problem = undefined;
    context.save();
  };

  /**
   * Amazon MQ reboots an active/standby pair one instance at a time, so one always serves: the
   * runtime's rolling restart does that with the pending changes applied. Other brokers (and a
   * runtime without it) are stopped and started.
   */
  const reboot = async (brokerId: string) => {
    const broker = context.state.brokers[brokerId];
    const rollingReboot = context.runtime.reboot?.bind(context.runtime);
    if (broker?.deploymentMode === "ACTIVE_STANDBY_MULTI_AZ" && rollingReboot !== undefined) {
      try {
        await rollingReboot(runSpec(context, broker));
      } catch (error) {
        fail(brokerId, "REBOOT_IN_PROGRESS", "CRITICAL_ACTION_REQUIRED", "BROKER_START_FAILED", error);
        return;
      }
      const restarted = context.state.brokers[brokerId];
      if (restarted === undefined || restarted.state !== "REBOOT_IN_PROGRESS") return;
      restarted.state = "RUNNING";
      restarted.problem = undefined;
      context.save();
      return;
    }
    try {
      await context.runtime.stop(brokerId);
    } catch (error) {
      fail(brokerId, "REBOOT_IN_PROGRESS", "CRITICAL_ACTION_REQUIRED", "BROKER_STOP_FAILED", error);
      return;
    }
    await bringUp(brokerId, "CRITICAL_ACTION_REQUIRED");
  };

  /** Removes the broker once its processes are stopped and its data deleted. */
  const remove = async (brokerId: string) => {
    try {
      await context.runtime.destroy(brokerId);
    } catch (error) {
      fail(brokerId, "DELETION_IN_PROGRESS", "CRITICAL_ACTION_REQUIRED", "BROKER_DELETION_FAILED", error);
      return;
    }
    delete context.state.brokers[brokerId];
    context.save();
  };

  /**
   * After a restart of the local cloud: RUNNING brokers start again (CRITICAL_ACTION_REQUIRED if
   * they no longer can); a creation or reboot that was under way is carried out again (its pending
   * changes were applied when the reboot began); a deletion that was under way is finished.
   * CREATION_FAILED and CRITICAL_ACTION_REQUIRED brokers stay as they are.
   */
  const resume = async () => {
    const steps = Object.values(context.state.brokers).map((broker) => {
      switch (broker.state) {
        case "RUNNING":
        case "REBOOT_IN_PROGRESS":
          return bringUp(broker.id, "CRITICAL_ACTION_REQUIRED");
        case "CREATION_IN_PROGRESS":
          return bringUp(broker.id, "CREATION_FAILED");
        case "DELETION_IN_PROGRESS":
          return remove(broker.id);
        default:
          return Promise.resolve();
      }
    });
    await Promise.all(steps);
  };

  return { bringUp, reboot, remove, resume };
}

/** The actionRequiredCode of a broker with an instance the runtime gave up restarting. */
export const INSTANCE_LOST_CODE = "BROKER_INSTANCE_FAILED";

/**
 * A RUNNING broker with an instance whose JVM kept dying until the runtime gave up restarting it
 * is CRITICAL_ACTION_REQUIRED from then on: Amazon MQ's state for "running, but in a degraded state
 * and requires immediate action" (a pair that lost an instance for good can no longer fail over; a
 * single instance serves nothing). The action is RebootBroker, which starts every instance afresh.
 * Checked when the broker is read: the runtime owns the processes, the control plane the state.
 */
export function noteLostInstances(context: MqContext, broker: BrokerRecord): BrokerRecord {
  if (broker.state !== "RUNNING") return broker;
  const lost = context.runtime
    .status(broker.id)
    .flatMap((instance, index) => (instance.gaveUp === true ? [index + 1] : []));
  if (lost.length === 0) return broker;
  broker.state = "CRITICAL_ACTION_REQUIRED";
  broker.problem = {
    code: INSTANCE_LOST_CODE,
    info: `Instance ${lost.join(", ")} of ${broker.ports.length} stopped and the local cloud gave up restarting it after repeated failures. Reboot the broker (RebootBroker) to start it again.`,
  };
  context.save();
  return broker;
}
