import type { AwsRequest } from "../server/service.js";
import { InvalidPathEncoding, UnknownOperation } from "./exceptions.js";
import type { Fields } from "./fields.js";

/** What an operation handler gets: the request, the path's labels (percent-decoded) and the body. */
export interface OperationCall {
  request: AwsRequest;
  params: Record<string, string>;
  body: Fields;
}

export type Operation = (call: OperationCall) => unknown;

export interface Route {
  method: string;
  /** Amazon MQ's URI pattern, labels in braces: /v1/brokers/{brokerId}. */
  pattern: string;
  operation: string;
  /** The status Amazon MQ answers a success with (200, or 204 for CreateTags/DeleteTags). */
  status: 200 | 204;
}

/** Amazon MQ's REST routes, as the SDK's model has them (`@http` of each operation). */
export const ROUTES: Route[] = [
  { method: "POST", pattern: "/v1/brokers", operation: "CreateBroker", status: 200 },
  { method: "GET", pattern: "/v1/brokers", operation: "ListBrokers", status: 200 },
  { method: "GET", pattern: "/v1/brokers/{brokerId}", operation: "DescribeBroker", status: 200 },
  { method: "PUT", pattern: "/v1/brokers/{brokerId}", operation: "UpdateBroker", status: 200 },
  { method: "DELETE", pattern: "/v1/brokers/{brokerId}", operation: "DeleteBroker", status: 200 },
  { method: "POST", pattern: "/v1/brokers/{brokerId}/reboot", operation: "RebootBroker", status: 200 },
  { method: "POST", pattern: "/v1/brokers/{brokerId}/promote", operation: "Promote", status: 200 },
  { method: "GET", pattern: "/v1/brokers/{brokerId}/users", operation: "ListUsers", status: 200 },
  {
    method: "POST",
    pattern: "/v1/brokers/{brokerId}/users/{username}",
    operation: "CreateUser",
    status: 200,
  },
  {
    method: "GET",
    pattern: "/v1/brokers/{brokerId}/users/{username}",
    operation: "DescribeUser",
    status: 200,
  },
  { method: "PUT", pattern: "/v1/brokers/{brokerId}/users/{username}", operation: "UpdateUser", status: 200 },
  {
    method: "DELETE",
    pattern: "/v1/brokers/{brokerId}/users/{username}",
    operation: "DeleteUser",
    status: 200,
  },
  { method: "POST", pattern: "/v1/configurations", operation: "CreateConfiguration", status: 200 },
  { method: "GET", pattern: "/v1/configurations", operation: "ListConfigurations", status: 200 },
  {
    method: "GET",
    pattern: "/v1/configurations/{configurationId}",
    operation: "DescribeConfiguration",
    status: 200,
  },
  {
    method: "PUT",
    pattern: "/v1/configurations/{configurationId}",
    operation: "UpdateConfiguration",
    status: 200,
  },
  {
    method: "DELETE",
    pattern: "/v1/configurations/{configurationId}",
    operation: "DeleteConfiguration",
    status: 200,
  },
  {
    method: "GET",
    pattern: "/v1/configurations/{configurationId}/revisions",
    operation: "ListConfigurationRevisions",
    status: 200,
  },
  {
    method: "GET",
    pattern: "/v1/configurations/{configurationId}/revisions/{configurationRevision}",
    operation: "DescribeConfigurationRevision",
    status: 200,
  },
  { method: "POST", pattern: "/v1/tags/{resourceArn}", operation: "CreateTags", status: 204 },
  { method: "GET", pattern: "/v1/tags/{resourceArn}", operation: "ListTags", status: 200 },
  { method: "DELETE", pattern: "/v1/tags/{resourceArn}", operation: "DeleteTags", status: 204 },
  { method: "GET", pattern: "/v1/broker-engine-types", operation: "DescribeBrokerEngineTypes", status: 200 },
  {
    method: "GET",
    pattern: "/v1/broker-instance-options",
    operation: "DescribeBrokerInstanceOptions",
    status: 200,
  },
];

const segments = (path: string) => path.split("/").filter((segment) => segment !== "");

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new InvalidPathEncoding(segment);
  }
}

/** The route for a method and path, with its labels; a NotFoundException names what did not match. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } {
  const actual = segments(path);
  for (const route of routes) {
    const expected = segments(route.pattern);
    if (route.method !== method || expected.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const matches = expected.every((part, index) => {
      const value = actual[index] ?? "";
      if (part.startsWith("{")) {
        params[part.slice(1, -1)] = decode(value);
        return value !== "";
      }
      return part === value;
    });
    if (matches) return { route, params };
  }
  throw new UnknownOperation(method, path);
}
