import { xmlEscape } from "../../local/server/xml-escape.js";
import type { DemoSample } from "./summary.js";

const WIDTH = 960;
const HEIGHT = 420;
const MARGIN = { left: 56, right: 56, top: 40, bottom: 44 };

/**
 * The run as an SVG line chart: arrivals per period and backlog on the left axis, desired and running
 * consumers on the right, a marker at each scale action (its reason in the marker's tooltip). Pure.
 */
export function renderChart(samples: readonly DemoSample[], title: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const start = samples[0]?.at ?? 0;
  const span = Math.max(1, (samples.at(-1)?.at ?? start) - start);
  const messagesMax = Math.max(1, ...samples.flatMap((s) => [s.arrivals, s.backlog]));
  const consumersMax = Math.max(1, ...samples.flatMap((s) => [s.desired, s.running]));
  const x = (at: number) => MARGIN.left + ((at - start) / span) * plotWidth;
  const yMessages = (value: number) => MARGIN.top + plotHeight - (value / messagesMax) * plotHeight;
  const yConsumers = (value: number) => MARGIN.top + plotHeight - (value / consumersMax) * plotHeight;
  const line = (pick: (s: DemoSample) => number, y: (v: number) => number, colour: string, step: boolean) => {
    const points = samples.flatMap((sample, index) => {
      const here = `${x(sample.at).toFixed(1)},${y(pick(sample)).toFixed(1)}`;
      const previous = samples[index - 1];
      return step && previous !== undefined
        ? [`${x(sample.at).toFixed(1)},${y(pick(previous)).toFixed(1)}`, here]
        : [here];
    });
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(" ")}"/>`;
  };
  const markers = samples
    .filter((sample) => sample.decision !== undefined)
    .map((sample) => {
      const decision = sample.decision;
      const label =
        decision === undefined
          ? ""
          : `${decision.action} ${decision.from} → ${decision.to}: ${decision.reason}`;
      return `<circle cx="${x(sample.at).toFixed(1)}" cy="${yConsumers(sample.desired).toFixed(1)}" r="5" fill="#d62728"><title>${xmlEscape(label)}</title></circle>`;
    });
  const legend = [
    ["arrivals / period", "#1f77b4"],
    ["backlog", "#ff7f0e"],
    ["desired consumers", "#2ca02c"],
    ["running consumers", "#9467bd"],
  ]
    .map(
      ([label, colour], index) =>
        `<rect x="${MARGIN.left + index * 180}" y="12" width="12" height="12" fill="${colour}"/><text x="${MARGIN.left + index * 180 + 18}" y="22">${label}</text>`,
    )
    .join("");
  const minutes = Math.floor(span / 60_000);
  const ticks = Array.from({ length: minutes + 1 }, (_, minute) => {
    const at = start + minute * 60_000;
    return `<text x="${x(at).toFixed(1)}" y="${HEIGHT - 20}" text-anchor="middle">${minute} min</text>`;
  }).join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#ccc"/>`,
    `<text x="${MARGIN.left - 8}" y="${MARGIN.top + 4}" text-anchor="end">${messagesMax}</text>`,
    `<text x="${WIDTH - MARGIN.right + 8}" y="${MARGIN.top + 4}">${consumersMax}</text>`,
    `<text x="${MARGIN.left - 8}" y="${MARGIN.top + plotHeight}" text-anchor="end">0</text>`,
    legend,
    ticks,
    line((s) => s.arrivals, yMessages, "#1f77b4", false),
    line((s) => s.backlog, yMessages, "#ff7f0e", false),
    line((s) => s.desired, yConsumers, "#2ca02c", true),
    line((s) => s.running, yConsumers, "#9467bd", true),
    ...markers,
    "</svg>",
  ].join("\n");
}
