import { AwsServiceError } from "../server/aws-error.js";
import type { AwsRequest, AwsResponse, LocalService } from "../server/service.js";
import {
  Deliveries,
  type DeliveryOutcome,
  realTimer,
  type SetTimer,
  type StartExecution,
} from "../targets.js";
import { constraint, schedulerErrorResponse, validationException } from "./errors.js";
import { ScheduleRunner } from "./runner.js";
import { checkName, scheduleDefinition } from "./schedule-input.js";
import { checkGroup, DEFAULT_GROUP, groupArn, type ScheduleRecord, Schedules } from "./schedules.js";

export interface SchedulerServiceOptions {
  dataDir: string;
  region: string;
  startExecution: StartExecution;
  /** The clock (tests). */
  now?: () => number;
  /** The timer schedules and retries wait on (tests); long delays are re-armed below 2^31 ms. */
  setTimer?: SetTimer;
  /** Each firing's end: started, or given up after its retries (the launcher's log, tests). */
  onDelivery?: (outcome: DeliveryOutcome & { stateMachineArn: string }) => void;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function describe(record: ScheduleRecord) {
  return {
    Arn: record.Arn,
    GroupName: record.GroupName,
    Name: record.Name,
    ScheduleExpression: record.ScheduleExpression,
    ScheduleExpressionTimezone: record.ScheduleExpressionTimezone,
    StartDate: seconds(record.StartDate),
    EndDate: seconds(record.EndDate),
    Description: record.Description,
    State: record.State,
    KmsKeyArn: record.KmsKeyArn,
    CreationDate: seconds(record.CreationDate),
    LastModificationDate: seconds(record.LastModificationDate),
    Target: record.Target,
    FlexibleTimeWindow: record.FlexibleTimeWindow,
    ActionAfterCompletion: record.ActionAfterCompletion,
  };
}

function json(body: unknown): AwsResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function parseBody(request: AwsRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(request.body.toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw validationException("The request body is not a JSON object.");
}

/** `NextToken` is the index of the next item; `MaxResults` 1-100 (100 by default). */
function page<T>(items: readonly T[], query: URLSearchParams) {
  const token = query.get("NextToken");
  const start = token === null ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw validationException("The provided NextToken is invalid.");
  }
  const max = query.get("MaxResults") === null ? 100 : Number(query.get("MaxResults"));
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw constraint(query.get("MaxResults"), "maxResults", "Member must have value between 1 and 100");
  }
  const end = start + max;
  return { items: items.slice(start, end), nextToken: end < items.length ? String(end) : undefined };
}

/**
 * EventBridge Scheduler (REST-JSON, signing name `scheduler`): schedules of the default group with
 * rate, cron and at expressions in any IANA time zone, firing a Step Functions target on time.
 * Schedules live in `<dataDir>/scheduler.json` and are armed again after a restart.
 */
export function createSchedulerService(
  options: SchedulerServiceOptions,
): LocalService & { close(): Promise<void> } {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? realTimer;
  const schedules = new Schedules(options.dataDir, options.region, now());
  const deliveries = new Deliveries({
    startExecution: options.startExecution,
    now,
    setTimer,
    onOutcome: options.onDelivery,
  });
  const runner = new ScheduleRunner(schedules, deliveries, { now, setTimer });
  runner.armAll();

  const route = (request: AwsRequest): AwsResponse => {
    const segments = request.path.split("/").filter(Boolean).map(decodeURIComponent);
    const [collection, name, ...rest] = segments;
    if (rest.length > 0) throw notFoundRoute(request);
    if (collection === "schedules" && name === undefined && request.method === "GET") {
      const group = request.query.get("ScheduleGroup");
      const prefix = request.query.get("NamePrefix") ?? "";
      const state = request.query.get("State");
      if (state !== null && state !== "ENABLED" && state !== "DISABLED") {
        throw constraint(state, "state", "Member must satisfy enum value set: [ENABLED, DISABLED]");
      }
      const matching = schedules
        .list()
        .filter(
          (record) =>
            (group === null || record.GroupName === group) &&
            record.Name.startsWith(prefix) &&
            (state === null || record.State === state),
        )
        .sort((a, b) => a.Name.localeCompare(b.Name));
      const { items, nextToken } = page(matching, request.query);
      return json({
        Schedules: items.map((record) => ({
          Arn: record.Arn,
          Name: record.Name,
          GroupName: record.GroupName,
          State: record.State,
          CreationDate: seconds(record.CreationDate),
          LastModificationDate: seconds(record.LastModificationDate),
          Target: { Arn: record.Target.Arn },
        })),
        NextToken: nextToken,
      });
    }
    if (collection === "schedules" && name !== undefined) {
      checkName(name, "name");
      switch (request.method) {
        case "POST": {
          const body = parseBody(request);
          const group = checkName(body.GroupName ?? DEFAULT_GROUP, "groupName");
          const record = schedules.create(group, name, scheduleDefinition(body), now());
          runner.arm(record);
          return json({ ScheduleArn: record.Arn });
        }
        case "PUT": {
          const body = parseBody(request);
          const group = checkName(body.GroupName ?? DEFAULT_GROUP, "groupName");
          const record = schedules.update(group, name, scheduleDefinition(body), now());
          runner.arm(record);
          return json({ ScheduleArn: record.Arn });
        }
        case "GET":
          return json(describe(schedules.get(request.query.get("groupName") ?? DEFAULT_GROUP, name)));
        case "DELETE": {
          const group = request.query.get("groupName") ?? DEFAULT_GROUP;
          schedules.delete(group, name);
          runner.disarm({ GroupName: group, Name: name });
          return json({});
        }
      }
    }
    if (collection === "schedule-groups" && request.method === "GET") {
      const group = {
        Arn: groupArn(options.region, DEFAULT_GROUP),
        Name: DEFAULT_GROUP,
        State: "ACTIVE",
        CreationDate: seconds(schedules.groupCreatedAt),
        LastModificationDate: seconds(schedules.groupCreatedAt),
      };
      if (name === undefined) {
        const prefix = request.query.get("NamePrefix") ?? "";
        return json({ ScheduleGroups: DEFAULT_GROUP.startsWith(prefix) ? [group] : [] });
      }
      checkGroup(name);
      return json(group);
    }
    throw notFoundRoute(request);
  };

  return {
    signingName: "scheduler",
    protocol: "rest-json",
    async handle(request) {
      try {
        return route(request);
      } catch (error) {
        if (error instanceof AwsServiceError) return schedulerErrorResponse(error);
        throw error;
      }
    },
    async close() {
      runner.close();
      deliveries.close();
    },
  };
}

const notFoundRoute = (request: AwsRequest) =>
  new AwsServiceError(
    "UnknownOperationException",
    `The local EventBridge Scheduler does not answer ${request.method} ${request.path}.`,
    404,
  );
