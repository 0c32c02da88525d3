import { AwsServiceError } from "../server/aws-error.js";
import type { LocalService } from "../server/service.js";
import { type FaultRule, matches, operationOf } from "./plan.js";

/** A rule as the control route lists it: what it does and how many more requests it applies to. */
export interface LiveRule {
  rule: FaultRule;
  /** `null` for a rule without `times` (it applies until cleared). */
  left: number | null;
}

export interface FaultInjectorOptions {
  /**
   * Called when a `stopCloud` rule applies, after the request's connection is dropped: the local
   * cloud stops as it would on Ctrl-C, in the middle of whatever step made the request.
   */
  onStopCloud?: () => void;
}

/** Rules with their remaining counts, shared by every wrapped service so a test can add them live. */
export class FaultInjector {
  private readonly rules: { rule: FaultRule; left: number; skip: number }[] = [];
  /** Every fault applied, for tests and `mqops chaos` to report. */
  readonly applied: { service: string; operation: string; code?: string; outcome: string }[] = [];
  private readonly onStopCloud: (() => void) | undefined;

  constructor(rules: FaultRule[] = [], options: FaultInjectorOptions = {}) {
    for (const rule of rules) this.add(rule);
    this.onStopCloud = options.onStopCloud;
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY, skip: rule.after ?? 0 });
  }

  /** Replaces every rule (the applied log is kept). */
  replace(rules: FaultRule[]): void {
    this.clear();
    for (const rule of rules) this.add(rule);
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The rules that still apply, in the order they are tried. */
  list(): LiveRule[] {
    return this.rules
      .filter((entry) => entry.left > 0)
      .map(({ rule, left }) => ({ rule, left: Number.isFinite(left) ? left : null }));
  }

  /** The first live rule for this request, its count taken; undefined when none applies. */
  take(service: string, operation: string): FaultRule | undefined {
    const found = this.rules.find((entry) => entry.left > 0 && matches(entry.rule, service, operation));
    if (found === undefined) return undefined;
    if (found.skip > 0) {
      // Counted through: a later rule for the same operation does not see this request either.
      found.skip -= 1;
      return undefined;
    }
    found.left -= 1;
    const { rule } = found;
    const outcome = rule.error
      ? `${rule.error.status} ${rule.error.code}`
      : rule.drop
        ? "dropped"
        : rule.stopCloud
          ? "stopped the cloud"
          : `delayed ${rule.delayMs} ms`;
    this.applied.push({ service, operation, ...(rule.error ? { code: rule.error.code } : {}), outcome });
    return rule;
  }

  /** `service` with faults applied before it sees a request; everything else passes through. */
  wrap(service: LocalService): LocalService {
    return {
      ...service,
      handle: async (request) => {
        const rule = this.take(service.signingName, operationOf(request));
        if (rule?.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
        if (rule?.error !== undefined) {
          throw new AwsServiceError(rule.error.code, `Injected fault: ${rule.error.code}`, rule.error.status);
        }
        if (rule?.drop === true) return { status: 0, dropConnection: true };
        if (rule?.stopCloud === true) {
          // After this answer is written (dropped): the stop closes the server this request came in on.
          setImmediate(() => this.onStopCloud?.());
          return { status: 0, dropConnection: true };
        }
        return service.handle(request);
      },
    };
  }
}
