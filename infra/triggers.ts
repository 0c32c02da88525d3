import { API_ROUTES } from "../functions/api/routes.js";
import { TRIGGERS } from "../workflows/triggers.js";
import { deployAlarmRule } from "./alarms.js";
import { deploySchedule } from "./schedules.js";
import { stateMachines } from "./workflows.js";

/**
 * What starts each workflow, from workflows/triggers.ts (shared with the local cloud): HTTP routes
 * (served by infra/api.ts; checked here), EventBridge Scheduler schedules, and alarm-state rules.
 */
for (const trigger of TRIGGERS) {
  const machine = stateMachines[trigger.workflow];
  if (machine === undefined) throw new Error(`Trigger for unknown workflow ${trigger.workflow}`);
  switch (trigger.kind) {
    case "http":
      if (!API_ROUTES.some(({ route }) => route === trigger.route)) {
        throw new Error(`${trigger.workflow} is triggered by ${trigger.route}, which is not an API route`);
      }
      break;
    case "schedule":
      deploySchedule(trigger, machine);
      break;
    case "alarm":
      deployAlarmRule(trigger, machine);
      break;
  }
}
