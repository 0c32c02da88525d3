import type { EngineEvent, NewEvent } from "./event-types.js";

/**
 * Where an engine event happened: the Map iterations and Parallel branches it is nested in, outermost
 * first. The engine reports it through the maintained patch (patches/aws-local-stepfunctions+*.patch).
 */
export interface ScopeStep {
  state: string;
  /** A Map iteration. */
  index?: number;
  /** A Parallel branch. */
  branch?: number;
}

export const scopeOf = (event: EngineEvent): ScopeStep[] => (event as { scope?: ScopeStep[] }).scope ?? [];

/** A key for a thread of events: the root (""), or one Map iteration or Parallel branch. */
export const threadKey = (scope: readonly ScopeStep[]) =>
  scope
    .map((step) =>
      step.index !== undefined ? `${step.state}#${step.index}/` : `${step.state}@${step.branch}/`,
    )
    .join("");

interface Pending {
  event: EngineEvent;
  translated: NewEvent[];
}

/** One run of a Map state: which iteration streams into the history, and its event links. */
interface MapRun {
  /** The lowest iteration not yet ended: its events go out as they come, later ones wait. */
  head: number;
  waiting: Map<number, Pending[]>;
  /** Set once an iteration has failed: the other iterations' events are dropped, as AWS aborts them. */
  failed: boolean;
  /** What the next MapIterationStarted links to: MapStateStarted, then the last event of the iteration before. */
  cursor: number;
  /** What MapStateSucceeded/Failed and MapStateExited link to. */
  lastEnd: number;
}

/**
 * Gives history events their ids and `previousEventId` as Step Functions does, and orders Map
 * iterations as it records them. Measured on AWS (histories recorded against AWS itself):
 * - ExecutionStarted is 1 with previous 0, and the first state's event also links to 0;
 * - each event links to the one before it in its own thread (the execution, a Map iteration or a
 *   Parallel branch); a branch's first event links to ParallelStateStarted, an iteration's
 *   MapIterationStarted to MapStateStarted or to the last state event of the iteration before;
 * - MapIterationSucceeded links to its iteration's last event; MapStateSucceeded and MapStateExited both
 *   link to the last MapIterationSucceeded; MapIterationFailed and MapStateFailed both link to the failed
 *   iteration's last event; ParallelStateSucceeded and ParallelStateExited both link to the last event of
 *   the branches, ParallelStateFailed to the failed branch's last event;
 * - inline Map iterations are recorded one after the other, in index order.
 * The engine runs iterations at once and interleaves their events: the events of iteration i wait until
 * every iteration before it has ended (the lowest running iteration streams live).
 */
export class HistoryThreads {
  private readonly last = new Map<string, number>();
  private readonly maps = new Map<string, MapRun>();
  /** Parallel runs: the last event recorded in any of their branches. */
  private readonly parallels = new Map<string, number>();
  private readonly parallelStarts = new Map<string, number>();

  constructor(
    /** Records one event and returns its id. */
    private readonly record: (event: NewEvent, previousEventId: number) => number,
    /** What the execution's first state links to: 0, or the last event before a redrive. */
    first = 0,
  ) {
    this.last.set("", first);
  }

  /** Takes one engine event and the history events it translates to, and records them when their turn comes. */
  accept(event: EngineEvent, translated: NewEvent[]): void {
    if ((event.type === "StateEntered" || event.type === "StateRetried") && event.state.type === "Map") {
      const key = `${threadKey(scopeOf(event))}|${event.state.name}`;
      const previous = this.maps.get(key);
      this.maps.set(key, {
        head: 0,
        waiting: new Map(),
        failed: false,
        cursor: previous?.cursor ?? 0,
        lastEnd: previous?.lastEnd ?? 0,
      });
    }
    this.route({ event, translated }, 0);
  }

  /** The path a pending event must pass: its scope, and for MapIteration* events their own iteration. */
  private pathOf(event: EngineEvent): ScopeStep[] {
    const scope = scopeOf(event);
    if (
      event.type === "MapIterationStarted" ||
      event.type === "MapIterationSucceeded" ||
      event.type === "MapIterationFailed"
    ) {
      return [...scope, { state: event.parentState.name, index: event.index }];
    }
    return scope;
  }

  private route(pending: Pending, depth: number) {
    const path = this.pathOf(pending.event);
    for (let d = depth; d < path.length; d++) {
      const step = path[d];
      if (step?.index === undefined) continue;
      const run = this.maps.get(`${threadKey(path.slice(0, d))}|${step.state}`);
      if (run === undefined) continue;
      if (run.failed) return;
      if (step.index !== run.head) {
        const queue = run.waiting.get(step.index);
        if (queue === undefined) run.waiting.set(step.index, [pending]);
        else queue.push(pending);
        return;
      }
    }
    this.emit(pending);
  }

  private emit({ event, translated }: Pending) {
    const scope = scopeOf(event);
    const thread = threadKey(scope);
    for (const next of translated) this.emitOne(next, scope, thread);
  }

  private lastOf(scope: readonly ScopeStep[], thread: string): number {
    const known = this.last.get(thread);
    if (known !== undefined) return known;
    const step = scope.at(-1);
    const parent = threadKey(scope.slice(0, -1));
    return step === undefined ? 0 : (this.parallelStarts.get(`${parent}|${step.state}`) ?? 0);
  }

  private emitOne(next: NewEvent, scope: readonly ScopeStep[], thread: string) {
    const details = Object.values(next.details ?? {})[0] as { name?: string; index?: number } | undefined;
    const last = this.lastOf(scope, thread);
    const put = (previous: number) => {
      const id = this.record(next, previous);
      this.touchParallels(scope, id);
      return id;
    };
    const mapRun = (name: string | undefined) => this.maps.get(`${thread}|${name ?? ""}`);
    const stateName = (next as { stateName?: string }).stateName;
    switch (next.type) {
      case "ExecutionStarted":
        put(0);
        return;
      case "MapStateStarted": {
        const id = put(last);
        this.last.set(thread, id);
        const run = mapRun(stateName);
        if (run !== undefined) {
          run.cursor = id;
          run.lastEnd = id;
        }
        return;
      }
      case "MapIterationStarted": {
        const run = mapRun(details?.name);
        const id = put(run?.cursor ?? last);
        this.last.set(`${thread}${details?.name}#${details?.index}/`, id);
        return;
      }
      case "MapIterationSucceeded":
      case "MapIterationFailed": {
        const run = mapRun(details?.name);
        const iteration = `${thread}${details?.name}#${details?.index}/`;
        const bodyLast = this.last.get(iteration) ?? last;
        const id = put(bodyLast);
        if (run === undefined) return;
        run.cursor = bodyLast;
        if (next.type === "MapIterationFailed") {
          run.lastEnd = bodyLast;
          run.failed = true;
          run.waiting.clear();
          return;
        }
        run.lastEnd = id;
        run.head = (details?.index ?? 0) + 1;
        this.flush(run, scope.length);
        return;
      }
      case "MapStateSucceeded": {
        const end = mapRun(stateName)?.lastEnd ?? last;
        put(end);
        this.last.set(thread, end);
        return;
      }
      case "MapStateFailed": {
        const end = mapRun(stateName)?.lastEnd ?? last;
        this.last.set(thread, put(end));
        return;
      }
      case "ParallelStateStarted": {
        const id = put(last);
        this.last.set(thread, id);
        this.parallelStarts.set(`${thread}|${stateName}`, id);
        this.parallels.set(`${thread}|${stateName}`, id);
        return;
      }
      case "ParallelStateSucceeded": {
        const end = this.parallels.get(`${thread}|${stateName}`) ?? last;
        put(end);
        this.last.set(thread, end);
        return;
      }
      case "ParallelStateFailed": {
        const end = this.parallels.get(`${thread}|${stateName}`) ?? last;
        this.last.set(thread, put(end));
        return;
      }
      default:
        this.last.set(thread, put(last));
    }
  }

  /** Every Parallel run an event is nested in now has it as its last branch event. */
  private touchParallels(scope: readonly ScopeStep[], id: number) {
    scope.forEach((step, depth) => {
      if (step.branch !== undefined)
        this.parallels.set(`${threadKey(scope.slice(0, depth))}|${step.state}`, id);
    });
  }

  /** The iterations whose turn has come, in index order. */
  private flush(run: MapRun, depth: number) {
    const queue = run.waiting.get(run.head);
    if (queue === undefined) return;
    run.waiting.delete(run.head);
    for (const pending of queue) this.route(pending, depth);
  }
}
