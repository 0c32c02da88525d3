import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { API_ROUTES } from "../../functions/api/routes.js";
import { ROUTES } from "../../local/mq/router.js";
import { NodeSha256 } from "../../local/server/node-sha256.js";
import {
  badBodyText,
  contentType,
  mutatedBody,
  nastyString,
  PLANTED_PASSWORD,
} from "../../test/unit/hardening/bad-requests.js";

/**
 * Malformed requests over HTTP against a running local cloud: the HTTP API (execute-api) and the
 * local Amazon MQ API (mq), every route, bodies and path labels from the property suites'
 * generators, a share of them with a wrong content type or a broken signature. Counts answers by
 * status; a 5xx or an echoed password is what the bench looks for.
 */

export interface MalformedTarget {
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Ids that exist, so some requests get past "not found" into validation. */
  known: Record<string, string>;
}

export interface MalformedTally {
  tried: number;
  byStatus: Record<string, number>;
  fiveHundreds: { request: string; status: number; body: string }[];
  passwordEchoes: number;
}

interface Planned {
  service: "execute-api" | "mq";
  method: string;
  path: string;
  body: string;
  contentType: string;
  brokenSignature: boolean;
}

const API_VALID: Record<string, Record<string, unknown>> = {
  "POST /brokers": {
    brokerName: "bench-broker",
    engineType: "ACTIVEMQ",
    engineVersion: "5.18",
    deploymentMode: "SINGLE_INSTANCE",
    hostInstanceType: "mq.m5.large",
    users: [{ username: "admin", password: PLANTED_PASSWORD }],
    maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "03:00", timeZone: "Europe/Paris" },
  },
  "PUT /brokers/{id}/queues/{queue}/autoscaling": { ecs: { cluster: "consumers", service: "orders" } },
  "POST /maintenance": { brokerIds: ["b-1234"], dryRun: true },
};

const MQ_VALID: Record<string, Record<string, unknown>> = {
  CreateBroker: API_VALID["POST /brokers"] ?? {},
  UpdateBroker: { engineVersion: "5.19" },
  CreateUser: { password: PLANTED_PASSWORD, consoleAccess: false, groups: ["apps"] },
  UpdateUser: { password: PLANTED_PASSWORD, groups: ["apps"] },
  CreateConfiguration: { engineType: "ACTIVEMQ", engineVersion: "5.18", name: "bench-config" },
  UpdateConfiguration: { data: Buffer.from("<broker><destinations/></broker>").toString("base64") },
  CreateTags: { tags: { team: "orders" } },
};

/** A path label: a known id, or something nasty, percent-encoded (lone surrogates escaped). */
function label(known: string | undefined) {
  return fc
    .oneof({ weight: 2, arbitrary: fc.constant(known ?? "x") }, { weight: 3, arbitrary: nastyString })
    .map((value) => {
      try {
        return encodeURIComponent(value);
      } catch {
        return escape(value);
      }
    });
}

/** The HTTP API's `{id}` is a broker id; the other labels are named as `known` names them. */
const LABEL_KEYS: Record<string, string> = { id: "brokerId" };

function plannedFor(
  service: Planned["service"],
  method: string,
  pattern: string,
  valid: Record<string, unknown> | undefined,
  known: Record<string, string>,
): fc.Arbitrary<Planned> {
  const labels = [...pattern.matchAll(/\{([\w-]+)\}/g)].map((match) => match[1] ?? "");
  const body = valid === undefined ? badBodyText : fc.oneof(mutatedBody(valid), badBodyText);
  return fc
    .record({
      labels: fc.tuple(...labels.map((name) => label(known[LABEL_KEYS[name] ?? name]))),
      body,
      contentType: fc.oneof({ weight: 4, arbitrary: fc.constant("application/json") }, contentType),
      brokenSignature: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    })
    .map((generated) => {
      let index = 0;
      const path = pattern.replace(/\{[\w-]+\}/g, () => generated.labels[index++] ?? "x");
      return {
        service,
        method,
        path,
        body: method === "GET" || method === "DELETE" ? "" : generated.body,
        contentType: generated.contentType,
        brokenSignature: generated.brokenSignature,
      };
    });
}

/** `count` requests spread evenly over every route of both APIs, generated up front. */
export function planMalformed(known: Record<string, string>, count: number): Planned[] {
  const routes = [
    ...API_ROUTES.map((route) => {
      const [method = "GET", pattern = "/"] = route.route.split(" ");
      return plannedFor("execute-api", method, pattern, API_VALID[route.route], known);
    }),
    ...ROUTES.map((route) => plannedFor("mq", route.method, route.pattern, MQ_VALID[route.operation], known)),
  ];
  const perRoute = Math.ceil(count / routes.length);
  return routes.flatMap((arbitrary) => fc.sample(arbitrary, perRoute));
}

async function send(target: MalformedTarget, planned: Planned) {
  const url = new URL(`${target.url}${planned.path}`);
  const headers: Record<string, string> = { host: url.host };
  if (planned.contentType !== "") headers["content-type"] = planned.contentType;
  const signer = new SignatureV4({
    credentials: planned.brokenSignature
      ? { ...target.credentials, secretAccessKey: `${target.credentials.secretAccessKey}x` }
      : target.credentials,
    region: target.region,
    service: planned.service,
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: planned.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers,
    body: planned.body === "" ? undefined : planned.body,
  });
  const { host: _host, ...sendHeaders } = signed.headers as Record<string, string>;
  const response = await fetch(url, {
    method: planned.method,
    headers: sendHeaders,
    body: planned.body === "" ? undefined : planned.body,
  });
  return { status: response.status, body: await response.text() };
}

/** Sends every planned request (`concurrency` at a time) and tallies the answers. */
export async function sendMalformed(
  target: MalformedTarget,
  plan: Planned[],
  concurrency = 8,
): Promise<MalformedTally> {
  const tally: MalformedTally = { tried: 0, byStatus: {}, fiveHundreds: [], passwordEchoes: 0 };
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const planned = plan[next++];
      if (planned === undefined) break;
      let answer: { status: number; body: string };
      try {
        answer = await send(target, planned);
      } catch (error) {
        // No answer at all counts with the 5xx: the caller got nothing usable.
        answer = { status: 599, body: `no answer: ${(error as Error).message}` };
      }
      tally.tried += 1;
      const key = `${planned.service} ${answer.status}`;
      tally.byStatus[key] = (tally.byStatus[key] ?? 0) + 1;
      if (answer.body.includes(PLANTED_PASSWORD)) tally.passwordEchoes += 1;
      if (answer.status >= 500) {
        tally.fiveHundreds.push({
          request: `${planned.service} ${planned.method} ${planned.path.slice(0, 120)} (${planned.body.length} bytes)`,
          status: answer.status,
          body: answer.body.slice(0, 300),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tally;
}
