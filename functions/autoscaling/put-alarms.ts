import { PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { callAws } from "../lib/aws-errors.js";
import { cloudwatch } from "../lib/clients.js";
import { type AlarmTarget, alarmSpecs } from "./alarm-specs.js";

/** Creates or updates a queue's three alarms (PutMetricAlarm replaces an alarm of the same name). */
export async function putAlarms(target: AlarmTarget): Promise<string[]> {
  const names: string[] = [];
  for (const spec of alarmSpecs(target)) {
    await callAws("PutMetricAlarm", () => cloudwatch.send(new PutMetricAlarmCommand(spec)));
    names.push(spec.AlarmName ?? "");
  }
  return names;
}
