/**
 * The failover detector: which instance of an active/standby broker is active, judged from one round
 * of probes, and what changed against the recorded state. Pure: no clock, no I/O.
 *
 * Why debouncing is shaped this way: a completed OpenWire or STOMP handshake is proof that an
 * instance serves (a standby binds no port, or its port refuses or hangs), so a handshake with the
 * other instance is a failover at once. Silence is not proof of anything (a busy machine, a lost
 * packet): the broker is called unavailable only after several consecutive silent rounds.
 */

/** How one endpoint answered: a completed handshake, a refused connection, silence, or another error. */
export type ProbeOutcome = "answered" | "refused" | "timeout" | "error";

export interface InstanceProbe {
  /** 1 or 2: the instance's position in DescribeBroker's BrokerInstances (its `-1` / `-2` suffix). */
  instance: number;
  endpoint: string;
  protocol: "openwire" | "stomp";
  outcome: ProbeOutcome;
  latencyMs: number;
  detail?: string;
}

export type Classification =
  | { kind: "active"; instance: number; endpoint: string }
  | { kind: "none" }
  | { kind: "both"; instances: number[] };

/** active `-1`, active `-2`, none or both, from one round of probes. */
export function classify(probes: readonly InstanceProbe[]): Classification {
  const answered = new Map<number, string>();
  for (const probe of probes) {
    if (probe.outcome === "answered" && !answered.has(probe.instance)) {
      answered.set(probe.instance, probe.endpoint);
    }
  }
  const instances = [...answered.keys()].sort((a, b) => a - b);
  const [only] = instances;
  if (instances.length === 0 || only === undefined) return { kind: "none" };
  if (instances.length > 1) return { kind: "both", instances };
  return { kind: "active", instance: only, endpoint: answered.get(only) ?? "" };
}

export type BrokerStatus = "UNKNOWN" | "ACTIVE" | "UNAVAILABLE";

/** What subscribers were last told: the status and active instance as of the last published event. */
export interface Announced {
  status: BrokerStatus;
  activeInstance?: number;
}

/** The recorded failover state of one broker (the state table's `FAILOVER` item, without its keys). */
export interface FailoverState {
  status: BrokerStatus;
  activeInstance?: number;
  activeEndpoint?: string;
  /** When the current status began (for UNAVAILABLE: the first silent round). */
  since?: string;
  lastFailoverAt?: string;
  lastCheckAt: string;
  lastClassification: Classification["kind"];
  consecutiveSilentChecks: number;
  firstSilentAt?: string;
  /** Times of the changes within the flapping window. */
  recentChanges: string[];
  flapping: boolean;
  heldChanges: number;
  announced: Announced;
  /** The events of the check at `lastCheckAt`, replayed when that same check is recorded again. */
  lastEvents: FailoverEvent[];
}

export type FailoverEventType =
  | "BrokerFailoverDetected"
  | "BrokerUnavailable"
  | "BrokerRecovered"
  | "BrokerFlapping";

export const FAILOVER_EVENT_TYPES: readonly FailoverEventType[] = [
  "BrokerFailoverDetected",
  "BrokerUnavailable",
  "BrokerRecovered",
  "BrokerFlapping",
];

export interface InstanceRef {
  instance: number;
  /** `<broker id>-<n>`, as Amazon MQ names the instance in its endpoints and metrics. */
  name: string;
  endpoint?: string;
}

export interface FailoverEvent {
  type: FailoverEventType;
  brokerId: string;
  brokerName: string;
  detectedAt: string;
  detail: Record<string, unknown>;
}

export interface DetectorSettings {
  /** Consecutive rounds with no instance answering before BrokerUnavailable. */
  unavailableAfterChecks: number;
  /** Changes within `flappingWindowMs` that make the broker flapping. */
  flappingChanges: number;
  /** The flapping window; a flapping broker settles after this long without a change. */
  flappingWindowMs: number;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  unavailableAfterChecks: 3,
  flappingChanges: 3,
  flappingWindowMs: 10 * 60_000,
};

export interface Observation {
  brokerId: string;
  brokerName: string;
  at: string;
  probes: InstanceProbe[];
}

export interface Detection {
  state: FailoverState;
  events: FailoverEvent[];
  /** The observation is not newer than the recorded check (another run recorded a later one). */
  stale: boolean;
}

const instanceRef = (brokerId: string, instance: number | undefined, endpoint?: string) =>
  instance === undefined
    ? undefined
    : { instance, name: `${brokerId}-${instance}`, ...(endpoint === undefined ? {} : { endpoint }) };

const evidence = (probes: readonly InstanceProbe[]) =>
  probes.map((probe) => ({ ...probe, latencyMs: Math.round(probe.latencyMs) }));

/** The state before any check: nothing known. */
export function initialState(at: string): FailoverState {
  return {
    status: "UNKNOWN",
    lastCheckAt: at,
    lastClassification: "none",
    consecutiveSilentChecks: 0,
    recentChanges: [],
    flapping: false,
    heldChanges: 0,
    announced: { status: "UNKNOWN" },
    lastEvents: [],
  };
}

/**
 * The event that tells a subscriber who last heard `from` that the broker is now in `to`, or
 * undefined when nothing they know of changed. Used for each change and, after flapping settles,
 * for the net change held back meanwhile.
 */
function changeEvent(
  from: Announced & { endpoint?: string },
  to: FailoverState,
  observation: Observation,
  extra: Record<string, unknown>,
): FailoverEvent | undefined {
  const { brokerId, brokerName, at } = observation;
  const base = { brokerId, brokerName, detectedAt: at };
  const probes = evidence(observation.probes);
  if (to.status === "ACTIVE" && from.status === "ACTIVE" && from.activeInstance !== to.activeInstance) {
    return {
      ...base,
      type: "BrokerFailoverDetected",
      detail: {
        from: instanceRef(brokerId, from.activeInstance, from.endpoint),
        to: instanceRef(brokerId, to.activeInstance, to.activeEndpoint),
        evidence: probes,
        ...extra,
      },
    };
  }
  if (to.status === "UNAVAILABLE" && from.status !== "UNAVAILABLE") {
    return {
      ...base,
      type: "BrokerUnavailable",
      detail: {
        lastActive: instanceRef(brokerId, from.activeInstance, from.endpoint),
        unavailableSince: to.since,
        consecutiveChecks: to.consecutiveSilentChecks,
        evidence: probes,
        ...extra,
      },
    };
  }
  if (to.status === "ACTIVE" && from.status === "UNAVAILABLE") {
    return {
      ...base,
      type: "BrokerRecovered",
      detail: {
        active: instanceRef(brokerId, to.activeInstance, to.activeEndpoint),
        previousActive: instanceRef(brokerId, from.activeInstance),
        evidence: probes,
        ...extra,
      },
    };
  }
  return undefined;
}

/**
 * Applies one round of probes to the recorded state: the new state to record and the events to
 * publish. A first answer only sets the baseline (no event). An answer from the other instance is a
 * failover at once; silence becomes BrokerUnavailable only after `unavailableAfterChecks` rounds; an
 * answer after that is BrokerRecovered; both instances answering is recorded as an anomaly and
 * changes nothing. At `flappingChanges` changes within the window the broker is flapping: one
 * BrokerFlapping (STARTED), then changes are recorded but not announced until the window passes
 * without a change, when BrokerFlapping (SETTLED) and the net change, if any, are published.
 */
export function detect(
  recorded: FailoverState | undefined,
  observation: Observation,
  settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS,
): Detection {
  const at = observation.at;
  const now = Date.parse(at);
  if (recorded !== undefined && now <= Date.parse(recorded.lastCheckAt)) {
    // The same check recorded again (a retried step) gets its events again; an older one gets none.
    const same = now === Date.parse(recorded.lastCheckAt);
    return { state: recorded, events: same ? recorded.lastEvents : [], stale: true };
  }
  const previous = recorded ?? initialState(at);
  const classification = classify(observation.probes);
  const state: FailoverState = {
    ...previous,
    lastCheckAt: at,
    lastClassification: classification.kind,
    recentChanges: previous.recentChanges.filter(
      (time) => now - Date.parse(time) < settings.flappingWindowMs,
    ),
    lastEvents: [],
  };
  const before = {
    status: previous.status,
    ...(previous.activeInstance === undefined ? {} : { activeInstance: previous.activeInstance }),
    ...(previous.activeEndpoint === undefined ? {} : { endpoint: previous.activeEndpoint }),
  };

  if (classification.kind === "active") {
    state.consecutiveSilentChecks = 0;
    delete state.firstSilentAt;
    const moved =
      previous.activeInstance !== undefined && previous.activeInstance !== classification.instance;
    if (previous.status !== "ACTIVE") state.since = at;
    if (moved) {
      state.lastFailoverAt = at;
      if (previous.status === "ACTIVE") state.since = at;
    }
    state.status = "ACTIVE";
    state.activeInstance = classification.instance;
    state.activeEndpoint = classification.endpoint;
  } else if (classification.kind === "none") {
    state.consecutiveSilentChecks = previous.consecutiveSilentChecks + 1;
    state.firstSilentAt = previous.firstSilentAt ?? at;
    if (
      previous.status !== "UNAVAILABLE" &&
      state.consecutiveSilentChecks >= settings.unavailableAfterChecks
    ) {
      state.status = "UNAVAILABLE";
      state.since = state.firstSilentAt;
    }
  } else {
    state.consecutiveSilentChecks = 0;
    delete state.firstSilentAt;
  }

  // A first answer is the baseline, not a change anyone is told about; a broker silent from its
  // first checks on is still announced as unavailable.
  const baseline = previous.status === "UNKNOWN" && state.status !== "UNAVAILABLE";
  const change = baseline ? undefined : changeEvent(before, state, observation, {});
  if (baseline) state.announced = announcedOf(state);

  const events: FailoverEvent[] = [];
  if (change !== undefined) {
    state.recentChanges = [...state.recentChanges, at];
    if (state.flapping) {
      state.heldChanges = previous.heldChanges + 1;
    } else if (state.recentChanges.length >= settings.flappingChanges) {
      state.flapping = true;
      state.heldChanges = 1;
      events.push(flappingEvent(observation, state, "STARTED", settings));
    } else {
      events.push(change);
      state.announced = announcedOf(state);
    }
  } else if (state.flapping && state.recentChanges.length === 0) {
    // A whole window without a change: the broker has settled.
    events.push(flappingEvent(observation, state, "SETTLED", settings));
    const net = changeEvent(state.announced, state, observation, { heldDuringFlapping: true });
    if (net !== undefined) events.push(net);
    state.flapping = false;
    state.heldChanges = 0;
    state.announced = announcedOf(state);
  }
  state.lastEvents = events;
  return { state, events, stale: false };
}

function announcedOf(state: FailoverState): Announced {
  return state.activeInstance === undefined
    ? { status: state.status }
    : { status: state.status, activeInstance: state.activeInstance };
}

function flappingEvent(
  observation: Observation,
  state: FailoverState,
  phase: "STARTED" | "SETTLED",
  settings: DetectorSettings,
): FailoverEvent {
  return {
    type: "BrokerFlapping",
    brokerId: observation.brokerId,
    brokerName: observation.brokerName,
    detectedAt: observation.at,
    detail: {
      phase,
      changesInWindow: state.recentChanges.length,
      heldChanges: state.heldChanges,
      windowMinutes: settings.flappingWindowMs / 60_000,
      status: state.status,
      active: instanceRef(observation.brokerId, state.activeInstance, state.activeEndpoint),
      evidence: evidence(observation.probes),
    },
  };
}
