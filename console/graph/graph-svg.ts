import dagre from "@dagrejs/dagre";
import { escapeHtml } from "../html.js";
import { END, START, type StateMachineGraph } from "./asl-graph.js";
import { type ExecutionPath, edgeKey } from "./execution-path.js";

const CHAR_WIDTH = 7.5;
const NODE_HEIGHT = 36;
const PADDING = 16;

const nodeWidth = (label: string) => Math.max(80, Math.ceil(label.length * CHAR_WIDTH) + 2 * PADDING);

function nodeClass(id: string, path: ExecutionPath): string {
  const classes = ["node"];
  if (id === START || id === END) classes.push("node--marker");
  if (path.visited.includes(id)) classes.push("node--visited");
  if (path.failed.has(id)) classes.push("node--failed");
  if (path.current === id) classes.push("node--current");
  return classes.join(" ");
}

function status(id: string, path: ExecutionPath): string {
  if (path.failed.has(id)) return "failed";
  if (path.current === id) return "running";
  if (path.visited.includes(id)) return "done";
  return "not run";
}

/**
 * The state machine drawn as SVG, laid out by dagre (top to bottom, as the Step Functions console draws
 * it), with the path taken, the running state and the failed states marked by class. Layout runs here on
 * the server, so the browser needs no script to see the graph.
 */
export function graphSvg(graph: StateMachineGraph, path: ExecutionPath, title: string): string {
  const layout = new dagre.graphlib.Graph({ multigraph: false });
  layout.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    layout.setNode(node.id, { width: nodeWidth(node.id), height: NODE_HEIGHT });
  }
  for (const edge of graph.edges) layout.setEdge(edge.from, edge.to);
  dagre.layout(layout);
  const { width = 0, height = 0 } = layout.graph();

  const edges = graph.edges.map((edge) => {
    const points = layout.edge(edge.from, edge.to)?.points ?? [];
    const d = points
      .map(
        (p: { x: number; y: number }, i: number) =>
          `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`,
      )
      .join(" ");
    const taken = path.taken.has(edgeKey(edge.from, edge.to)) ? " edge--taken" : "";
    return `<path class="edge edge--${edge.kind}${taken}" d="${d}" marker-end="url(#arrow)"/>`;
  });
  const nodes = graph.nodes.map((node) => {
    const box = layout.node(node.id);
    const w = box.width;
    const x = box.x - w / 2;
    const y = box.y - NODE_HEIGHT / 2;
    const rx = node.type === "Start" || node.type === "End" ? NODE_HEIGHT / 2 : 4;
    const label = escapeHtml(node.id);
    return (
      `<g class="${nodeClass(node.id, path)}" data-state="${label}" data-status="${status(node.id, path)}">` +
      `<title>${label} (${escapeHtml(node.type)}): ${status(node.id, path)}</title>` +
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w}" height="${NODE_HEIGHT}" rx="${rx}"/>` +
      `<text x="${box.x.toFixed(1)}" y="${(box.y + 4).toFixed(1)}" text-anchor="middle">${label}</text></g>`
    );
  });
  return (
    `<svg class="graph" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" ` +
    `width="${Math.ceil(width)}" height="${Math.ceil(height)}" xmlns="http://www.w3.org/2000/svg">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z"/></marker></defs>` +
    `${edges.join("")}${nodes.join("")}</svg>`
  );
}
