import { autoscaling } from "./autoscaling.js";
import { maintenance } from "./maintenance.js";
import { provisioning } from "./provisioning.js";
import type { WorkflowSpec } from "./types.js";

/** Every workflow mqops deploys; infra/ and local/ both read this list. */
export const WORKFLOWS: WorkflowSpec[] = [provisioning, autoscaling, maintenance];

export type { WorkflowSpec } from "./types.js";
