/**
 * CloudWatch metric math expressions (a subset: the operators and the functions mqops and its users
 * need), parsed by a small recursive-descent parser. No npm library parses CloudWatch's grammar, and
 * general expression libraries (mathjs, expr-eval) have other operators, precedence and identifiers.
 *
 * Grammar, loosest first:
 *   or      := and (("OR" | "||") and)*
 *   and     := compare (("AND" | "&&") compare)*
 *   compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)*
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/") unary)*
 *   unary   := ("-" | "+" | "!" | "NOT") unary | power
 *   power   := primary ("^" unary)?
 *   primary := number | "string" | id | FUNCTION "(" args? ")" | KEYWORD | "(" or ")" | "[" args "]"
 * Ids (of other queries) start with a lower-case letter; functions and keywords (REPEAT, LINEAR) are
 * upper case.
 */
export type Expression =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "id"; name: string }
  | { kind: "keyword"; name: string }
  | { kind: "call"; name: string; args: Expression[] }
  | { kind: "list"; items: Expression[] }
  | { kind: "unary"; operator: string; operand: Expression }
  | { kind: "binary"; operator: string; left: Expression; right: Expression };

export class ExpressionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpressionSyntaxError";
  }
}

type Token =
  | { type: "number"; value: number; at: number }
  | { type: "string"; value: string; at: number }
  | { type: "name"; value: string; at: number }
  | { type: "symbol"; value: string; at: number }
  | { type: "end"; at: number };

const SYMBOLS = [
  "<=",
  ">=",
  "==",
  "!=",
  "&&",
  "||",
  "+",
  "-",
  "*",
  "/",
  "^",
  "(",
  ")",
  "[",
  "]",
  ",",
  "<",
  ">",
  "!",
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] ?? "";
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(at));
    if (number !== null) {
      tokens.push({ type: "number", value: Number(number[0]), at });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
    if (name !== null) {
      tokens.push({ type: "name", value: name[0], at });
      at += name[0].length;
      continue;
    }
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, at + 1);
      if (close < 0) throw new ExpressionSyntaxError(`Unterminated string at position ${at + 1}`);
      tokens.push({ type: "string", value: text.slice(at + 1, close), at });
      at = close + 1;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, at));
    if (symbol === undefined)
      throw new ExpressionSyntaxError(`Unrecognized character '${char}' at position ${at + 1}`);
    tokens.push({ type: "symbol", value: symbol, at });
    at += symbol.length;
  }
  tokens.push({ type: "end", at });
  return tokens;
}

const COMPARISONS = new Set(["<", "<=", ">", ">=", "==", "!="]);

export function parseExpression(text: string): Expression {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token => tokens[position] ?? { type: "end", at: text.length };
  const next = (): Token => {
    const token = peek();
    position++;
    return token;
  };
  const isSymbol = (value: string) => {
    const token = peek();
    return token.type === "symbol" && token.value === value;
  };
  const isWord = (value: string) => {
    const token = peek();
    return token.type === "name" && token.value === value;
  };
  const expect = (value: string) => {
    const token = next();
    if (token.type !== "symbol" || token.value !== value) {
      throw new ExpressionSyntaxError(`Expected '${value}' at position ${token.at + 1}`);
    }
  };

  const or = (): Expression => {
    let left = and();
    while (isSymbol("||") || isWord("OR")) {
      next();
      left = { kind: "binary", operator: "OR", left, right: and() };
    }
    return left;
  };
  const and = (): Expression => {
    let left = compare();
    while (isSymbol("&&") || isWord("AND")) {
      next();
      left = { kind: "binary", operator: "AND", left, right: compare() };
    }
    return left;
  };
  const compare = (): Expression => {
    let left = sum();
    for (let token = peek(); token.type === "symbol" && COMPARISONS.has(token.value); token = peek()) {
      next();
      left = { kind: "binary", operator: token.value, left, right: sum() };
    }
    return left;
  };
  const sum = (): Expression => {
    let left = product();
    while (isSymbol("+") || isSymbol("-")) {
      const operator = (next() as { value: string }).value;
      left = { kind: "binary", operator, left, right: product() };
    }
    return left;
  };
  const product = (): Expression => {
    let left = unary();
    while (isSymbol("*") || isSymbol("/")) {
      const operator = (next() as { value: string }).value;
      left = { kind: "binary", operator, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expression => {
    if (isSymbol("-") || isSymbol("+") || isSymbol("!") || isWord("NOT")) {
      const token = next() as { value: string };
      const operator = token.value === "NOT" ? "!" : token.value;
      return { kind: "unary", operator, operand: unary() };
    }
    return power();
  };
  const power = (): Expression => {
    const base = primary();
    if (isSymbol("^")) {
      next();
      return { kind: "binary", operator: "^", left: base, right: unary() };
    }
    return base;
  };
  const args = (close: string): Expression[] => {
    const items: Expression[] = [];
    if (isSymbol(close)) {
      next();
      return items;
    }
    items.push(or());
    while (isSymbol(",")) {
      next();
      items.push(or());
    }
    expect(close);
    return items;
  };
  const primary = (): Expression => {
    const token = next();
    switch (token.type) {
      case "number":
        return { kind: "number", value: token.value };
      case "string":
        return { kind: "string", value: token.value };
      case "name": {
        if (isSymbol("(")) {
          next();
          return { kind: "call", name: token.value, args: args(")") };
        }
        if (/^[a-z]/.test(token.value)) return { kind: "id", name: token.value };
        return { kind: "keyword", name: token.value };
      }
      case "symbol":
        if (token.value === "(") {
          const inner = or();
          expect(")");
          return inner;
        }
        if (token.value === "[") return { kind: "list", items: args("]") };
        throw new ExpressionSyntaxError(`Unexpected '${token.value}' at position ${token.at + 1}`);
      case "end":
        throw new ExpressionSyntaxError("Unexpected end of expression");
    }
  };

  const expression = or();
  const rest = peek();
  if (rest.type !== "end") throw new ExpressionSyntaxError(`Unexpected token at position ${rest.at + 1}`);
  return expression;
}

/** The ids of other queries an expression refers to (METRICS() refers to all MetricStat queries). */
export function referencedIds(expression: Expression): { ids: Set<string>; usesMetrics: boolean } {
  const ids = new Set<string>();
  let usesMetrics = false;
  const visit = (node: Expression): void => {
    switch (node.kind) {
      case "id":
        ids.add(node.name);
        return;
      case "call":
        if (node.name === "METRICS") usesMetrics = true;
        node.args.forEach(visit);
        return;
      case "list":
        node.items.forEach(visit);
        return;
      case "unary":
        visit(node.operand);
        return;
      case "binary":
        visit(node.left);
        visit(node.right);
        return;
      default:
        return;
    }
  };
  visit(expression);
  return { ids, usesMetrics };
}
