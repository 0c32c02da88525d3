import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { z } from "zod/mini";
import { toHttpErrorResponse } from "./http.js";
import { logger, metrics, tracer } from "./powertools.js";

/** Every event that flows through a workflow carries the correlation id of the request that started it. */
interface Correlated {
  correlationId?: string;
}

const correlateWorkflowStep = (): MiddlewareObj<Correlated> => ({
  before: (request) => {
    const id = request.event?.correlationId;
    if (typeof id === "string") logger.setCorrelationId(id);
  },
});

const correlateHttpRequest = (): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: (request) => {
    const id = request.event.headers?.["x-correlation-id"] ?? request.event.requestContext?.requestId;
    if (id !== undefined) logger.setCorrelationId(id);
  },
});

/** Counts each step's outcome (`StepSucceeded` / `StepFailed`, dimension `step`), so every call publishes. */
const countStepOutcome = (): MiddlewareObj => ({
  before: (request) => {
    metrics.addDimension("step", request.context.functionName);
  },
  after: () => {
    metrics.addMetric("StepSucceeded", MetricUnit.Count, 1);
  },
  onError: () => {
    metrics.addMetric("StepFailed", MetricUnit.Count, 1);
  },
});

/** Counts responses by status class (`Http2xx`, `Http4xx`, `Http5xx`). */
const countHttpStatus = (): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  after: (request) => {
    metrics.addMetric(`Http${String(request.response?.statusCode ?? 500).charAt(0)}xx`, MetricUnit.Count, 1);
  },
});

/**
 * The middy stack of a workflow step: Tracer, Logger (context, correlation id, keys reset per call),
 * EMF metrics, then the step's input parsed with its zod schema (Powertools Parser). Errors are
 * re-thrown unchanged so Step Functions can match their names.
 */
export function workflowStep<S extends z.ZodMiniType, R>(
  schema: S,
  step: (input: z.infer<S>, context: Context) => Promise<R>,
) {
  return middy<z.infer<S>, R>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(countStepOutcome())
    .use(correlateWorkflowStep())
    .use(parser({ schema }))
    .handler(step);
}

/**
 * The middy stack of an HTTP API handler (API Gateway v2 events). Known errors become their HTTP
 * status with a JSON body; anything unexpected becomes a 500 that reveals nothing internal.
 */
export function httpRoute(
  route: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(countHttpStatus())
    .use(correlateHttpRequest())
    .use({
      onError: (request) => {
        request.response = toHttpErrorResponse(request.error, logger);
        metrics.addMetric(`Http${String(request.response.statusCode).charAt(0)}xx`, MetricUnit.Count, 1);
      },
    })
    .handler(route);
}
