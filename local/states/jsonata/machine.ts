import type { ScopeStep } from "../history-threads.js";
import {
  type Bindings,
  evaluateExpression,
  evaluateTemplate,
  isExpression,
  type Json,
  StatesError,
  syntaxError,
} from "./expressions.js";

type State = Record<string, unknown>;
interface Definition {
  StartAt: string;
  /** The execution's own limit: past it, the execution ends TIMED_OUT. */
  TimeoutSeconds?: number;
  States: Record<string, State>;
  QueryLanguage?: string;
}
type Handler = (input: Json) => Promise<Json> | Json;

/** What `run` takes: the engine's (aws-local-stepfunctions) options, so both machines run alike. */
export interface JsonataRunOptions {
  overrides?: {
    taskResourceLocalHandlers?: Record<string, Handler>;
    waitTimeOverrides?: Record<string, number>;
    retryIntervalOverrides?: Record<string, number>;
  };
  context?: Record<string, unknown>;
}

/** The engine's event log shape (see aws-local-stepfunctions' EventLog), with `scope`. */
type LoggedEvent = Record<string, unknown> & { type: string; timestamp: number };

interface Scope {
  path: ScopeStep[];
  variables: Record<string, Json>;
  /** $states.context without State, which each state adds. */
  context: Record<string, Json>;
}

const MAX_DEFAULT_CONCURRENCY = 40;
/** Step Functions' limit on a state's output: 256 KiB of UTF-8 (States.DataLimitExceeded beyond). */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * Runs state machines written in JSONata (`QueryLanguage: "JSONata"`), which aws-local-stepfunctions
 * would run as JSONPath: Arguments, Output, Assign (variables scoped as Step Functions scopes them: an
 * iteration or branch reads its parent's variables, its own assignments stay inside), Condition,
 * Items, ItemSelector, Retry and Catch (with Output and Assign), over the reference `jsonata` package.
 * Its event log has the engine's shape, so histories are made the same way.
 */
export class JsonataStateMachine {
  constructor(readonly definition: Definition) {
    checkDefinition(definition);
  }

  run(input: Json, options: JsonataRunOptions = {}) {
    const events: LoggedEvent[] = [];
    let notify: (() => void) | undefined;
    let closed = false;
    const abort = new AbortController();
    const log = (event: Omit<LoggedEvent, "timestamp">) => {
      if (closed) return;
      events.push({ ...event, timestamp: Date.now() } as LoggedEvent);
      notify?.();
    };
    let timer: NodeJS.Timeout | undefined;
    const close = () => {
      clearTimeout(timer);
      closed = true;
      notify?.();
    };
    const context = (options.context ?? {}) as Record<string, Json>;
    const execution = (context.Execution ?? {}) as Record<string, Json>;
    const rootContext: Record<string, Json> = {
      ...context,
      Execution: { ...execution, Input: input, StartTime: execution.StartTime ?? new Date().toISOString() },
    };
    const runner = new Runner(options, log, abort.signal);
    let timedOut = false;
    const limit = this.definition.TimeoutSeconds;
    timer =
      typeof limit === "number"
        ? setTimeout(
            () => {
              timedOut = true;
              abort.abort();
            },
            Math.min(limit * 1000, 2 ** 31 - 1),
          )
        : undefined;
    const stopped = () => log({ type: timedOut ? "ExecutionTimeout" : "ExecutionAborted" });
    const result = (async () => {
      log({ type: "ExecutionStarted", input });
      try {
        const output = await runner.runStates(this.definition, input, {
          path: [],
          variables: {},
          context: rootContext,
        });
        if (abort.signal.aborted) {
          stopped();
          close();
          throw new StatesError("ExecutionAbortedError", "Execution aborted");
        }
        log({ type: "ExecutionSucceeded", output });
        close();
        return output;
      } catch (error) {
        if (abort.signal.aborted) {
          stopped();
        } else {
          const failure = asStatesError(error);
          log({ type: "ExecutionFailed", Error: failure.name, Cause: failure.cause });
        }
        close();
        throw error;
      }
    })();
    async function* eventLogs() {
      while (true) {
        while (events.length > 0) yield events.shift() as LoggedEvent;
        if (closed) return;
        await new Promise<void>((resolve) => {
          notify = resolve;
        });
        notify = undefined;
      }
    }
    return { result, eventLogs: eventLogs(), abort: () => abort.abort() };
  }
}

function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  if (error instanceof Error) return new StatesError(error.name, error.message);
  return new StatesError("Error", String(error));
}

class Runner {
  constructor(
    private readonly options: JsonataRunOptions,
    private readonly log: (event: Omit<LoggedEvent, "timestamp">) => void,
    private readonly signal: AbortSignal,
  ) {}

  async runStates(definition: Definition, input: Json, scope: Scope): Promise<Json> {
    let name = definition.StartAt;
    let current = input;
    for (;;) {
      if (this.signal.aborted) throw new StatesError("ExecutionAbortedError", "Execution aborted");
      const state = definition.States[name];
      if (state === undefined) throw new StatesError("States.Runtime", `State ${name} does not exist`);
      const { output, next } = await this.runState(name, state, current, scope);
      current = output;
      if (next === undefined) return current;
      name = next;
    }
  }

  private async runState(
    name: string,
    state: State,
    input: Json,
    scope: Scope,
  ): Promise<{ output: Json; next?: string }> {
    const type = String(state.Type);
    const base = { state: { name, type, input }, scope: scope.path };
    // MapStateStarted gives the number of items: evaluate Items first (its error is raised in turn below).
    const items =
      type === "Map" ? await this.items(state, input, scope).catch((error: unknown) => error) : undefined;
    this.log({ type: "StateEntered", ...base, ...(Array.isArray(items) ? { mapLength: items.length } : {}) });
    let retries = 0;
    const retriedFor = new Map<number, number>();
    for (;;) {
      const context = {
        ...scope.context,
        State: { Name: name, EnteredTime: new Date().toISOString(), RetryCount: retries },
      };
      const bindings: Bindings = { states: { input, context }, variables: scope.variables };
      try {
        const { output, next, assign } = await this.execute(name, state, input, scope, bindings);
        if (Buffer.byteLength(JSON.stringify(output), "utf8") > MAX_PAYLOAD_BYTES) {
          throw new StatesError(
            "States.DataLimitExceeded",
            `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
          );
        }
        Object.assign(scope.variables, assign);
        this.log({ type: "StateExited", ...base, state: { name, type, input, output } });
        return { output, next };
      } catch (caught) {
        const error = asStatesError(caught);
        if (this.signal.aborted) throw error;
        this.log({ type: "StateFailed", ...base, Error: error.name, Cause: error.cause });
        const retry = this.retrier(state, error, retriedFor);
        if (retry !== undefined) {
          retries += 1;
          this.log({ type: "StateRetried", ...base, retry: { retrier: retry.retrier, attempt: retries } });
          await this.sleep(retry.delayMs, this.options.overrides?.retryIntervalOverrides?.[name]);
          continue;
        }
        const catcher = ((state.Catch ?? []) as State[]).find((candidate) =>
          matches(candidate.ErrorEquals, error),
        );
        if (catcher === undefined) throw error;
        const errorOutput: Json = { Error: error.name, Cause: error.cause };
        const caughtBindings: Bindings = {
          states: { input, context: bindings.states.context, errorOutput },
          variables: scope.variables,
        };
        const output =
          catcher.Output === undefined
            ? errorOutput
            : await evaluateTemplate(catcher.Output, caughtBindings, "Output");
        const assign = await evaluateAssign(catcher.Assign, caughtBindings);
        Object.assign(scope.variables, assign);
        this.log({ type: "StateCaught", ...base, catch: { catcher } });
        this.log({ type: "StateExited", ...base, state: { name, type, input, output } });
        return { output, next: String(catcher.Next) };
      }
    }
  }

  /** The Retrier that applies to an error, if it has attempts left, and its pause. */
  private retrier(state: State, error: StatesError, retriedFor: Map<number, number>) {
    const retriers = (state.Retry ?? []) as State[];
    const index = retriers.findIndex((candidate) => matches(candidate.ErrorEquals, error));
    const retrier = retriers[index];
    if (retrier === undefined) return undefined;
    const done = retriedFor.get(index) ?? 0;
    const maxAttempts = typeof retrier.MaxAttempts === "number" ? retrier.MaxAttempts : 3;
    if (done >= maxAttempts) return undefined;
    retriedFor.set(index, done + 1);
    const interval = typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : 1;
    const rate = typeof retrier.BackoffRate === "number" ? retrier.BackoffRate : 2;
    let delay = interval * rate ** done;
    if (typeof retrier.MaxDelaySeconds === "number") delay = Math.min(delay, retrier.MaxDelaySeconds);
    if (retrier.JitterStrategy === "FULL") delay = Math.random() * delay;
    return { retrier, delayMs: delay * 1000 };
  }

  private async execute(
    name: string,
    state: State,
    input: Json,
    scope: Scope,
    bindings: Bindings,
  ): Promise<{ output: Json; next?: string; assign: Record<string, Json> }> {
    const next = state.End === true ? undefined : (state.Next as string | undefined);
    const finish = async (result: Json, nextState = next) => {
      const after: Bindings = { ...bindings, states: { ...bindings.states, result } };
      const output =
        state.Output === undefined ? result : await evaluateTemplate(state.Output, after, "Output");
      const assign = await evaluateAssign(state.Assign, after);
      return { output, next: nextState, assign };
    };
    switch (state.Type) {
      case "Pass":
        return finish(input);
      case "Succeed":
        return finish(input, undefined);
      case "Fail": {
        const error = state.Error === undefined ? "" : await evaluateTemplate(state.Error, bindings, "Error");
        const cause = state.Cause === undefined ? "" : await evaluateTemplate(state.Cause, bindings, "Cause");
        throw new StatesError(String(error), String(cause));
      }
      case "Wait": {
        let ms = 0;
        if (state.Seconds !== undefined) {
          const seconds = await evaluateTemplate(state.Seconds, bindings, "Seconds");
          if (typeof seconds !== "number" || seconds < 0) {
            throw new StatesError(
              "States.QueryEvaluationError",
              `The Seconds field must be a non-negative number, not ${JSON.stringify(seconds)}`,
            );
          }
          ms = seconds * 1000;
        } else if (state.Timestamp !== undefined) {
          const timestamp = await evaluateTemplate(state.Timestamp, bindings, "Timestamp");
          if (typeof timestamp !== "string" || !RFC3339.test(timestamp)) {
            throw new StatesError(
              "States.QueryEvaluationError",
              `The Timestamp field must be an RFC3339 timestamp, not ${JSON.stringify(timestamp)}`,
            );
          }
          ms = Math.max(0, Date.parse(timestamp) - Date.now());
        }
        await this.sleep(ms, this.options.overrides?.waitTimeOverrides?.[name]);
        return finish(input);
      }
      case "Choice": {
        for (const rule of (state.Choices ?? []) as State[]) {
          const condition = await evaluateTemplate(rule.Condition, bindings, "Condition");
          if (typeof condition !== "boolean") {
            throw new StatesError(
              "States.QueryEvaluationError",
              `The Condition must evaluate to a boolean, not ${JSON.stringify(condition)}`,
            );
          }
          if (!condition) continue;
          const output =
            rule.Output === undefined ? input : await evaluateTemplate(rule.Output, bindings, "Output");
          const assign = await evaluateAssign(rule.Assign, bindings);
          return { output, next: String(rule.Next), assign };
        }
        if (typeof state.Default !== "string") {
          throw new StatesError("States.NoChoiceMatched", "No Matches!");
        }
        const output =
          state.Output === undefined ? input : await evaluateTemplate(state.Output, bindings, "Output");
        return { output, next: state.Default, assign: await evaluateAssign(state.Assign, bindings) };
      }
      case "Task": {
        const handler = this.options.overrides?.taskResourceLocalHandlers?.[name];
        if (handler === undefined)
          throw new StatesError("States.Runtime", `Task ${name} is bound to no local handler`);
        const args =
          state.Arguments === undefined
            ? input
            : await evaluateTemplate(state.Arguments, bindings, "Arguments");
        const timeout =
          state.TimeoutSeconds === undefined
            ? undefined
            : await evaluateTemplate(state.TimeoutSeconds, bindings, "TimeoutSeconds");
        const result = await this.withTimeout(
          Promise.resolve(handler(args)),
          typeof timeout === "number" ? timeout : undefined,
        );
        return finish(result);
      }
      case "Parallel": {
        const args =
          state.Arguments === undefined
            ? input
            : await evaluateTemplate(state.Arguments, bindings, "Arguments");
        const branches = (state.Branches ?? []) as Definition[];
        const results = await Promise.all(
          branches.map(async (branch, index) => {
            const path = [...scope.path, { state: name, branch: index }];
            this.log({
              type: "ParallelBranchStarted",
              parentState: { name, type: "Parallel", input },
              branch: index,
              scope: scope.path,
            });
            const output = await this.runStates(branch, args, {
              path,
              variables: { ...scope.variables },
              context: scope.context,
            });
            this.log({
              type: "ParallelBranchSucceeded",
              parentState: { name, type: "Parallel", input },
              branch: index,
              scope: scope.path,
            });
            return output;
          }),
        );
        return finish(results);
      }
      case "Map":
        return finish(await this.map(name, state, input, scope, bindings));
      default:
        throw new StatesError("States.Runtime", `Unsupported state type ${String(state.Type)}`);
    }
  }

  private async items(state: State, input: Json, scope: Scope): Promise<Json> {
    const bindings: Bindings = { states: { input, context: scope.context }, variables: scope.variables };
    return state.Items === undefined ? input : await evaluateTemplate(state.Items, bindings, "Items");
  }

  private async map(
    name: string,
    state: State,
    input: Json,
    scope: Scope,
    bindings: Bindings,
  ): Promise<Json[]> {
    const items = await this.items(state, input, scope);
    if (!Array.isArray(items)) {
      throw new StatesError(
        "States.QueryEvaluationError",
        `The Items field must evaluate to a JSON array, not ${JSON.stringify(items)}`,
      );
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as Definition;
    const configured =
      state.MaxConcurrency === undefined
        ? 0
        : await evaluateTemplate(state.MaxConcurrency, bindings, "MaxConcurrency");
    const limit = typeof configured === "number" && configured > 0 ? configured : MAX_DEFAULT_CONCURRENCY;
    const results: Json[] = new Array(items.length);
    let nextIndex = 0;
    let failure: unknown;
    const parentState = { name, type: "Map", input };
    const worker = async () => {
      while (failure === undefined && nextIndex < items.length) {
        const index = nextIndex++;
        const item = items[index] as Json;
        const mapContext = {
          ...(bindings.states.context as Record<string, Json>),
          Map: { Item: { Index: index, Value: item } },
        };
        const iterationInput =
          state.ItemSelector === undefined
            ? item
            : await evaluateTemplate(
                state.ItemSelector,
                { ...bindings, states: { ...bindings.states, context: mapContext } },
                "ItemSelector",
              );
        this.log({ type: "MapIterationStarted", parentState, index, scope: scope.path });
        try {
          results[index] = await this.runStates(processor, iterationInput, {
            path: [...scope.path, { state: name, index }],
            variables: { ...scope.variables },
            context: scope.context,
          });
          this.log({ type: "MapIterationSucceeded", parentState, index, scope: scope.path });
        } catch (error) {
          const failed = asStatesError(error);
          this.log({
            type: "MapIterationFailed",
            parentState,
            index,
            scope: scope.path,
            Error: failed.name,
            Cause: failed.cause,
          });
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, Math.max(items.length, 1)) }, worker));
    if (failure !== undefined) throw failure;
    return results;
  }

  private async withTimeout(work: Promise<Json>, seconds: number | undefined): Promise<Json> {
    if (this.signal.aborted) throw new StatesError("ExecutionAbortedError", "Execution aborted");
    const aborted = new Promise<never>((_, reject) => {
      this.signal.addEventListener(
        "abort",
        () => reject(new StatesError("ExecutionAbortedError", "Execution aborted")),
        {
          once: true,
        },
      );
    });
    aborted.catch(() => undefined);
    if (seconds === undefined) return Promise.race([work, aborted]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StatesError("States.Timeout", "Task timed out")), seconds * 1000);
    });
    try {
      return await Promise.race([work, aborted, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async sleep(ms: number, override: number | undefined) {
    const wait = override ?? ms;
    if (this.signal.aborted) throw new StatesError("ExecutionAbortedError", "Execution aborted");
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(wait, 2 ** 31 - 1));
      this.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    // A stop or timeout during the pause ends the state without an exit.
    if (this.signal.aborted) throw new StatesError("ExecutionAbortedError", "Execution aborted");
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function matches(errorEquals: unknown, error: StatesError): boolean {
  const names = (errorEquals ?? []) as string[];
  return names.some(
    (name) =>
      name === error.name ||
      (name === "States.ALL" && error.name !== "States.Runtime" && error.name !== "States.DataLimitExceeded"),
  );
}

/**
 * An Assign block: every expression reads the variables as they were before the state, and the
 * values become visible to the states after it.
 */
async function evaluateAssign(assign: unknown, bindings: Bindings): Promise<Record<string, Json>> {
  if (assign === undefined || assign === null) return {};
  if (isExpression(assign)) {
    const value = await evaluateExpression(assign, bindings, "Assign");
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new StatesError("States.QueryEvaluationError", "The Assign field must evaluate to a JSON object");
    }
    return value;
  }
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(assign as Record<string, unknown>)) {
    out[name] = await evaluateTemplate(value, bindings, `Assign.${name}`);
  }
  return out;
}

/** Every `{% … %}` in a state's own fields must parse (nested states are checked on their own). */
function checkExpressions(value: unknown, where: string) {
  if (isExpression(value)) {
    const error = syntaxError(value);
    if (error !== undefined) throw new Error(`SCHEMA_VALIDATION_FAILED: ${where}: ${error}`);
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkExpressions(item, `${where}/${index}`);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    if (key === "ItemProcessor" || key === "Iterator" || key === "Branches") continue;
    checkExpressions(item, `${where}/${key}`);
  }
}

/** What CreateStateMachine checks for a JSONata definition here: states that exist, fields JSONata has. */
function checkDefinition(definition: Definition, path = "") {
  if (
    typeof definition?.StartAt !== "string" ||
    typeof definition.States !== "object" ||
    definition.States === null
  ) {
    throw new Error(`SCHEMA_VALIDATION_FAILED: StartAt and States are required at /${path}`);
  }
  if (definition.States[definition.StartAt] === undefined) {
    throw new Error(
      `MISSING_TRANSITION_TARGET: Missing 'Next' target: ${definition.StartAt} at /${path}StartAt`,
    );
  }
  for (const [name, state] of Object.entries(definition.States)) {
    checkExpressions(state, `/${path}States/${name}`);
    if (state.QueryLanguage === "JSONPath") {
      throw new Error(
        `The local cloud runs a JSONata state machine only if every state is JSONata: /${path}States/${name}`,
      );
    }
    for (const field of [
      "InputPath",
      "Parameters",
      "ResultSelector",
      "ResultPath",
      "OutputPath",
      "ItemsPath",
    ]) {
      if (field in state) {
        throw new Error(
          `SCHEMA_VALIDATION_FAILED: The field '${field}' is not supported for state type '${String(state.Type)}' with query language JSONata at /${path}States/${name}`,
        );
      }
    }
    const targets = [
      state.Next,
      state.Default,
      ...((state.Choices ?? []) as State[]).map((rule) => rule.Next),
      ...((state.Catch ?? []) as State[]).map((c) => c.Next),
    ];
    for (const target of targets) {
      if (typeof target === "string" && definition.States[target] === undefined) {
        throw new Error(
          `MISSING_TRANSITION_TARGET: Missing 'Next' target: ${target} at /${path}States/${name}`,
        );
      }
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
    if (processor !== undefined) checkDefinition(processor, `${path}States/${name}/ItemProcessor/`);
    for (const [index, branch] of ((state.Branches ?? []) as Definition[]).entries()) {
      checkDefinition(branch, `${path}States/${name}/Branches/${index}/`);
    }
  }
}
