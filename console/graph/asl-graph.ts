/** The parts of an Amazon States Language state the graph needs. */
interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
}

interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}

export type EdgeKind = "next" | "choice" | "default" | "catch" | "end";

export interface GraphNode {
  id: string;
  /** The ASL type, or "Start"/"End" for the two markers the AWS console also draws. */
  type: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
}

export interface StateMachineGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** A state inside a Map or Parallel → the top-level state that holds it (its events colour that one). */
  enclosing: Map<string, string>;
}

export const START = "Start";
export const END = "End";

function nestedStates(state: AslState, top: string, enclosing: Map<string, string>) {
  const machines = [...(state.Branches ?? []), state.Iterator, state.ItemProcessor];
  for (const machine of machines) {
    for (const [name, inner] of Object.entries(machine?.States ?? {})) {
      enclosing.set(name, top);
      nestedStates(inner, top, enclosing);
    }
  }
}

/**
 * The top level of a state machine as a directed graph: one node per state between Start and End, one
 * edge per Next, Choice rule, Default and Catch. Map and Parallel are single nodes, as the states they hold
 * run inside them. Pure; throws on a definition that is not ASL JSON.
 */
export function stateMachineGraph(definition: string): StateMachineGraph {
  const machine = JSON.parse(definition) as AslMachine;
  if (typeof machine.StartAt !== "string" || typeof machine.States !== "object") {
    throw new Error("not an Amazon States Language definition");
  }
  const nodes: GraphNode[] = [{ id: START, type: "Start" }];
  const edges: GraphEdge[] = [{ from: START, to: machine.StartAt, kind: "next" }];
  const enclosing = new Map<string, string>();
  const add = (from: string, to: string | undefined, kind: EdgeKind) => {
    if (to !== undefined && !edges.some((e) => e.from === from && e.to === to))
      edges.push({ from, to, kind });
  };
  for (const [name, state] of Object.entries(machine.States)) {
    nodes.push({ id: name, type: state.Type });
    add(name, state.Next, "next");
    for (const choice of state.Choices ?? []) add(name, choice.Next, "choice");
    add(name, state.Default, "default");
    for (const handler of state.Catch ?? []) add(name, handler.Next, "catch");
    if (state.End === true || state.Type === "Succeed" || state.Type === "Fail") add(name, END, "end");
    nestedStates(state, name, enclosing);
  }
  nodes.push({ id: END, type: "End" });
  return { nodes, edges, enclosing };
}
