import { badRequest } from "../server/aws-error.js";
import type { AwsRequest } from "../server/service.js";
import { page } from "./pagination.js";
import type { DeploymentMode } from "./state.js";
import { maxResults } from "./validation.js";

export const ENGINE_TYPE = "ACTIVEMQ";
/** Amazon MQ's current ActiveMQ versions (major.minor), newest first. */
export const SUPPORTED_ENGINE_VERSIONS = ["5.19", "5.18"] as const;
export const LATEST_ENGINE_VERSION = "5.19";
/**
 * What actually runs for every broker, whatever its engineVersion label: Debian's activemq package.
 * Kept out of the API (Amazon MQ has no member for it); see local/mq/README.md.
 */
export const LOCAL_ACTIVEMQ_VERSION = "5.17.2";
export const DEPLOYMENT_MODES = ["SINGLE_INSTANCE", "ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ"] as const;
export const HOST_INSTANCE_TYPES = [
  "mq.t3.micro",
  "mq.m5.large",
  "mq.m5.xlarge",
  "mq.m5.2xlarge",
  "mq.m5.4xlarge",
] as const;
export const STORAGE_TYPES = ["EFS", "EBS"] as const;

const availabilityZones = (region: string) =>
  ["a", "b", "c"].map((suffix) => ({ name: `${region}${suffix}` }));

function requireActiveMq(query: URLSearchParams): void {
  const type = query.get("engineType");
  if (type !== null && type.toUpperCase() !== ENGINE_TYPE) {
    throw badRequest(
      `engineType ${JSON.stringify(type)} is not supported: the local Amazon MQ runs ACTIVEMQ brokers only.`,
      "engineType",
    );
  }
}

/** GET /v1/broker-engine-types */
export function describeBrokerEngineTypes(request: AwsRequest) {
  requireActiveMq(request.query);
  const types = [
    { engineType: ENGINE_TYPE, engineVersions: SUPPORTED_ENGINE_VERSIONS.map((name) => ({ name })) },
  ];
  const limit = maxResults(request.query);
  const { items, nextToken } = page(types, (type) => type.engineType, limit, request.query.get("nextToken"));
  return { brokerEngineTypes: items, maxResults: limit, ...(nextToken ? { nextToken } : {}) };
}

/** GET /v1/broker-instance-options: every host type × storage type, filtered by the query. */
export function describeBrokerInstanceOptions(request: AwsRequest) {
  requireActiveMq(request.query);
  const hostFilter = request.query.get("hostInstanceType");
  const storageFilter = request.query.get("storageType");
  const options = HOST_INSTANCE_TYPES.flatMap((hostInstanceType) =>
    STORAGE_TYPES.map((storageType) => {
      const modes: DeploymentMode[] =
        hostInstanceType === "mq.t3.micro" || storageType === "EBS"
          ? ["SINGLE_INSTANCE"]
          : [...DEPLOYMENT_MODES];
      return {
        engineType: ENGINE_TYPE,
        hostInstanceType,
        storageType,
        supportedDeploymentModes: modes,
        supportedEngineVersions: [...SUPPORTED_ENGINE_VERSIONS],
        availabilityZones: availabilityZones(request.region),
      };
    }),
  ).filter(
    (option) =>
      (hostFilter === null || option.hostInstanceType === hostFilter) &&
      (storageFilter === null || option.storageType === storageFilter),
  );
  const limit = maxResults(request.query);
  const { items, nextToken } = page(
    options,
    (option) => `${option.hostInstanceType}/${option.storageType}`,
    limit,
    request.query.get("nextToken"),
  );
  return { brokerInstanceOptions: items, maxResults: limit, ...(nextToken ? { nextToken } : {}) };
}
