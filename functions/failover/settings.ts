import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from "./detector.js";

/** A positive integer from the environment, or the fallback when unset; read once at module load. */
export function settingFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Environment variable ${name} must be a positive integer`);
  }
  return value;
}

/** How a run probes: `rounds` rounds `probeIntervalSeconds` apart, each probe bounded by `probeTimeoutMs`. */
export interface RunSettings {
  rounds: number;
  probeIntervalSeconds: number;
  probeTimeoutMs: number;
}

/**
 * The schedule starts a run every minute (EventBridge Scheduler's shortest period); within it the
 * brokers are probed every `FAILOVER_PROBE_INTERVAL_SECONDS` (10 s) for `FAILOVER_RUN_SECONDS` (50 s,
 * so a run ends before the next one starts). The local cloud shortens the interval.
 */
export function runSettingsFromEnv(): RunSettings {
  const probeIntervalSeconds = settingFromEnv("FAILOVER_PROBE_INTERVAL_SECONDS", 10);
  const runSeconds = settingFromEnv("FAILOVER_RUN_SECONDS", 50);
  return {
    probeIntervalSeconds,
    rounds: Math.max(1, Math.floor(runSeconds / probeIntervalSeconds) + 1),
    // A standby's port may hang: give up well within the interval.
    probeTimeoutMs: settingFromEnv("FAILOVER_PROBE_TIMEOUT_MS", 2_000),
  };
}

/** The detector's debouncing, from the environment (defaults: 3 silent rounds, 3 changes in 10 min). */
export function detectorSettingsFromEnv(): DetectorSettings {
  return {
    unavailableAfterChecks: settingFromEnv(
      "FAILOVER_UNAVAILABLE_AFTER_CHECKS",
      DEFAULT_DETECTOR_SETTINGS.unavailableAfterChecks,
    ),
    flappingChanges: settingFromEnv("FAILOVER_FLAPPING_CHANGES", DEFAULT_DETECTOR_SETTINGS.flappingChanges),
    flappingWindowMs:
      settingFromEnv("FAILOVER_FLAPPING_WINDOW_SECONDS", DEFAULT_DETECTOR_SETTINGS.flappingWindowMs / 1000) *
      1000,
  };
}
