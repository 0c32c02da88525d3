import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";
import { callAws } from "../lib/aws-errors.js";
import { cloudwatch } from "../lib/clients.js";
import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { historyRange, toWindows, windowQueries, windowsEnd } from "./metric-windows.js";
import { ALARM_KINDS } from "./registration.js";

const inputSchema = z.object({
  ...stepBase,
  instances: z.array(z.string()).check(z.minLength(1)),
  queue: z.string(),
  /** The metrics' period (60 on AWS, 10 locally): gauges are read at it. */
  periodSeconds: z.optional(z.number().check(z.int(), z.positive())),
  alarms: z.record(z.enum(ALARM_KINDS), z.string()),
});

/**
 * The last hour of one-minute windows for the queue, ending at the latest period published
 * (GetMetricData, both instances of a pair summed)
 * and the state of its three alarms (DescribeAlarms), read at one moment: `now`, in epoch seconds.
 */
export const readQueueMetrics = async ({
  instances,
  queue,
  periodSeconds,
  alarms,
}: z.infer<typeof inputSchema>) => {
  const now = Math.floor(Date.now() / 1000);
  const range = historyRange(now, periodSeconds);
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws("GetMetricData", () =>
      cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: windowQueries(instances, queue, periodSeconds),
          StartTime: new Date(range.start * 1000),
          EndTime: new Date(range.end * 1000),
          ScanBy: "TimestampAscending",
          NextToken: nextToken,
        }),
      ),
    );
    results.push(...(page.MetricDataResults ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  const described = await callAws("DescribeAlarms", () =>
    cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: Object.values(alarms), AlarmTypes: ["MetricAlarm"] }),
    ),
  );
  const stateByName = new Map(
    (described.MetricAlarms ?? []).map((alarm) => [alarm.AlarmName, alarm.StateValue]),
  );
  const alarmStates = Object.fromEntries(
    ALARM_KINDS.map((kind) => [kind, stateByName.get(alarms[kind]) ?? "MISSING"]),
  );
  const end = windowsEnd(results, range, periodSeconds);
  return { now, windows: toWindows(results, end), alarmStates };
};

export const handler = workflowStep(inputSchema, readQueueMetrics);
