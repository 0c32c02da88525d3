import { z } from "zod";
import type { BrokerRuntime } from "../brokers/types.js";
import { AwsServiceError, badRequest, notFound } from "../server/aws-error.js";
import type { AwsRequest, AwsResponse, LocalService } from "../server/service.js";
import { checkFaultRules } from "./plan.js";
import type { FaultInjector } from "./service.js";

/**
 * The signing name of the local cloud's chaos control: not an AWS service, so no AWS SDK client
 * ever reaches it by accident, and it is signed with the local credentials like every other request
 * (the endpoint listens on loopback only).
 */
export const CHAOS_SIGNING_NAME = "mqops-chaos";

export interface ChaosControlOptions {
  faults: FaultInjector;
  runtime: BrokerRuntime;
  /** Stops the local cloud, as Ctrl-C does (called after the answer is written). */
  stopCloud(): void;
}

const killSchema = z.strictObject({
  /** 1-based, as Amazon MQ's `-1`/`-2` suffixes; every instance when absent. */
  instance: z.number().int().min(1).max(3).optional(),
  /** Leave the instance dead: the supervisor's restarts are used up, so it gives up at once. */
  exhaustRestarts: z.boolean().optional(),
});

function jsonBody(request: AwsRequest): unknown {
  if (request.body.length === 0) return {};
  try {
    return JSON.parse(request.body.toString("utf8"));
  } catch {
    throw badRequest("The body is not valid JSON.");
  }
}

const ok = (body: unknown, status = 200): AwsResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/**
 * The chaos control route on the local cloud's endpoint (`mqops chaos` drives it): the fault rules
 * (list, replace, add, clear), killing a broker instance's JVM, and stopping the cloud.
 *
 * GET /faults · PUT /faults `{"rules":[…]}` · POST /faults `{rule}` · DELETE /faults ·
 * POST /brokers/{brokerId}/kill `{"instance"?: 1, "exhaustRestarts"?: true}` · POST /stop
 */
export function createChaosControl(options: ChaosControlOptions): LocalService {
  const { faults, runtime } = options;
  const state = () => ({ rules: faults.list(), applied: faults.applied.length });
  return {
    signingName: CHAOS_SIGNING_NAME,
    protocol: "rest-json",
    async handle(request) {
      const route = `${request.method} ${request.path}`;
      if (route === "GET /faults") return ok(state());
      if (route === "DELETE /faults") {
        faults.clear();
        return ok(state());
      }
      if (route === "PUT /faults") {
        const body = jsonBody(request);
        if (body === null || typeof body !== "object" || !("rules" in body)) {
          throw badRequest('The body is {"rules": [ … ]}.');
        }
        faults.replace(rules(body.rules));
        return ok(state());
      }
      if (route === "POST /faults") {
        for (const rule of rules([jsonBody(request)])) faults.add(rule);
        return ok(state(), 201);
      }
      if (route === "POST /stop") {
        setImmediate(() => options.stopCloud());
        return ok({ stopping: true }, 202);
      }
      const kill = /^POST \/brokers\/([^/]+)\/kill$/.exec(route);
      if (kill !== null) {
        let brokerId: string;
        try {
          brokerId = decodeURIComponent(kill[1] ?? "");
        } catch {
          throw badRequest("The broker id is not valid percent-encoding.");
        }
        const parsed = killSchema.safeParse(jsonBody(request));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw badRequest(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "is invalid"}`);
        }
        if (runtime.kill === undefined) {
          throw badRequest("This local cloud's broker runtime cannot kill instances.");
        }
        const killed = await runtime.kill(brokerId, parsed.data);
        if (killed.length === 0) throw notFound(`Broker ${brokerId} has no running instance to kill.`);
        return ok({ brokerId, killed });
      }
      throw new AwsServiceError("UnknownOperationException", `No chaos route ${route}`, 404);
    },
  };
}

function rules(value: unknown) {
  try {
    return checkFaultRules(value, "rules");
  } catch (error) {
    throw badRequest((error as Error).message);
  }
}
