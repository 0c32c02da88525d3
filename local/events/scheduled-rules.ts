import { nextFireTime, parseScheduleExpression, type ScheduleExpression } from "../scheduler/expression.js";
import type { SetTimer } from "../targets.js";
import { validationException } from "./errors.js";

/** What arming a rule reads of it (rules.ts's Rule has these members). */
interface ScheduledRule {
  State: string;
  ScheduleExpression?: string;
}

/** A rule's ScheduleExpression: EventBridge rules take rate(...) and cron(...) (in UTC), not at(...). */
export function checkRuleSchedule(text: string): ScheduleExpression {
  const expression = parseScheduleExpression(text);
  if (expression === undefined || expression.kind === "at") {
    throw validationException("Parameter ScheduleExpression is not valid.");
  }
  return expression;
}

/**
 * Fires the enabled rules that have a ScheduleExpression: at each time it names, the rule's targets
 * get EventBridge's "Scheduled Event". A rate counts from when the rule was (re)armed: the local
 * cloud's start or the rule's last change.
 */
export class ScheduledRules {
  private readonly timers = new Map<string, { cancel(): void }>();
  private closed = false;

  constructor(
    private readonly clock: { now: () => number; setTimer: SetTimer },
    private readonly fire: (ruleName: string, at: number) => void,
  ) {}

  /** (Re)arms the rule after a change; a deleted, disabled or unscheduled rule is disarmed. */
  sync(name: string, rule: ScheduledRule | undefined, after = this.clock.now()) {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
    if (
      this.closed ||
      rule === undefined ||
      rule.State === "DISABLED" ||
      rule.ScheduleExpression === undefined
    ) {
      return;
    }
    const expression = parseScheduleExpression(rule.ScheduleExpression);
    if (expression === undefined) return;
    const due = nextFireTime(expression, after, { timeZone: "UTC", anchorMs: after + rateOf(expression) });
    if (due === undefined) return;
    this.timers.set(
      name,
      this.clock.setTimer(() => {
        this.timers.delete(name);
        this.fire(name, due);
      }, due - this.clock.now()),
    );
  }

  close() {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}

/** A rate's first fire is one period after arming, not at once (unlike Scheduler's). */
const rateOf = (expression: ScheduleExpression) => (expression.kind === "rate" ? expression.everyMs : 0);
