import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { appendFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * One line of the metrics journal: a metric (namespace, name, dimensions), its unit and when data was
 * last put, with either one bucket increment as PutMetricData appends it (`t` time, `c` count, `s`
 * sum, `n` min, `x` max, `r` raw values) or, in a snapshot, the whole series as columns (`T`, `C`,
 * `S`, `N`, `X`, and `R` the raw values of the buckets that have them, by index). Replaying the lines
 * in order rebuilds the store.
 */
export interface JournalRecord {
  m: [string, string, [string, string][]];
  u: string;
  p: number;
  t?: number;
  c?: number;
  s?: number;
  n?: number;
  x?: number;
  r?: number[] | null;
  T?: number[];
  C?: number[];
  S?: number[];
  N?: number[];
  X?: number[];
  R?: [number, number[] | null][];
}

/** Rewrite the journal from a snapshot once this much was appended since the last one. */
const COMPACT_AFTER_BYTES = 16 * 1024 * 1024;

/**
 * The metric store's durability: an append-only JSONL file in the data directory. Appends are
 * buffered and written asynchronously (one write per tick, never on the request path), in order; when
 * the file has grown well past the data it holds, it is rewritten from a snapshot (temporary file,
 * then rename) in the same ordered chain, so no line is lost or duplicated.
 */
export class MetricJournal {
  readonly file: string;
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private appendedBytes = 0;
  private lastSnapshotBytes = 0;

  constructor(
    dataDir: string,
    /** Every record that recreates the current state (called synchronously at compaction). */
    private readonly snapshot: () => Iterable<JournalRecord>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, "cloudwatch-metrics.jsonl");
  }

  /**
   * Replays the journal (skipping a torn last line), then compacts it synchronously. `apply` also gets
   * the JSON text of the line's `m` (the metric key), cut from the line to save re-encoding it.
   */
  load(apply: (record: JournalRecord, mJson: string | undefined) => void): void {
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, "utf8").split("\n")) {
        if (line.trim() === "") continue;
        try {
          // Inside a JSON string a quote is always escaped, so `,"u":` ends the `m` member.
          const end = line.startsWith('{"m":') ? line.indexOf(',"u":') : -1;
          apply(JSON.parse(line) as JournalRecord, end > 0 ? line.slice(5, end) : undefined);
        } catch {
          // A line cut short by a crash mid-write: the data before it is intact.
        }
      }
    }
    const text = this.snapshotText();
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.file);
    this.lastSnapshotBytes = text.length;
  }

  /** Appends one JournalRecord already encoded as JSON (one line, no newline). */
  appendLine(line: string): void {
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private snapshotText(): string {
    const lines: string[] = [];
    for (const record of this.snapshot()) lines.push(JSON.stringify(record));
    return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const compact = this.appendedBytes > Math.max(COMPACT_AFTER_BYTES, 2 * this.lastSnapshotBytes);
    this.chain = this.chain
      .then(async () => {
        if (compact) {
          // The snapshot already holds every pending line's data (they were applied before being queued).
          this.pending = [];
          const text = this.snapshotText();
          const temporary = `${this.file}.${process.pid}.tmp`;
          await writeFile(temporary, text, { mode: 0o600 });
          await rename(temporary, this.file);
          this.lastSnapshotBytes = text.length;
          this.appendedBytes = 0;
          return;
        }
        const lines = this.pending;
        this.pending = [];
        if (lines.length === 0) return;
        const text = `${lines.join("\n")}\n`;
        this.appendedBytes += text.length;
        await appendFile(this.file, text, { mode: 0o600 });
      })
      .catch(this.onError);
  }

  /** Resolves when everything appended so far is on disk. */
  async close(): Promise<void> {
    this.flush();
    await this.chain;
  }
}
