import type { CleanWindows } from "./arrivals.js";
import {
  type CompleteWindow,
  isComplete,
  type MetricWindow,
  type WindowFault,
  windowFault,
} from "./metrics.js";

/** How far back the policy reads: the service rate is learned from up to an hour. */
export const LOOKBACK_MINUTES = 60;
/** Share of the minutes of a period that must have clean data before acting on that period. */
export const MIN_COVERAGE = 0.8;

/** The windows a decision may use, indexed by minute, with the faulty ones marked. */
export interface History {
  /** Start (epoch seconds) of the last window (a minute) that has ended by the decision. */
  latestStart: number;
  byStart: ReadonlyMap<number, MetricWindow>;
  /** Windows of the lookback, oldest first. */
  windows: readonly MetricWindow[];
  faults: ReadonlyMap<number, WindowFault>;
  clean: CleanWindows;
  /** Whole minutes from the oldest window to the latest minute, both included (0 without windows). */
  spanMinutes: number;
}

/**
 * The start of the newest window that has ended by `now`, if it ended within the last minute: windows
 * are minutes, minute-aligned from Amazon MQ's one-minute data, or trailing minutes ending at the latest
 * sub-minute period of the local cloud's data. Without one, the minute before the current one, whose
 * data is then missing.
 */
function latestWindowStart(now: number, input: readonly MetricWindow[]): number {
  let newest: number | undefined;
  for (const window of input) {
    if (window.start + 60 <= now && (newest === undefined || window.start > newest)) newest = window.start;
  }
  return newest !== undefined && newest + 60 > now - 60 ? newest : Math.floor(now / 60) * 60 - 60;
}

export function readHistory(now: number, input: readonly MetricWindow[]): History {
  const latestStart = latestWindowStart(now, input);
  const byStart = new Map<number, MetricWindow>();
  for (const window of input) {
    if (window.start <= latestStart && window.start > latestStart - 60 * LOOKBACK_MINUTES) {
      byStart.set(window.start, window);
    }
  }
  const windows = [...byStart.values()].sort((a, b) => a.start - b.start);
  const faults = new Map<number, WindowFault>();
  for (const window of windows) {
    const fault = windowFault(window, byStart.get(window.start - 60));
    if (fault) faults.set(window.start, fault);
  }
  const clean = (start: number): CompleteWindow | undefined => {
    const window = byStart.get(start);
    return isComplete(window) && !faults.has(start) ? window : undefined;
  };
  const oldest = windows[0]?.start;
  const spanMinutes = oldest === undefined ? 0 : Math.round((latestStart - oldest) / 60) + 1;
  return { latestStart, byStart, windows, faults, clean, spanMinutes };
}

/** Whether at least MIN_COVERAGE of the `minutes` ending with the latest one have clean windows. */
export function covers(history: History, minutes: number): boolean {
  let seen = 0;
  for (let i = 0; i < minutes; i++) if (history.clean(history.latestStart - 60 * i)) seen++;
  return seen >= Math.ceil(MIN_COVERAGE * minutes);
}
