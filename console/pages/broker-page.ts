import type { QueueAutoscaling } from "../data/autoscaling.js";
import type { BrokerView } from "../data/brokers.js";
import { isManaged, maintenanceWindow } from "../data/brokers.js";
import type { QueueSeries } from "../data/queue-metrics.js";
import { formatTime } from "../format.js";
import { type Html, html } from "../html.js";
import { badge } from "./layout.js";

function copyable(label: string, value: string): Html {
  return html`<div class="copy">
<span class="copy__label">${label}</span>
<code class="copy__value">${value}</code>
<button type="button" class="copy__button" data-copy="${value}" aria-label="Copy ${label}">Copy</button>
</div>`;
}

function pendingChanges(broker: BrokerView): Html {
  const pending = broker.pendingChanges;
  const items: Html[] = [];
  if (pending.engineVersion !== undefined)
    items.push(html`<li>Engine version → ${pending.engineVersion}</li>`);
  if (pending.hostInstanceType !== undefined) {
    items.push(html`<li>Instance type → ${pending.hostInstanceType}</li>`);
  }
  if (pending.configuration !== undefined) {
    items.push(
      html`<li>Configuration → ${pending.configuration.Id} revision ${pending.configuration.Revision}</li>`,
    );
  }
  if (pending.authenticationStrategy !== undefined) {
    items.push(html`<li>Authentication → ${pending.authenticationStrategy}</li>`);
  }
  for (const user of pending.users) items.push(html`<li>User ${user.username}: ${user.change}</li>`);
  return items.length === 0
    ? html`<p>None: the broker runs what it was last rebooted with.</p>`
    : html`<ul>${items}</ul><p class="sub">Applied at the next reboot or maintenance window.</p>`;
}

function queuesSection(queues: QueueSeries[]): Html {
  if (queues.length === 0) {
    return html`<p class="empty">No queue metrics in CloudWatch (AWS/AmazonMQ) for this broker in the last hour.</p>`;
  }
  return html`<div class="charts">${queues.map(
    (q) => html`<figure class="chart">
<figcaption>${q.queue}</figcaption>
<div class="chart__plot" data-chart="${JSON.stringify(q)}" role="img" aria-label="${q.queue}: EnqueueCount, DispatchCount and QueueSize over the last hour"></div>
</figure>`,
  )}</div>`;
}

function autoscalingSection(entries: QueueAutoscaling[]): Html {
  if (entries.length === 0) return html``;
  return html`<section aria-labelledby="autoscaling-heading"><h2 id="autoscaling-heading">Autoscaling</h2>
${entries.map(
  (entry) => html`<div class="autoscaling" data-autoscaling="${entry.queue}">
<h3>${entry.queue}</h3>
<p>Consumers: <strong>${entry.fleet.running ?? "?"}</strong> running of <strong>${entry.fleet.desired ?? "?"}</strong> desired (${entry.fleet.status ?? ""}); bounds ${String(entry.settings.minConsumers ?? "?")}–${String(entry.settings.maxConsumers ?? "?")}</p>
<ul class="alarms">${entry.alarms.map((alarm) => html`<li>${alarm.kind}: ${badge(alarm.state)} <span class="sub">${alarm.stateReason ?? ""}</span></li>`)}</ul>
${
  entry.decisions.length === 0
    ? html`<p class="empty">No decisions yet.</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-label="Decisions for ${entry.queue}"><table class="list"><thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Desired</th><th scope="col">Reason</th></tr></thead>
<tbody>${entry.decisions.map((d) => html`<tr><td>${formatTime(d.at) || d.at}</td><td>${d.action}</td><td>${d.desired}</td><td>${d.reason}</td></tr>`)}</tbody></table></div>`
}
</div>`,
)}</section>`;
}

/** One broker: state, instances and endpoints, failover URLs to copy, configuration, pending changes, queues. */
export function brokerBody(
  broker: BrokerView,
  queues: QueueSeries[],
  autoscaling: QueueAutoscaling[] = [],
): Html {
  const instances = broker.instances.map(
    (
      instance,
      index,
    ) => html`<li><strong>Instance ${index + 1}</strong>${instance.ipAddress === undefined ? "" : html` <span class="mono">${instance.ipAddress}</span>`}
<ul class="endpoints">${instance.endpoints.map((endpoint) => html`<li class="mono">${endpoint}</li>`)}</ul></li>`,
  );
  const urls = Object.entries(broker.urls ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  return html`<p class="crumbs"><a href="/brokers">Brokers</a> /</p>
<h1>${broker.brokerName} ${badge(broker.brokerState ?? "")}</h1>
<dl class="facts">
<div><dt>Broker ID</dt><dd class="mono">${broker.brokerId}</dd></div>
<div><dt>Mode</dt><dd>${broker.deploymentMode}</dd></div>
<div><dt>Engine</dt><dd>${broker.engineType} ${broker.engineVersion}</dd></div>
<div><dt>Instance type</dt><dd>${broker.hostInstanceType}</dd></div>
<div><dt>Maintenance window</dt><dd>${maintenanceWindow(broker)}</dd></div>
<div><dt>Managed by mqops</dt><dd>${isManaged(broker) ? "yes" : "no"}</dd></div>
<div><dt>Configuration</dt><dd class="mono">${broker.configuration === undefined ? "" : `${broker.configuration.Id} revision ${broker.configuration.Revision}`}</dd></div>
</dl>
<section aria-labelledby="urls-heading"><h2 id="urls-heading">Failover URLs</h2>
${urls.length === 0 ? html`<p class="empty">No endpoints yet.</p>` : urls.map(([protocol, url]) => copyable(protocol, url))}
</section>
<section aria-labelledby="instances-heading"><h2 id="instances-heading">Instances and endpoints</h2>
<ul class="instances">${instances}</ul></section>
<section aria-labelledby="pending-heading"><h2 id="pending-heading">Pending changes</h2>${pendingChanges(broker)}</section>
<section aria-labelledby="queues-heading"><h2 id="queues-heading">Queues</h2>${queuesSection(queues)}</section>
${autoscalingSection(autoscaling)}`;
}
