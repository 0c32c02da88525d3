import { LOCAL_ACCOUNT } from "../server/service.js";
import { JsonStore } from "../store/json-store.js";
import type { RetryPolicy } from "../targets.js";
import {
  busNotFound,
  constraint,
  invalidEventPattern,
  limitExceeded,
  ruleNotFound,
  validationException,
} from "./errors.js";
import { type CompiledPattern, compilePattern, InvalidEventPatternError } from "./pattern/compile.js";
import { checkRuleSchedule } from "./scheduled-rules.js";
import { type InputTransformer, parseJsonPath, unknownPlaceholders } from "./target-input.js";

export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  RetryPolicy?: RetryPolicy;
}

export type RuleState = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export interface Rule {
  Name: string;
  Arn: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: RuleState;
  Description?: string;
  RoleArn?: string;
  EventBusName: "default";
  CreatedBy: string;
  Targets: Target[];
}

interface EventsState {
  rules: Rule[];
}

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const STATES = new Set<RuleState>(["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"]);
/** EventBridge's quota of targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;
const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;

export const ruleArn = (region: string, name: string) =>
  `arn:aws:events:${region}:${LOCAL_ACCOUNT}:rule/${name}`;

/** Only the default bus exists locally; it may be named or given by ARN. */
export function checkBus(name: unknown): "default" {
  if (name === undefined || name === null || name === "default") return "default";
  if (typeof name === "string" && /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/default$/.test(name)) {
    return "default";
  }
  throw busNotFound(String(name));
}

export function checkRuleName(name: unknown, member = "name"): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw constraint(name, member, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  }
  return name;
}

/** Compiles a pattern, answering a bad one with InvalidEventPatternException as AWS does. */
export function compileOrThrow(pattern: string): CompiledPattern {
  try {
    return compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw invalidEventPattern(error.message);
    throw error;
  }
}

/** Rules of the default event bus and their targets, kept in `<dataDir>/events.json`. */
export class Rules {
  private readonly store: JsonStore<EventsState>;
  private readonly state: EventsState;
  private readonly patterns = new Map<string, CompiledPattern>();

  constructor(
    dataDir: string,
    private readonly region: string,
  ) {
    this.store = new JsonStore<EventsState>(dataDir, "events");
    this.state = this.store.load(() => ({ rules: [] }));
    for (const rule of this.state.rules) {
      if (rule.EventPattern !== undefined) this.patterns.set(rule.Name, compilePattern(rule.EventPattern));
    }
  }

  list(): readonly Rule[] {
    return this.state.rules;
  }

  find(name: string): Rule | undefined {
    return this.state.rules.find((candidate) => candidate.Name === name);
  }

  get(name: string): Rule {
    const rule = this.state.rules.find((candidate) => candidate.Name === name);
    if (rule === undefined) throw ruleNotFound(name);
    return rule;
  }

  pattern(name: string): CompiledPattern | undefined {
    return this.patterns.get(name);
  }

  /** PutRule: creates the rule or replaces its definition (its targets stay). */
  put(input: {
    Name: string;
    EventPattern?: string;
    ScheduleExpression?: string;
    State?: string;
    Description?: string;
    RoleArn?: string;
  }): Rule {
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
      throw validationException("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    }
    const compiled = input.EventPattern === undefined ? undefined : compileOrThrow(input.EventPattern);
    if (input.ScheduleExpression !== undefined) checkRuleSchedule(input.ScheduleExpression);
    const state = (input.State ?? "ENABLED") as RuleState;
    if (!STATES.has(state)) {
      throw constraint(
        input.State,
        "state",
        "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
      );
    }
    const existing = this.state.rules.find((rule) => rule.Name === input.Name);
    const rule: Rule = {
      Name: input.Name,
      Arn: ruleArn(this.region, input.Name),
      EventPattern: input.EventPattern,
      ScheduleExpression: input.ScheduleExpression,
      State: state,
      Description: input.Description,
      RoleArn: input.RoleArn,
      EventBusName: "default",
      CreatedBy: LOCAL_ACCOUNT,
      Targets: existing?.Targets ?? [],
    };
    this.state.rules = [...this.state.rules.filter((other) => other.Name !== input.Name), rule];
    if (compiled === undefined) this.patterns.delete(rule.Name);
    else this.patterns.set(rule.Name, compiled);
    this.save();
    return rule;
  }

  /** DeleteRule: a missing rule is no error; one with targets is refused, as on AWS. */
  delete(name: string) {
    const rule = this.state.rules.find((candidate) => candidate.Name === name);
    if (rule === undefined) return;
    if (rule.Targets.length > 0) throw validationException("Rule can't be deleted since it has targets.");
    this.state.rules = this.state.rules.filter((candidate) => candidate !== rule);
    this.patterns.delete(name);
    this.save();
  }

  setState(name: string, state: RuleState) {
    this.get(name).State = state;
    this.save();
  }

  /** PutTargets: valid targets are added or replaced by Id; the others come back as FailedEntries. */
  putTargets(name: string, targets: Target[]) {
    const rule = this.get(name);
    const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
    const accepted: Target[] = [];
    for (const target of targets) {
      const problem = targetProblem(target);
      if (problem === undefined) accepted.push(target);
      else failed.push({ TargetId: target.Id, ErrorCode: "ValidationException", ErrorMessage: problem });
    }
    const ids = new Set(accepted.map((target) => target.Id));
    const merged = [...rule.Targets.filter((target) => !ids.has(target.Id)), ...accepted];
    if (merged.length > MAX_TARGETS_PER_RULE) {
      throw limitExceeded("The requested resource exceeds the maximum number allowed.");
    }
    rule.Targets = merged;
    this.save();
    return failed;
  }

  removeTargets(name: string, ids: string[]) {
    const rule = this.get(name);
    rule.Targets = rule.Targets.filter((target) => !ids.includes(target.Id));
    this.save();
  }

  private save() {
    this.store.save(this.state);
  }
}

/** Why EventBridge (or the local cloud, which delivers only to Step Functions) refuses a target. */
function targetProblem(target: Target): string | undefined {
  if (!STATE_MACHINE_ARN.test(target.Arn)) {
    return `The local cloud delivers only to Step Functions state machines; ${target.Arn} is not one.`;
  }
  if (target.RoleArn === undefined) return `RoleArn is required for target ${target.Arn}.`;
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter(
    (value) => value !== undefined,
  );
  if (inputs.length > 1) return "Only one of Input, InputPath, or InputTransformer must be provided.";
  if (target.Input !== undefined && !isJson(target.Input)) {
    return `Input for target ${target.Id} is not valid JSON text.`;
  }
  if (target.InputPath !== undefined && parseJsonPath(target.InputPath) === undefined) {
    return `InputPath for target ${target.Id} is invalid.`;
  }
  const transformer = target.InputTransformer;
  if (transformer !== undefined) {
    for (const [key, path] of Object.entries(transformer.InputPathsMap ?? {})) {
      if (key.startsWith("aws."))
        return `InputPathsMap for target ${target.Id} uses the reserved key ${key}.`;
      if (parseJsonPath(path) === undefined) {
        return `InputPathsMap for target ${target.Id} contains invalid path ${path}.`;
      }
    }
    const unknown = unknownPlaceholders(transformer);
    if (unknown.length > 0) {
      return `InputTemplate for target ${target.Id} contains invalid placeholder ${unknown[0]}.`;
    }
  }
  return undefined;
}

function isJson(text: string) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
