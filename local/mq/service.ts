import type { BrokerRuntime } from "../brokers/types.js";
import type { AwsResponse, LocalService } from "../server/service.js";
import { JsonStore } from "../store/json-store.js";
import { brokerLifecycle } from "./broker-lifecycle.js";
import { brokerOperations } from "./brokers.js";
import { configurationOperations } from "./configurations.js";
import type { MqContext } from "./context.js";
import { describeBrokerEngineTypes, describeBrokerInstanceOptions } from "./engine-types.js";
import { Fields } from "./fields.js";
import { loadSealingKey } from "./ldap.js";
import { type ReplicationOptions, replicationService } from "./replication.js";
import { matchRoute, type Operation, ROUTES } from "./router.js";
import { emptyState, type MqState } from "./state.js";
import { tagOperations } from "./tags.js";
import { userOperations } from "./users.js";

export interface MqService extends LocalService {
  /**
   * Brings the brokers the data directory knows back to the state it records (see
   * `brokerLifecycle().resume`). Await it once after construction.
   */
  resume(): Promise<void>;
  /** Resolves once every lifecycle step under way (start, reboot, delete) has finished. */
  settled(): Promise<void>;
}

/**
 * The Amazon MQ control plane on its REST-JSON wire protocol (signing name `mq`), for ActiveMQ
 * brokers run by `runtime`. State (brokers, configurations and revisions, users with their
 * passwords, tags, ports) is kept in `<dataDir>/mq.json`, mode 0600.
 */
export function createMqService(
  options: { dataDir: string; runtime: BrokerRuntime } & { replication?: ReplicationOptions },
): MqService {
  const store = new JsonStore<MqState>(options.dataDir, "mq");
  const state = store.load(emptyState);
  const running = new Set<Promise<void>>();
  let closed = false;

  const context: MqContext = {
    state,
    runtime: options.runtime,
    sealingKey: loadSealingKey(options.dataDir),
    // After close, the state on disk stays as it was: resume() on the next start finishes the step.
    save: () => {
      if (!closed) store.save(state);
    },
    background(task) {
      // The lifecycle steps record runtime failures in the broker; what is left (the state file
      // could not be written) is reported here rather than crashing the local cloud.
      const step = task()
        .catch((error: unknown) => {
          console.error(`local/mq: a broker lifecycle step failed: ${(error as Error).message}`);
        })
        .finally(() => running.delete(step));
      running.add(step);
    },
  };
  const lifecycle = brokerLifecycle(context);
  const replication = replicationService(context, options.replication);
  const operations: Record<string, Operation> = {
    ...brokerOperations(context, lifecycle),
    ...configurationOperations(context),
    ...userOperations(context),
    ...tagOperations(context),
    ...replication.operations,
    DescribeBrokerEngineTypes: ({ request }) => describeBrokerEngineTypes(request),
    DescribeBrokerInstanceOptions: ({ request }) => describeBrokerInstanceOptions(request),
  };

  return {
    signingName: "mq",
    protocol: "rest-json",
    async resume() {
      await lifecycle.resume();
      replication.start();
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async handle(request): Promise<AwsResponse> {
      const { route, params } = matchRoute(ROUTES, request.method, request.path);
      const operation = operations[route.operation];
      if (operation === undefined) throw new Error(`no handler for ${route.operation}`);
      const output = await operation({ request, params, body: Fields.parse(request.body) });
      if (route.status === 204) return { status: 204 };
      return {
        status: route.status,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(output ?? {}),
      };
    },
    async close() {
      closed = true;
      await replication.stop();
      await options.runtime.stopAll();
    },
  };
}
