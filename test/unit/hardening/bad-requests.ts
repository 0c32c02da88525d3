import fc from "fast-check";

/**
 * Generators of malformed input shared by the property suites: wrong types, missing and extra
 * fields, huge strings, deep nesting, Unicode and control characters, bad JSON.
 */

/** A password planted in generated bodies; no response may ever contain it. */
export const PLANTED_PASSWORD = "Planted-Secret-Pa55word-7f3a";

/** Strings users get wrong: control characters, lone surrogates, RTL marks, percent garbage, huge. */
export const nastyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\u0007\b\t\n\r",
    "\ud800",
    "\u202e-evil",
    "%",
    "%E0%A4%A",
    "%00",
    "../../etc/passwd",
    "<!DOCTYPE x>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a JNDI lookup string is the input under test
    "${jndi:ldap://x}",
    "null",
    "🙂".repeat(30),
    "__proto__",
    "constructor",
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => "x".repeat(n)),
);

/** Any JSON value, including deep ones. */
export const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  nastyString,
  fc.integer({ min: 50, max: 300 }).map((depth) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`)),
  fc.integer({ min: 50, max: 300 }).map((depth) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i += 1) value = { a: value };
    return value;
  }),
);

/** A valid body with one or more fields broken: removed, retyped, or joined by unknown ones. */
export function mutatedBody(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("remove" as const), key: fc.constantFrom(...keys) }),
    fc.record({ kind: fc.constant("retype" as const), key: fc.constantFrom(...keys), value: anyJson }),
    fc.record({ kind: fc.constant("extra" as const), key: nastyString, value: anyJson }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => {
    const body: Record<string, unknown> = structuredClone(valid);
    for (const m of mutations) {
      if (m.kind === "remove") delete body[m.key];
      else
        Object.defineProperty(body, m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return JSON.stringify(body);
  });
}

/** Bodies that are not JSON, or not what any route takes. */
export const badBodyText = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "",
      "{",
      "[",
      "nul",
      "{'a':1}",
      '{"a":}',
      "\u0000",
      "<xml/>",
      "true",
      "42",
      '"text"',
    ),
  },
  { weight: 6, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
  { weight: 12, arbitrary: anyJson.map((value) => JSON.stringify(value) ?? "null") },
  // Rare but present: an oversized body, and nesting deeper than any generator may build as a
  // value (only the text is deep).
  { weight: 1, arbitrary: fc.constant(`{"x":"${"y".repeat(1_200_000)}"}`) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 100_000 })
      .map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 100_000 })
      .map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
  },
);

export const contentType = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "",
  "application/json; charset=utf-16",
);
