import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "../../../local/mq/router.js";
import { createMqService, type MqService } from "../../../local/mq/service.js";
import { AwsServiceError } from "../../../local/server/aws-error.js";
import type { AwsRequest } from "../../../local/server/service.js";
import { FakeRuntime } from "../local/mq/fake-runtime.js";
import { badBodyText, contentType, mutatedBody, nastyString, PLANTED_PASSWORD } from "./bad-requests.js";

/**
 * The local cloud's Amazon MQ API, every route, in-process with generated bad requests: never a
 * 5xx, every BadRequestException about a member names it (errorAttribute), no password echoed.
 */

const RUNS_PER_ROUTE = 1_000;

const user = { username: "admin", password: PLANTED_PASSWORD, consoleAccess: true };
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  CreateBroker: {
    brokerName: "prop-broker",
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    autoMinorVersionUpgrade: true,
    deploymentMode: "SINGLE_INSTANCE",
    hostInstanceType: "mq.t3.micro",
    publiclyAccessible: false,
    users: [user],
    maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "03:00", timeZone: "Europe/Paris" },
  },
  UpdateBroker: {
    engineVersion: "5.19",
    maintenanceWindowStartTime: { dayOfWeek: "MONDAY", timeOfDay: "01:00", timeZone: "UTC+05:30" },
  },
  CreateUser: { password: PLANTED_PASSWORD, consoleAccess: false, groups: ["apps"] },
  UpdateUser: { password: PLANTED_PASSWORD, groups: ["apps"] },
  CreateConfiguration: { engineType: "ACTIVEMQ", engineVersion: "5.18", name: "prop-config" },
  UpdateConfiguration: { data: Buffer.from("<broker><destinations/></broker>").toString("base64") },
  CreateTags: { tags: { team: "orders" } },
};

let dataDir: string;
let service: MqService;
const known: Record<string, string> = {};

async function call(request: Omit<AwsRequest, "region" | "accessKeyId" | "requestId">) {
  try {
    const response = await service.handle({
      ...request,
      region: "us-east-1",
      accessKeyId: "test",
      requestId: "r",
    });
    return { status: response.status, text: String(response.body ?? ""), attribute: undefined };
  } catch (error) {
    if (error instanceof AwsServiceError) {
      return { status: error.status, text: `${error.code} ${error.message}`, attribute: error.attribute };
    }
    return {
      status: 500,
      text: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      attribute: undefined,
    };
  }
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mqops-prop-"));
  service = createMqService({ dataDir, runtime: new FakeRuntime() });
  await service.resume();
  const base = { query: new URLSearchParams(), headers: {} };
  const broker = await call({
    ...base,
    method: "POST",
    path: "/v1/brokers",
    body: json({ ...VALID_BODIES.CreateBroker, brokerName: "known" }),
  });
  known.brokerId = (JSON.parse(broker.text) as { brokerId: string }).brokerId;
  const configuration = await call({
    ...base,
    method: "POST",
    path: "/v1/configurations",
    body: json(VALID_BODIES.CreateConfiguration),
  });
  known.configurationId = (JSON.parse(configuration.text) as { id: string }).id;
  known.username = "admin";
  known.configurationRevision = "1";
  known.resourceArn = `arn:aws:mq:us-east-1:000000000000:configuration:${known.configurationId}`;
  await service.settled();
});

afterAll(async () => {
  await service.settled();
  await service.close?.();
  rmSync(dataDir, { recursive: true, force: true });
});

function requestFor(pattern: string, operation: string) {
  const labels = [...pattern.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
  const label = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(known[name] ?? "x") },
      { weight: 3, arbitrary: nastyString },
    );
  const valid = VALID_BODIES[operation];
  return fc.record({
    labels: fc.tuple(...labels.map(label)),
    query: fc.dictionary(fc.constantFrom("maxResults", "nextToken", "tagKeys", "x"), nastyString, {
      maxKeys: 3,
    }),
    contentType,
    body: fc.oneof(
      { weight: 1, arbitrary: fc.constant("") },
      { weight: 3, arbitrary: badBodyText },
      {
        weight: valid === undefined ? 0 : 6,
        arbitrary: valid === undefined ? badBodyText : mutatedBody(valid),
      },
    ),
  });
}

const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
};

describe.each(ROUTES.map((route) => [`${route.operation} (${route.method} ${route.pattern})`, route]))(
  "%s with generated bad requests",
  (_name, route) => {
    it(`never answers 5xx, names the member of a BadRequestException, echoes no password (${RUNS_PER_ROUTE} runs)`, async () => {
      let index = 0;
      await fc.assert(
        fc.asyncProperty(requestFor(route.pattern, route.operation), async (request) => {
          index = 0;
          const requestPath = route.pattern.replace(/\{\w+\}/g, () => encode(request.labels[index++] ?? ""));
          const result = await call({
            method: route.method,
            path: requestPath,
            query: new URLSearchParams(request.query),
            headers: { "content-type": request.contentType },
            body: Buffer.from(request.body),
          });
          expect(result.status, result.text.slice(0, 300)).toBeLessThan(500);
          expect(result.text).not.toContain(PLANTED_PASSWORD);
          let isObject = false;
          try {
            const parsed: unknown = request.body === "" ? {} : JSON.parse(request.body);
            isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
          } catch {
            isObject = false;
          }
          // A body that is not a JSON object has no member to name; every other 400 names one.
          if (result.status === 400 && isObject && result.text.startsWith("BadRequestException")) {
            expect(
              typeof result.attribute === "string" && result.attribute !== "",
              result.text.slice(0, 200),
            ).toBe(true);
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }, 120_000);
  },
);
