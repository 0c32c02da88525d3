import { numberedInstances } from "../lib/broker-endpoints.js";
import { describeBroker } from "../lib/describe-broker.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { probeBroker } from "./probe-broker.js";

const inputSchema = z.object({
  ...stepBase,
  replicaBrokerId: z.string().check(z.minLength(1)),
  probeTimeoutMs: z.number().check(z.int(), z.gte(100), z.lte(30_000)),
});

/**
 * Whether the promoted replica serves: DescribeBroker shows it as the PRIMARY of its pair and
 * RUNNING, and one of its instances completes a handshake. `serving: false` says why not yet.
 */
export const checkReplica = async ({ replicaBrokerId, probeTimeoutMs }: z.infer<typeof inputSchema>) => {
  const replica = await describeBroker(replicaBrokerId);
  const role = replica.DataReplicationMetadata?.DataReplicationRole;
  if (role !== "PRIMARY" || replica.BrokerState !== "RUNNING") {
    return {
      serving: false,
      reason: `role ${role ?? "none"}, state ${replica.BrokerState ?? "?"}`,
      endpoint: null,
    };
  }
  const broker = {
    brokerId: replicaBrokerId,
    brokerName: replica.BrokerName ?? replicaBrokerId,
    instances: numberedInstances(replica),
  };
  const { at, probes } = await probeBroker({ broker, probeTimeoutMs });
  const answered = probes.find((probe) => probe.outcome === "answered");
  if (answered === undefined) return { serving: false, reason: "no instance answers yet", endpoint: null };
  return { serving: true, reason: null, endpoint: answered.endpoint, servingAt: at };
};

export const handler = workflowStep(inputSchema, checkReplica);
