/** The HTTP API's routes and their handlers: read by infra/ (API Gateway) and local/ (the local gateway). */
export const API_ROUTES = [
  { route: "POST /brokers", handler: "functions/api/create-broker.handler" },
  { route: "GET /brokers", handler: "functions/api/list-brokers.handler" },
  { route: "GET /brokers/{id}", handler: "functions/api/get-broker.handler" },
  { route: "DELETE /brokers/{id}", handler: "functions/api/delete-broker.handler" },
  {
    route: "PUT /brokers/{id}/queues/{queue}/autoscaling",
    handler: "functions/api/put-autoscaling.handler",
  },
  {
    route: "GET /brokers/{id}/queues/{queue}/autoscaling",
    handler: "functions/api/get-autoscaling.handler",
  },
  {
    route: "DELETE /brokers/{id}/queues/{queue}/autoscaling",
    handler: "functions/api/delete-autoscaling.handler",
  },
  {
    route: "POST /brokers/{id}/failover-checks",
    handler: "functions/api/start-failover-check.handler",
  },
  { route: "PUT /brokers/{id}/promotion", handler: "functions/api/put-promotion.handler" },
  { route: "POST /brokers/{id}/promotion", handler: "functions/api/decide-promotion.handler" },
  { route: "GET /executions", handler: "functions/api/list-executions.handler" },
  { route: "GET /executions/{id}", handler: "functions/api/get-execution.handler" },
  { route: "POST /maintenance", handler: "functions/api/start-maintenance.handler" },
  { route: "GET /maintenance/{id}", handler: "functions/api/get-maintenance.handler" },
] as const;

export type ApiRoute = (typeof API_ROUTES)[number];
