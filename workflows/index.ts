import { autoscaling } from "./autoscaling.js";
import { failover } from "./failover.js";
import { maintenance } from "./maintenance.js";
import { provisioning } from "./provisioning.js";
import type { WorkflowSpec } from "./types.js";

/** Every workflow mqops deploys; infra/ and local/ both read this list. */
export const WORKFLOWS: WorkflowSpec[] = [provisioning, autoscaling, maintenance, failover];

export type { WorkflowSpec } from "./types.js";
