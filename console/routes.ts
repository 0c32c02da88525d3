import { queuesAutoscaling } from "./data/autoscaling.js";
import { BROKER_ID, getBroker, listBrokers } from "./data/brokers.js";
import {
  checkExecutionArn,
  getExecution,
  listExecutions,
  listWorkflows,
  parseExecutionFilter,
} from "./data/executions.js";
import { queueMetrics } from "./data/queue-metrics.js";
import { badRequest, notFound } from "./errors.js";
import { stateMachineGraph } from "./graph/asl-graph.js";
import { executionPath } from "./graph/execution-path.js";
import type { Html } from "./html.js";
import { brokerBody } from "./pages/broker-page.js";
import { brokersBody } from "./pages/brokers-page.js";
import { executionBody } from "./pages/execution-page.js";
import { executionsBody } from "./pages/executions-page.js";
import type { PageOptions } from "./pages/layout.js";
import type { ConsoleSources } from "./sources.js";

/** A page's content and how it is framed; the server adds the shell, the source and the CSRF token. */
export type PageContent = Pick<PageOptions, "title" | "section" | "refreshSeconds"> & { body: Html };

const REFRESH_SECONDS = 5;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest("the URL is not well encoded");
  }
}

/**
 * The console's pages by path: `/brokers`, `/brokers/{id}`, `/executions`, `/executions/{arn}`. Anything
 * else is a 404; a malformed ID, ARN or filter is a 400.
 */
export async function renderPage(
  sources: ConsoleSources,
  pathname: string,
  query: URLSearchParams,
  now: Date,
): Promise<PageContent> {
  const segments = pathname.split("/").slice(1);
  const [section, id, ...rest] = segments;
  if (rest.length > 0 || id === "") throw notFound();
  if (section === "brokers" && id === undefined) {
    return {
      title: "Brokers",
      section: "brokers",
      refreshSeconds: REFRESH_SECONDS,
      body: brokersBody(await listBrokers(sources)),
    };
  }
  if (section === "brokers" && id !== undefined) {
    const brokerId = decodeSegment(id);
    if (!BROKER_ID.test(brokerId)) throw badRequest("not an Amazon MQ broker ID (b-…)");
    const broker = await getBroker(sources, brokerId);
    const queues = await queueMetrics(sources, broker.brokerName ?? "", now);
    const autoscaling = await queuesAutoscaling(
      sources,
      brokerId,
      queues.map((q) => q.queue),
    );
    return {
      title: broker.brokerName ?? brokerId,
      section: "brokers",
      refreshSeconds: REFRESH_SECONDS,
      body: brokerBody(broker, queues, autoscaling),
    };
  }
  if (section === "executions" && id === undefined) {
    const workflows = await listWorkflows(sources);
    const filter = parseExecutionFilter(
      query,
      workflows.map((w) => w.workflow),
    );
    const rows = await listExecutions(sources, workflows, filter);
    return {
      title: "Executions",
      section: "executions",
      refreshSeconds: REFRESH_SECONDS,
      body: executionsBody(
        rows,
        workflows.map((w) => w.workflow),
        filter,
        now,
      ),
    };
  }
  if (section === "executions" && id !== undefined) {
    const detail = await getExecution(sources, checkExecutionArn(decodeSegment(id)));
    const graph = stateMachineGraph(detail.definition);
    const path = executionPath(graph, detail.history);
    const running = detail.execution.status === "RUNNING";
    return {
      title: detail.execution.name ?? "Execution",
      section: "executions",
      // An ended execution no longer changes: only a running one is refreshed.
      refreshSeconds: running ? 2 : undefined,
      body: executionBody(detail, graph, path, now),
    };
  }
  throw notFound();
}
