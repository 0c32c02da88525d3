import { en } from "zod/locales";
import { config, z } from "zod/mini";

// zod/mini is zod's tree-shakable form: a bundle keeps only the checks it uses, where classic zod
// puts ~470 kB in every Lambda. It loads no locale: English gives classic zod's messages, which
// the API's 400 bodies name.
config(en());

/** What {@link parse} throws: named `ZodError`, as classic zod's, since failed steps record the name. */
export class ZodError extends z.core.$ZodRealError {
  constructor(issues: z.core.$ZodIssue[]) {
    super(issues);
    this.name = "ZodError";
  }
}

/** `schema.parse(value)` of classic zod: the parsed value, or a thrown {@link ZodError}. */
export const parse = z.core._parse(ZodError);

export { z };
