import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { Service } from "@aws-sdk/client-ecs";
import { ALARM_KINDS, type Registration } from "../autoscaling/registration.js";

/** What the autoscaling routes return for a registration. Pure. */
export function registrationView(registration: Registration) {
  return {
    registrationId: registration.registrationId,
    brokerId: registration.brokerId,
    brokerName: registration.brokerName,
    queue: registration.queue,
    instances: registration.instances,
    ecs: registration.ecs,
    settings: registration.settings,
    periodSeconds: registration.periodSeconds,
    alarms: ALARM_KINDS.map((kind) => ({ kind, alarmName: registration.alarms[kind] })),
    createdAt: registration.createdAt,
    updatedAt: registration.updatedAt,
  };
}

/** GET's full view: the registration, each alarm's state, the fleet, the carried state and recent decisions. Pure. */
export function autoscalingStatusView(
  registration: Registration,
  alarms: readonly MetricAlarm[],
  service: Service | undefined,
  state: Record<string, unknown> | undefined,
  decisions: readonly Record<string, unknown>[],
) {
  const byName = new Map(alarms.map((alarm) => [alarm.AlarmName, alarm]));
  const view = registrationView(registration);
  return {
    ...view,
    alarms: view.alarms.map(({ kind, alarmName }) => {
      const alarm = byName.get(alarmName);
      return {
        kind,
        alarmName,
        state: alarm?.StateValue ?? "MISSING",
        stateReason: alarm?.StateReason,
        stateUpdated: alarm?.StateUpdatedTimestamp?.toISOString(),
      };
    }),
    fleet:
      service === undefined
        ? { status: "MISSING" }
        : {
            status: service.status,
            desired: service.desiredCount,
            running: service.runningCount,
            pending: service.pendingCount,
          },
    state: {
      serviceRateHint: state?.serviceRateHint,
      lastScaleOutAt: epochIso(state?.lastScaleOutAt),
      lastScaleInAt: epochIso(state?.lastScaleInAt),
      lastDecisionAt: epochIso(state?.lastDecisionAt),
      decidingExecution: liveLeaseOwner(state),
    },
    decisions: decisions.map(
      ({ pk: _pk, sk: _sk, type: _type, expiresAt: _expires, ...decision }) => decision,
    ),
  };
}

/** The execution holding the decision lease, if its lease has not run out. */
function liveLeaseOwner(state: Record<string, unknown> | undefined): unknown {
  const until = state?.leaseUntil;
  return typeof until === "number" && until * 1000 > Date.now() ? state?.leaseOwner : undefined;
}

function epochIso(value: unknown): string | undefined {
  return typeof value === "number" ? new Date(value * 1000).toISOString() : undefined;
}
