import { LOCAL_ACCOUNT } from "../server/service.js";
import { invalidParameter } from "./errors.js";

/* ECS's long ARN format (the default since 2021): service and task ARNs carry the cluster name. */
const prefix = (region: string) => `arn:aws:ecs:${region}:${LOCAL_ACCOUNT}`;

export const clusterArn = (region: string, cluster: string) => `${prefix(region)}:cluster/${cluster}`;
export const serviceArn = (region: string, cluster: string, service: string) =>
  `${prefix(region)}:service/${cluster}/${service}`;
export const taskArn = (region: string, cluster: string, taskId: string) =>
  `${prefix(region)}:task/${cluster}/${taskId}`;
export const containerArn = (region: string, cluster: string, taskId: string, containerId: string) =>
  `${prefix(region)}:container/${cluster}/${taskId}/${containerId}`;
export const taskDefinitionArn = (region: string, family: string, revision: number) =>
  `${prefix(region)}:task-definition/${family}:${revision}`;

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:([a-z-]+)\/(.+)$/;

/**
 * The resource part of an ECS ARN of the given type (`cluster/name` → `name`), or the value itself
 * when it is a plain name or id, as ECS accepts either wherever it takes a reference.
 */
export function resourceName(value: string, type: string): string {
  const match = ARN.exec(value);
  if (match === null) return value;
  if (match[1] !== type) throw invalidParameter(`Invalid ${type} ARN: ${value}`);
  return match[2] ?? "";
}

/** `service/<cluster>/<name>` and `task/<cluster>/<id>` ARNs end in the name; the old short form has none. */
export const lastSegment = (value: string) => value.slice(value.lastIndexOf("/") + 1);
