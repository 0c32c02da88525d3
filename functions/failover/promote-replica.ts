import { PromoteCommand } from "@aws-sdk/client-mq";
import { callAws } from "../lib/aws-errors.js";
import { mq } from "../lib/clients.js";
import { describeBroker } from "../lib/describe-broker.js";
import { PrimaryAnswersError } from "../lib/errors.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { probeBroker } from "./probe-broker.js";
import { watchedBrokerSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  broker: watchedBrokerSchema,
  replicaBrokerId: z.string().check(z.minLength(1)),
  probeTimeoutMs: z.number().check(z.int(), z.gte(100), z.lte(30_000)),
});

/**
 * Promotes the replica with FAILOVER (the primary is lost: a SWITCHOVER needs it healthy), after one
 * more probe of the primary right before the call: if any instance answers, PrimaryAnswersError and
 * nothing is promoted. Amazon MQ's Promote is asynchronous; CheckReplica waits for the result.
 */
export const promoteReplica = async ({
  broker,
  replicaBrokerId,
  probeTimeoutMs,
}: z.infer<typeof inputSchema>) => {
  const { probes } = await probeBroker({ broker, probeTimeoutMs });
  const answering = probes.find((probe) => probe.outcome === "answered");
  if (answering !== undefined) throw new PrimaryAnswersError(broker.brokerId, answering.instance);
  // A retried step may find the replica promoted already: Promote on a primary would be refused.
  const replica = await describeBroker(replicaBrokerId);
  if (replica.DataReplicationMetadata?.DataReplicationRole !== "PRIMARY") {
    await callAws("Promote", () =>
      mq.send(new PromoteCommand({ BrokerId: replicaBrokerId, Mode: "FAILOVER" })),
    );
  }
  return { mode: "FAILOVER", promotedAt: new Date().toISOString(), evidence: probes };
};

export const handler = workflowStep(inputSchema, promoteReplica);
