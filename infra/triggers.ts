import { API_ROUTES } from "../functions/api/routes.js";
import { TRIGGERS } from "../workflows/triggers.js";

/**
 * What starts each workflow, from workflows/triggers.ts (shared with the local cloud). HTTP triggers
 * are API routes (infra/api.ts) and must exist there; schedules and alarm rules arrive with the
 * maintenance, failover and autoscaling workflows.
 */
for (const trigger of TRIGGERS) {
  switch (trigger.kind) {
    case "http":
      if (!API_ROUTES.some(({ route }) => route === trigger.route)) {
        throw new Error(`${trigger.workflow} is triggered by ${trigger.route}, which is not an API route`);
      }
      break;
    case "schedule":
    case "alarm":
      throw new Error(`${trigger.kind} triggers are not deployed yet (${trigger.workflow})`);
  }
}
