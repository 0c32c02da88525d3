import type { BrokerRow } from "../data/brokers.js";
import { type Html, html } from "../html.js";
import { badge } from "./layout.js";

/** The broker list: one row per broker, the columns of the AWS console plus pending version and managed. */
export function brokersBody(brokers: BrokerRow[]): Html {
  const rows = brokers.map(
    (b) => html`<tr>
<th scope="row"><a href="/brokers/${encodeURIComponent(b.id)}">${b.name}</a><div class="sub mono">${b.id}</div></th>
<td>${badge(b.state)}</td>
<td>${b.mode}</td>
<td>${b.engineVersion}${b.pendingEngineVersion === undefined ? "" : html` <span class="pending">→ ${b.pendingEngineVersion} pending</span>`}</td>
<td>${b.maintenanceWindow}</td>
<td>${b.managed ? "yes" : "no"}</td>
</tr>`,
  );
  return html`<h1>Brokers</h1>
${
  brokers.length === 0
    ? html`<p class="empty">No brokers yet. Create one with <code>npx mqops brokers create</code>.</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-label="Brokers table"><table class="list" id="brokers">
<thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Mode</th><th scope="col">Engine version</th><th scope="col">Maintenance window</th><th scope="col">Managed</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
}`;
}
