import {
  ENGINE_TYPE,
  ENGINE_VERSIONS_NEWEST_FIRST,
  HOST_INSTANCE_TYPES,
  STORAGE_TYPES,
  supportedDeploymentModes,
} from "../../functions/lib/amazon-mq.js";
import type { AwsRequest } from "../server/service.js";
import { InvalidParameter } from "./exceptions.js";
import { page } from "./pagination.js";
import { maxResults } from "./validation.js";

/**
 * What actually runs for every broker, whatever its engineVersion label: Debian's activemq package.
 * Kept out of the API (Amazon MQ has no member for it); see local/mq/README.md.
 */
export const LOCAL_ACTIVEMQ_VERSION = "5.17.2";

const availabilityZones = (region: string) =>
  ["a", "b", "c"].map((suffix) => ({ name: `${region}${suffix}` }));

function requireActiveMq(query: URLSearchParams): void {
  const type = query.get("engineType");
  if (type !== null && type.toUpperCase() !== ENGINE_TYPE) {
    throw new InvalidParameter(
      "engineType",
      `${JSON.stringify(type)} is not supported: the local Amazon MQ runs ACTIVEMQ brokers only`,
    );
  }
}

/** GET /v1/broker-engine-types */
export function describeBrokerEngineTypes(request: AwsRequest) {
  requireActiveMq(request.query);
  // Newest first, as Amazon MQ lists them.
  const types = [
    { engineType: ENGINE_TYPE, engineVersions: ENGINE_VERSIONS_NEWEST_FIRST.map((name) => ({ name })) },
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
      return {
        engineType: ENGINE_TYPE,
        hostInstanceType,
        storageType,
        supportedDeploymentModes: supportedDeploymentModes(hostInstanceType, storageType),
        // Newest first, as Amazon MQ lists them.
        supportedEngineVersions: [...ENGINE_VERSIONS_NEWEST_FIRST],
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
