import { JsonStore } from "../../store/json-store.js";
import type { HistoryRecord } from "./history.js";
import type { AlarmRecord } from "./model.js";

/** History may wait this long to be written with the next change; alarms and states are written at once. */
const HISTORY_BATCH_MS = 200;

/**
 * Alarms (configuration, state, tags) in `cloudwatch-alarms.json` and their history in
 * `cloudwatch-alarm-history.json`, apart so a state change does not rewrite thousands of history items
 * synchronously.
 */
export class AlarmsStore {
  private readonly alarms: JsonStore<{ alarms: AlarmRecord[] }>;
  private readonly history: JsonStore<{ history: HistoryRecord[] }>;
  private pendingHistory: HistoryRecord[] | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    dataDir: string,
    /** Hears of a batched history write that failed (nobody awaits it). */
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.alarms = new JsonStore(dataDir, "cloudwatch-alarms");
    this.history = new JsonStore(dataDir, "cloudwatch-alarm-history");
  }

  load(): { alarms: AlarmRecord[]; history: HistoryRecord[] } {
    return {
      alarms: this.alarms.load(() => ({ alarms: [] })).alarms,
      history: this.history.load(() => ({ history: [] })).history,
    };
  }

  saveAlarms(alarms: Iterable<AlarmRecord>): void {
    this.alarms.save({ alarms: [...alarms] });
  }

  saveHistory(history: HistoryRecord[]): void {
    this.pendingHistory = history;
    this.timer ??= setTimeout(() => {
      try {
        this.flush();
      } catch (error) {
        this.onError(error);
      }
    }, HISTORY_BATCH_MS);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingHistory !== undefined) this.history.save({ history: this.pendingHistory });
    this.pendingHistory = undefined;
  }
}
