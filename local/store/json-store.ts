import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * One service's durable state as one JSON file in the data directory, written atomically
 * (temporary file, then rename) so a crash leaves the previous state, never half of one.
 * Services keep their state in memory and call `save` after every change.
 */
export class JsonStore<T> {
  readonly file: string;

  constructor(dataDir: string, name: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(dataDir, `${name}.json`);
  }

  load(empty: () => T): T {
    try {
      return JSON.parse(readFileSync(this.file, "utf8")) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return empty();
      throw new Error(`${this.file} is not readable JSON: ${(error as Error).message}`);
    }
  }

  save(state: T): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
