import { awsErrorName } from "../lib/aws-errors.js";
import { ServiceNotFoundError } from "../lib/errors.js";

const GONE = new Set(["ServiceNotFoundException", "ServiceNotActiveException", "ClusterNotFoundException"]);

/** Maps ECS's "no such service/cluster" errors to ServiceNotFoundError; re-throws the rest. */
export function rethrowServiceError(cluster: string, service: string, error: unknown): never {
  if (GONE.has(awsErrorName(error) ?? "")) throw new ServiceNotFoundError(cluster, service, { cause: error });
  throw error;
}
