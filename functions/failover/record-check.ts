import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { detect, type InstanceProbe } from "./detector.js";
import { readFailoverState, writeFailoverHistory, writeFailoverState } from "./failover-store.js";
import { watchedBrokerSchema } from "./request.js";
import { detectorSettingsFromEnv } from "./settings.js";

const SETTINGS = detectorSettingsFromEnv();

const probeSchema = z.object({
  instance: z.number().check(z.int()),
  endpoint: z.string(),
  protocol: z.enum(["openwire", "stomp"]),
  outcome: z.enum(["answered", "refused", "timeout", "error"]),
  latencyMs: z.number(),
  detail: z.optional(z.string()),
}) satisfies z.ZodMiniType<InstanceProbe>;

const inputSchema = z.object({
  ...stepBase,
  broker: watchedBrokerSchema,
  probe: z.object({ at: z.string(), probes: z.array(probeSchema) }),
});

/**
 * Compares a round of probes with the recorded state (the pure detector decides), records the new
 * state (conditionally: overlapping runs cannot both record a change) with the events to send kept
 * in it until they are out, and a history item per event; returns the events to publish (earlier
 * undelivered ones first). A stale round (a later one is recorded) publishes nothing.
 */
export const recordCheck = async ({ broker, probe }: z.infer<typeof inputSchema>) => {
  const recorded = await readFailoverState(broker.brokerId);
  const detection = detect(
    recorded?.state,
    { brokerId: broker.brokerId, brokerName: broker.brokerName, at: probe.at, probes: probe.probes },
    SETTINGS,
  );
  // The events still to send: those of earlier rounds whose publishing failed, then this round's.
  const events = detection.stale ? [] : [...(recorded?.undelivered ?? []), ...detection.events];
  const version = detection.stale
    ? undefined
    : await writeFailoverState(
        broker.brokerId,
        broker.brokerName,
        detection.state,
        recorded?.version,
        events,
      );
  await writeFailoverHistory(detection.events);
  return {
    status: detection.state.status,
    activeInstance: detection.state.activeInstance ?? null,
    classification: detection.state.lastClassification,
    // The promotion decision counts the primary's silence in rounds (see promotion.ts).
    silentChecks: detection.state.consecutiveSilentChecks,
    at: probe.at,
    flapping: detection.state.flapping,
    events,
    eventCount: events.length,
    // The version written (none for a stale round); MarkDelivered finds the events by identity.
    version: version ?? null,
  };
};

export const handler = workflowStep(inputSchema, recordCheck);
