/**
 * What a target receives, as EventBridge builds it: the whole event, a constant `Input`, the part an
 * `InputPath` selects, or an `InputTransformer` (values picked by `InputPathsMap` put into the
 * `InputTemplate`'s `<name>` placeholders).
 */

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

export interface TargetInputOptions {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface RuleContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

/** A JSONPath as EventBridge accepts it: `$`, then `.name`, `['name']` or `[index]` steps. */
const STEP = /^(?:\.([^.[\]]+)|\['([^']*)'\]|\[(\d+)\])/;

/** The JSONPath's steps, or undefined when it is not one EventBridge accepts. */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  if (!path.startsWith("$")) return undefined;
  const steps: Array<string | number> = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const step = STEP.exec(rest);
    if (step === null) return undefined;
    steps.push(step[3] === undefined ? (step[1] ?? step[2] ?? "") : Number(step[3]));
    rest = rest.slice(step[0].length);
  }
  return steps;
}

/** The value a JSONPath selects in the event; undefined when the event has nothing there. */
export function select(event: unknown, path: string): unknown {
  let value: unknown = event;
  for (const step of parseJsonPath(path) ?? []) {
    if (typeof step === "number") value = Array.isArray(value) ? value[step] : undefined;
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      value = (value as Record<string, unknown>)[step];
    } else value = undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/** The text of a target's input for this event. */
export function targetInput(target: TargetInputOptions, event: unknown, rule: RuleContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(select(event, target.InputPath) ?? null);
  if (target.InputTransformer !== undefined) return transform(target.InputTransformer, event, rule);
  return JSON.stringify(event);
}

const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/**
 * Fills the template. As EventBridge documents: a placeholder outside quotes becomes the value as JSON
 * (a string gets its quotes); inside a quoted string it becomes the value's text, escaped for that
 * string. A path with nothing in the event gives null (outside quotes) or nothing (inside).
 */
export function transform(transformer: InputTransformer, event: unknown, rule: RuleContext): string {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    values.set(name, select(event, path));
  }
  values.set("aws.events.rule-arn", rule.ruleArn);
  values.set("aws.events.rule-name", rule.ruleName);
  values.set("aws.events.event.ingestion-time", rule.ingestionTime);
  values.set("aws.events.event", event);
  values.set("aws.events.event.json", event);

  const template = transformer.InputTemplate;
  let output = "";
  let inString = false;
  for (let index = 0; index < template.length; index++) {
    const char = template.charAt(index);
    if (char === "\\" && inString) {
      output += template.slice(index, index + 2);
      index++;
      continue;
    }
    if (char === '"') inString = !inString;
    const placeholder = char === "<" ? PLACEHOLDER.exec(template.slice(index)) : null;
    if (placeholder !== null && placeholder[1] !== undefined && values.has(placeholder[1])) {
      const value = values.get(placeholder[1]);
      output += inString ? insideString(value) : JSON.stringify(value ?? null);
      index += placeholder[0].length - 1;
      continue;
    }
    output += char;
  }
  return output;
}

function insideString(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  // The text of a JSON string literal without its quotes.
  return JSON.stringify(text).slice(1, -1);
}

/** The placeholders a template uses that neither InputPathsMap nor EventBridge defines. */
export function unknownPlaceholders(transformer: InputTransformer): string[] {
  const known = new Set([
    ...Object.keys(transformer.InputPathsMap ?? {}),
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
  ]);
  const used = [...transformer.InputTemplate.matchAll(/<([A-Za-z0-9_.-]+)>/g)].map((match) => match[1] ?? "");
  return used.filter((name) => !known.has(name));
}
