import type { ExecutionDetail } from "../data/executions.js";
import { duration, formatTime } from "../format.js";
import type { StateMachineGraph } from "../graph/asl-graph.js";
import type { ExecutionPath, Step } from "../graph/execution-path.js";
import { graphSvg } from "../graph/graph-svg.js";
import { type Html, html, raw } from "../html.js";
import { maskedText } from "../mask.js";
import { badge } from "./layout.js";

function failureBox(path: ExecutionPath): Html {
  if (path.failed.size === 0) return html``;
  return html`<section class="failure" aria-labelledby="failure-heading">
<h2 id="failure-heading">Failed</h2>
${[...path.failed.entries()].map(
  ([state, failure]) => html`<div class="failure__state" data-failed-state="${state}">
<p><strong>${state}</strong>: <code class="failure__error">${failure.error}</code></p>
<pre class="failure__cause">${maskedText(failure.cause)}</pre></div>`,
)}
</section>`;
}

function stepRow(step: Step, index: number, now: Date): Html {
  const status = step.failure !== undefined ? "FAILED" : step.exited === undefined ? "RUNNING" : "SUCCEEDED";
  return html`<details class="step"${step.failure === undefined ? "" : html` open`} data-step="${step.name}">
<summary><span class="step__n">${index + 1}</span> <strong>${step.name}</strong> <span class="sub">${step.type}</span> ${badge(status)} <span class="sub">${duration(step.entered, step.exited, now)}</span></summary>
<div class="io">
<div><h3>Input</h3><pre>${maskedText(step.input)}</pre></div>
<div><h3>Output</h3><pre>${step.failure === undefined ? maskedText(step.output) : `${step.failure.error}\n${maskedText(step.failure.cause)}`}</pre></div>
</div>
</details>`;
}

function historyTable(detail: ExecutionDetail): Html {
  return html`<div class="scroll" tabindex="0" role="region" aria-label="History table"><table class="list history">
<thead><tr><th scope="col">ID</th><th scope="col">Type</th><th scope="col">Step</th><th scope="col">Time</th></tr></thead>
<tbody>${detail.history.map(
    (event) =>
      html`<tr><td>${event.id}</td><td>${event.type}</td><td>${event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? ""}</td><td>${formatTime(event.timestamp)}</td></tr>`,
  )}</tbody></table></div>`;
}

/**
 * One execution: the state machine drawn from its definition with the path taken and the failed states
 * marked, the failure's error and cause, each step's input and output (passwords and secrets masked) and
 * the history.
 */
export function executionBody(
  detail: ExecutionDetail,
  graph: StateMachineGraph,
  path: ExecutionPath,
  now: Date,
): Html {
  const { execution } = detail;
  return html`<p class="crumbs"><a href="/executions">Executions</a> / ${detail.workflow}</p>
<h1>${execution.name} ${badge(execution.status ?? "")}</h1>
<dl class="facts">
<div><dt>Workflow</dt><dd>${detail.workflow}</dd></div>
<div><dt>Started</dt><dd>${formatTime(execution.startDate)}</dd></div>
<div><dt>Duration</dt><dd>${duration(execution.startDate, execution.stopDate, now)}</dd></div>
<div><dt>ARN</dt><dd class="mono">${execution.executionArn}</dd></div>
</dl>
${failureBox(path)}
<section aria-labelledby="graph-heading"><h2 id="graph-heading">Graph</h2>
<p class="legend"><span class="key key--visited">taken</span> <span class="key key--current">running</span> <span class="key key--failed">failed</span> <span class="key">not run</span></p>
<div class="graph-wrap" tabindex="0" role="region" aria-label="State machine graph">${raw(graphSvg(graph, path, `State machine ${detail.workflow}: ${path.visited.length} states run, ${path.failed.size} failed`))}</div>
</section>
<section aria-labelledby="steps-heading"><h2 id="steps-heading">Steps</h2>
${path.steps.map((step, index) => stepRow(step, index, now))}
</section>
<section aria-labelledby="history-heading"><h2 id="history-heading">History</h2>${historyTable(detail)}</section>`;
}
