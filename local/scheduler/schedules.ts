import { LOCAL_ACCOUNT } from "../server/service.js";
import { JsonStore } from "../store/json-store.js";
import { conflict, resourceNotFound } from "./errors.js";
import { nextFireTime, parseScheduleExpression } from "./expression.js";
import type { ScheduleDefinition } from "./schedule-input.js";

/** The only schedule group locally, as every account has on AWS. */
export const DEFAULT_GROUP = "default";

export interface ScheduleRecord extends ScheduleDefinition {
  Name: string;
  GroupName: string;
  Arn: string;
  CreationDate: number;
  LastModificationDate: number;
  /** When a rate without StartDate counts from (creation or last update). */
  anchor: number;
  /** The pending fire time; undefined once the schedule has no more. */
  nextFireAt?: number;
}

interface SchedulerState {
  schedules: ScheduleRecord[];
  groupCreatedAt: number;
}

export const scheduleArn = (region: string, group: string, name: string) =>
  `arn:aws:scheduler:${region}:${LOCAL_ACCOUNT}:schedule/${group}/${name}`;

export const groupArn = (region: string, group: string) =>
  `arn:aws:scheduler:${region}:${LOCAL_ACCOUNT}:schedule-group/${group}`;

export function checkGroup(group: string) {
  if (group !== DEFAULT_GROUP) throw resourceNotFound(`Schedule group ${group} does not exist.`);
}

/** The next fire time of a schedule strictly after `afterMs`. */
export function nextFireOf(
  record: ScheduleDefinition & { anchor: number },
  afterMs: number,
): number | undefined {
  const expression = parseScheduleExpression(record.ScheduleExpression);
  if (expression === undefined) return undefined;
  return nextFireTime(expression, afterMs, {
    timeZone: record.ScheduleExpressionTimezone,
    startMs: record.StartDate,
    endMs: record.EndDate,
    anchorMs: record.anchor,
  });
}

/** Schedules of the default group, kept in `<dataDir>/scheduler.json`. */
export class Schedules {
  private readonly store: JsonStore<SchedulerState>;
  private readonly state: SchedulerState;

  constructor(
    dataDir: string,
    private readonly region: string,
    now: number,
  ) {
    this.store = new JsonStore<SchedulerState>(dataDir, "scheduler");
    this.state = this.store.load(() => ({ schedules: [], groupCreatedAt: now }));
  }

  get groupCreatedAt() {
    return this.state.groupCreatedAt;
  }

  list(): readonly ScheduleRecord[] {
    return this.state.schedules;
  }

  find(group: string, name: string): ScheduleRecord | undefined {
    return this.state.schedules.find((record) => record.GroupName === group && record.Name === name);
  }

  get(group: string, name: string): ScheduleRecord {
    checkGroup(group);
    const record = this.find(group, name);
    if (record === undefined) throw resourceNotFound(`Schedule ${name} does not exist.`);
    return record;
  }

  create(group: string, name: string, definition: ScheduleDefinition, now: number): ScheduleRecord {
    checkGroup(group);
    if (this.find(group, name) !== undefined) throw conflict(`Schedule ${name} already exists.`);
    const record: ScheduleRecord = {
      ...definition,
      Name: name,
      GroupName: group,
      Arn: scheduleArn(this.region, group, name),
      CreationDate: now,
      LastModificationDate: now,
      anchor: now,
    };
    // "Strictly after now - 1": a rate without StartDate fires at once, as AWS documents.
    record.nextFireAt = nextFireOf(record, now - 1);
    this.state.schedules.push(record);
    this.save();
    return record;
  }

  /** UpdateSchedule replaces the whole definition, as on AWS. */
  update(group: string, name: string, definition: ScheduleDefinition, now: number): ScheduleRecord {
    const existing = this.get(group, name);
    const record: ScheduleRecord = {
      ...definition,
      Name: name,
      GroupName: group,
      Arn: existing.Arn,
      CreationDate: existing.CreationDate,
      LastModificationDate: now,
      anchor: now,
    };
    record.nextFireAt = nextFireOf(record, now - 1);
    this.state.schedules = this.state.schedules.map((other) => (other === existing ? record : other));
    this.save();
    return record;
  }

  delete(group: string, name: string) {
    const record = this.get(group, name);
    this.state.schedules = this.state.schedules.filter((other) => other !== record);
    this.save();
  }

  /** Records the next fire time after a firing. */
  advance(record: ScheduleRecord, nextFireAt: number | undefined) {
    record.nextFireAt = nextFireAt;
    this.save();
  }

  private save() {
    this.store.save(this.state);
  }
}
