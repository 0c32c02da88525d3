import { en } from "zod/locales";
import { _parse, type $ZodIssue, $ZodRealError, config } from "zod/v4/core";

// zod/mini is zod's tree-shakable form: a bundle keeps only the checks it uses, where classic zod
// puts ~470 kB in every Lambda. Import this module as a namespace (`import * as z from
// "../lib/zod.js"`): esbuild drops what a namespace import does not use, not what a re-exported
// `z` object holds. It loads the English locale, so messages (and the API's 400 bodies) are classic
// zod's.
config(en());

export * from "zod/mini";

/** What {@link parse} throws: named `ZodError`, as classic zod's, since failed steps record the name. */
export class ZodError extends $ZodRealError {
  constructor(issues: $ZodIssue[]) {
    super(issues);
    this.name = "ZodError";
  }
}

/** `schema.parse(value)` of classic zod: the parsed value, or a thrown {@link ZodError}. */
export const parse = _parse(ZodError);
