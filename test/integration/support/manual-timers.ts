import type { SupervisionTimers } from "../../../local/brokers/supervision-timers.js";

/**
 * A supervisor clock the test advances: scheduled steps wait until `elapse` runs them, so a test
 * shows that nothing is left to happen (nothing pending) instead of sleeping through the backoffs.
 */
export class ManualTimers implements SupervisionTimers {
  private readonly waiting = new Set<() => Promise<void>>();

  after(_delayMs: number, step: () => Promise<void>): { cancel(): void } {
    const entry = () => step();
    this.waiting.add(entry);
    return { cancel: () => this.waiting.delete(entry) };
  }

  /** Steps scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Runs every pending step as if its delay had passed; resolves once they have finished. */
  async elapse(): Promise<void> {
    const due = [...this.waiting];
    this.waiting.clear();
    await Promise.all(due.map((step) => step()));
  }
}
