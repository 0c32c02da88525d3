import { AwsServiceError } from "../server/aws-error.js";
import type { LocalService } from "../server/service.js";
import { type FaultRule, matches, operationOf } from "./plan.js";

/** Rules with their remaining counts, shared by every wrapped service so a test can add them live. */
export class FaultInjector {
  private readonly rules: { rule: FaultRule; left: number }[] = [];
  /** Every fault applied, for tests and `mqops chaos` to report. */
  readonly applied: { service: string; operation: string; code?: string }[] = [];

  constructor(rules: FaultRule[] = []) {
    for (const rule of rules) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first live rule for this request, its count taken; undefined when none applies. */
  take(service: string, operation: string): FaultRule | undefined {
    const found = this.rules.find((entry) => entry.left > 0 && matches(entry.rule, service, operation));
    if (found === undefined) return undefined;
    found.left -= 1;
    this.applied.push({ service, operation, ...(found.rule.error ? { code: found.rule.error.code } : {}) });
    return found.rule;
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
        return service.handle(request);
      },
    };
  }
}
