import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import type { InstanceProbe } from "./detector.js";
import { handshake, probeTarget } from "./handshake.js";
import { watchedBrokerSchema } from "./request.js";

const inputSchema = z.object({
  ...stepBase,
  broker: watchedBrokerSchema,
  probeTimeoutMs: z.number().check(z.int(), z.gte(100), z.lte(30_000)),
});

/**
 * One round of probes: a handshake with each instance at once (OpenWire, else STOMP), each bounded
 * by the timeout. Calls no AWS API; a failed probe is evidence, never an error of the step.
 */
export const probeBroker = async ({ broker, probeTimeoutMs }: z.infer<typeof inputSchema>) => {
  const at = new Date().toISOString();
  const probes = await Promise.all(
    broker.instances.map((instance): Promise<InstanceProbe> => {
      const target = probeTarget(instance.instance, instance.endpoints);
      if (target === undefined) {
        return Promise.resolve({
          instance: instance.instance,
          endpoint: "",
          protocol: "openwire",
          outcome: "error",
          latencyMs: 0,
          detail: "the instance lists no OpenWire or STOMP endpoint",
        });
      }
      return handshake(target, probeTimeoutMs);
    }),
  );
  return { at, probes };
};

export const handler = workflowStep(inputSchema, probeBroker);
