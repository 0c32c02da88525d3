import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { jsonService } from "../server/json-service.js";
import { LOCAL_ACCOUNT, type LocalService } from "../server/service.js";
import {
  Deliveries,
  type DeliveryOutcome,
  realTimer,
  type SetTimer,
  type StartExecution,
} from "../targets.js";
import {
  type EventBridgeEvent,
  eventFromEntry,
  eventTime,
  type PutEventsEntry,
  REQUIRED_EVENT_FIELDS,
} from "./entries.js";
import { constraint, validationException } from "./errors.js";
import { matchesPattern } from "./pattern/match.js";
import { checkBus, checkRuleName, compileOrThrow, type Rule, Rules, type Target } from "./rules.js";
import { ScheduledRules } from "./scheduled-rules.js";
import { targetInput } from "./target-input.js";

export type { EventBridgeEvent } from "./entries.js";

export interface EventsServiceOptions {
  dataDir: string;
  region: string;
  startExecution: StartExecution;
  /** The clock (tests). */
  now?: () => number;
  /** The timer retries wait on (tests). */
  setTimer?: SetTimer;
  /** Each delivery's end: started, or given up after its retries (the launcher's log, tests). */
  onDelivery?: (outcome: DeliveryOutcome & { stateMachineArn: string; ruleName: string }) => void;
}

export type EventsService = LocalService & {
  /** Puts a complete event (as CloudWatch's alarm state-change event) on the default bus. */
  putEvent(event: EventBridgeEvent): Promise<void>;
  close(): Promise<void>;
};

/** PutEvents' limit on a request's entries, counted as EventBridge documents (UTF-8 bytes, 14 for a Time). */
const MAX_PUT_EVENTS_BYTES = 256 * 1024;
const entrySize = (entry: PutEventsEntry) =>
  (entry.Time === undefined ? 0 : 14) +
  [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])].reduce(
    (total, part) => total + (typeof part === "string" ? Buffer.byteLength(part, "utf8") : 0),
    0,
  );

const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** `NextToken` is the index of the next item; `Limit` 1-100, 100 by default (ListRules). */
function page<T>(items: readonly T[], input: Record<string, unknown>) {
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw validationException("The provided NextToken is invalid.");
  }
  const limit = input.Limit === undefined ? 100 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw constraint(input.Limit, "limit", "Member must have value less than or equal to 100");
  }
  const end = start + limit;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

const describe = (rule: Rule) => ({
  Name: rule.Name,
  Arn: rule.Arn,
  EventPattern: rule.EventPattern,
  ScheduleExpression: rule.ScheduleExpression,
  State: rule.State,
  Description: rule.Description,
  RoleArn: rule.RoleArn,
  EventBusName: rule.EventBusName,
});

/**
 * EventBridge (AWS JSON 1.1, `AWSEvents.<Operation>`, signing name `events`) with the default event
 * bus: rules with event patterns, Step Functions targets, PutEvents and TestEventPattern. Each event
 * put on the bus is appended to `<dataDir>/events.jsonl`; each enabled rule it matches starts its
 * targets' state machines in the background, retried as EventBridge retries.
 */
export function createEventsService(options: EventsServiceOptions): EventsService {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const now = options.now ?? Date.now;
  const rules = new Rules(options.dataDir, options.region);
  const log = path.join(options.dataDir, "events.jsonl");
  const deliveries = new Map<string, Deliveries>();

  const deliveriesFor = (ruleName: string) => {
    let forRule = deliveries.get(ruleName);
    if (forRule === undefined) {
      forRule = new Deliveries({
        startExecution: options.startExecution,
        now,
        setTimer: options.setTimer ?? realTimer,
        onOutcome: (outcome) => options.onDelivery?.({ ...outcome, ruleName }),
      });
      deliveries.set(ruleName, forRule);
    }
    return forRule;
  };

  const sendToTargets = (rule: Rule, event: unknown, ingestedAt: number) => {
    for (const target of rule.Targets) {
      deliveriesFor(rule.Name).send({
        stateMachineArn: target.Arn,
        input: targetInput(target, event, {
          ruleArn: rule.Arn,
          ruleName: rule.Name,
          ingestionTime: new Date(ingestedAt).toISOString(),
        }),
        retryPolicy: target.RetryPolicy,
        eventTime: ingestedAt,
      });
    }
  };

  const append = (event: EventBridgeEvent) =>
    appendFileSync(log, `${JSON.stringify(event)}\n`, { mode: 0o600 });

  const route = (event: EventBridgeEvent) => {
    const ingestedAt = now();
    append(event);
    for (const rule of rules.list()) {
      const pattern = rules.pattern(rule.Name);
      if (rule.State === "DISABLED" || pattern === undefined) continue;
      if (matchesPattern(pattern, event)) sendToTargets(rule, event, ingestedAt);
    }
  };

  // A scheduled rule's event goes to that rule's targets only, as EventBridge sends it.
  const scheduled = new ScheduledRules({ now, setTimer: options.setTimer ?? realTimer }, (name, at) => {
    const rule = rules.find(name);
    if (rule === undefined || rule.State === "DISABLED") return;
    const event: EventBridgeEvent = {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: LOCAL_ACCOUNT,
      time: eventTime(at),
      region: options.region,
      resources: [rule.Arn],
      detail: {},
    };
    append(event);
    sendToTargets(rule, event, at);
    scheduled.sync(name, rule, at);
  });
  for (const rule of rules.list()) scheduled.sync(rule.Name, rule);
  const resync = (name: string) => scheduled.sync(name, rules.find(name));

  const ruleName = (input: Record<string, unknown>, member: "Name" | "Rule") => {
    checkBus(input.EventBusName);
    return checkRuleName(input[member], member.toLowerCase());
  };

  const service = jsonService({
    signingName: "events",
    targetPrefix: "AWSEvents",
    version: "1.1",
    operations: {
      PutRule(input) {
        const rule = rules.put({
          Name: ruleName(input, "Name"),
          EventPattern: str(input.EventPattern),
          ScheduleExpression: str(input.ScheduleExpression),
          State: str(input.State),
          Description: str(input.Description),
          RoleArn: str(input.RoleArn),
        });
        resync(rule.Name);
        return { RuleArn: rule.Arn };
      },
      DescribeRule(input) {
        const rule = rules.get(ruleName(input, "Name"));
        return { ...describe(rule), CreatedBy: rule.CreatedBy };
      },
      ListRules(input) {
        checkBus(input.EventBusName);
        const prefix = str(input.NamePrefix) ?? "";
        const matching = rules
          .list()
          .filter((rule) => rule.Name.startsWith(prefix))
          .sort((a, b) => a.Name.localeCompare(b.Name));
        const { items, nextToken } = page(matching, input);
        return { Rules: items.map(describe), NextToken: nextToken };
      },
      DeleteRule(input) {
        const name = ruleName(input, "Name");
        rules.delete(name);
        resync(name);
        deliveries.get(str(input.Name) ?? "")?.close();
        deliveries.delete(str(input.Name) ?? "");
        return {};
      },
      EnableRule(input) {
        const name = ruleName(input, "Name");
        rules.setState(name, "ENABLED");
        resync(name);
        return {};
      },
      DisableRule(input) {
        const name = ruleName(input, "Name");
        rules.setState(name, "DISABLED");
        resync(name);
        return {};
      },
      PutTargets(input) {
        const name = ruleName(input, "Rule");
        const targets = Array.isArray(input.Targets) ? (input.Targets as Target[]) : [];
        if (targets.length < 1 || targets.length > 10) {
          throw constraint("[Target]", "targets", "Member must have length between 1 and 10");
        }
        const failed = rules.putTargets(name, targets);
        return { FailedEntryCount: failed.length, FailedEntries: failed };
      },
      ListTargetsByRule(input) {
        const rule = rules.get(ruleName(input, "Rule"));
        const { items, nextToken } = page(rule.Targets, input);
        return { Targets: items, NextToken: nextToken };
      },
      ListRuleNamesByTarget(input) {
        checkBus(input.EventBusName);
        const arn = str(input.TargetArn);
        const names = rules
          .list()
          .filter((rule) => rule.Targets.some((target) => target.Arn === arn))
          .map((rule) => rule.Name)
          .sort();
        const { items, nextToken } = page(names, input);
        return { RuleNames: items, NextToken: nextToken };
      },
      RemoveTargets(input) {
        const ids = Array.isArray(input.Ids) ? input.Ids.filter((id) => typeof id === "string") : [];
        rules.removeTargets(ruleName(input, "Rule"), ids);
        return { FailedEntryCount: 0, FailedEntries: [] };
      },
      PutEvents(input, request) {
        const entries = Array.isArray(input.Entries) ? (input.Entries as PutEventsEntry[]) : [];
        if (entries.length < 1 || entries.length > 10) {
          throw constraint(
            "[PutEventsRequestEntry]",
            "entries",
            entries.length < 1
              ? "Member must have length greater than or equal to 1"
              : "Member must have length less than or equal to 10",
          );
        }
        if (entries.reduce((total, entry) => total + entrySize(entry), 0) > MAX_PUT_EVENTS_BYTES) {
          throw validationException("Total size of the entries in the request is over the limit.");
        }
        const results = entries.map((entry) => {
          checkBus(entry.EventBusName);
          return eventFromEntry(entry, request.region, now());
        });
        for (const result of results) if ("event" in result) route(result.event);
        return {
          FailedEntryCount: results.filter((result) => !("event" in result)).length,
          Entries: results.map((result) => ("event" in result ? { EventId: result.event.id } : result)),
        };
      },
      TestEventPattern(input) {
        const pattern = compileOrThrow(str(input.EventPattern) ?? "");
        let event: unknown;
        try {
          event = JSON.parse(str(input.Event) ?? "");
        } catch {
          throw validationException("Parameter Event is not valid.");
        }
        const fields = typeof event === "object" && event !== null ? event : {};
        const missing = REQUIRED_EVENT_FIELDS.find((field) => !(field in fields));
        if (missing !== undefined) throw validationException("Parameter Event is not valid.");
        return { Result: matchesPattern(pattern, event) };
      },
    },
  });

  return {
    ...service,
    async putEvent(event) {
      route(event);
    },
    async close() {
      scheduled.close();
      for (const forRule of deliveries.values()) forRule.close();
      deliveries.clear();
    },
  };
}
