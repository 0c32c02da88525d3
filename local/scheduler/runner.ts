import type { Deliveries, SetTimer } from "../targets.js";
import { withContextAttributes } from "./context-attributes.js";
import { nextFireOf, type ScheduleRecord, type Schedules } from "./schedules.js";

/**
 * Fires schedules on time: one timer per enabled schedule, armed for its next fire time; at that
 * time the target's state machine is started (retried per the target's RetryPolicy) and the timer is
 * armed for the fire time after. FlexibleTimeWindow FLEXIBLE may fire anywhere in the window on AWS;
 * locally it fires at the window's start, which is inside it.
 */
export class ScheduleRunner {
  private readonly timers = new Map<string, { cancel(): void }>();
  private closed = false;

  constructor(
    private readonly schedules: Schedules,
    private readonly deliveries: Deliveries,
    private readonly clock: { now: () => number; setTimer: SetTimer },
  ) {}

  /** Arms every schedule (after a restart, one due while the cloud was down fires at once if still fresh). */
  armAll() {
    for (const record of this.schedules.list()) this.arm(record);
  }

  arm(record: ScheduleRecord) {
    this.disarm(record);
    if (this.closed || record.State !== "ENABLED" || record.nextFireAt === undefined) return;
    const due = record.nextFireAt;
    const key = keyOf(record);
    this.timers.set(
      key,
      this.clock.setTimer(() => {
        this.timers.delete(key);
        // Node's timers run on a monotonic clock and may wake a millisecond before the wall clock
        // reaches `due`: a schedule never fires before its time, so wait out the rest.
        if (this.clock.now() < due) this.arm(record);
        else this.fire(record.GroupName, record.Name, due);
      }, due - this.clock.now()),
    );
  }

  disarm(record: { GroupName: string; Name: string }) {
    const key = keyOf(record);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  close() {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private fire(group: string, name: string, due: number) {
    const record = this.schedules.find(group, name);
    // Updated, disabled or deleted since this timer was armed: the newer state has its own timer.
    if (this.closed || record === undefined || record.State !== "ENABLED" || record.nextFireAt !== due)
      return;
    const now = this.clock.now();
    if (now - due <= record.Target.RetryPolicy.MaximumEventAgeInSeconds * 1000) {
      this.deliveries.send({
        stateMachineArn: record.Target.Arn,
        input: withContextAttributes(record.Target.Input ?? "{}", {
          scheduleArn: record.Arn,
          scheduledTime: due,
        }),
        retryPolicy: record.Target.RetryPolicy,
        eventTime: due,
      });
    }
    const next = nextFireOf(record, Math.max(due, now));
    if (next === undefined && record.ActionAfterCompletion === "DELETE") {
      this.schedules.delete(group, name);
      return;
    }
    this.schedules.advance(record, next);
    this.arm(record);
  }
}

const keyOf = (record: { GroupName: string; Name: string }) => `${record.GroupName}/${record.Name}`;
