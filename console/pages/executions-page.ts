import { EXECUTION_STATUSES, type ExecutionFilter, type ExecutionRow } from "../data/executions.js";
import { duration, formatTime } from "../format.js";
import { type Html, html } from "../html.js";
import { badge } from "./layout.js";

export const executionHref = (arn: string) => `/executions/${encodeURIComponent(arn)}`;

function select(name: string, label: string, options: string[], selected: string | undefined): Html {
  return html`<label>${label}
<select name="${name}">
<option value=""${selected === undefined ? html` selected` : ""}>All</option>
${options.map((option) => html`<option value="${option}"${option === selected ? html` selected` : ""}>${option}</option>`)}
</select></label>`;
}

/** Executions of every workflow, newest first, with a filter by workflow and status (a plain GET form). */
export function executionsBody(
  rows: ExecutionRow[],
  workflows: string[],
  filter: ExecutionFilter,
  now: Date,
): Html {
  const body = rows.map(
    (row) => html`<tr>
<th scope="row"><a href="${executionHref(row.arn)}">${row.name}</a></th>
<td>${row.workflow}</td>
<td>${badge(row.status)}</td>
<td>${formatTime(row.start)}</td>
<td>${duration(row.start, row.stop, now)}</td>
</tr>`,
  );
  return html`<h1>Executions</h1>
<form class="filter" method="get" action="/executions">
${select("workflow", "Workflow", workflows, filter.workflow)}
${select("status", "Status", EXECUTION_STATUSES, filter.status)}
<button type="submit">Filter</button>
</form>
${
  rows.length === 0
    ? html`<p class="empty">No executions match.</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-label="Executions table"><table class="list" id="executions">
<thead><tr><th scope="col">Execution</th><th scope="col">Workflow</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th></tr></thead>
<tbody>${body}</tbody>
</table></div>`
}`;
}
