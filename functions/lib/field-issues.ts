import type { z } from "zod/mini";
import type { FieldIssue } from "./errors.js";

/** Formats a zod path as the API reports fields: `users[0].password`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    const name = String(part);
    // A key that is not a plain name (empty, control characters, huge) is quoted and cut, so the
    // field is never blank and a 400 never echoes a whole user-supplied key.
    if (!/^[!-~]{1,128}$/.test(name)) return `${text}[${JSON.stringify(name.slice(0, 64))}]`;
    return text === "" ? name : `${text}.${name}`;
  }, "");
}

/** Lists zod's issues by field, in the API's words. */
export function toFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        message: "is not a known field",
      }));
    }
    if (issue.code === "invalid_key") {
      const inner = issue.issues[0]?.message ?? issue.message;
      return [{ field: fieldPath(issue.path), message: `key ${inner}` }];
    }
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    return [{ field: fieldPath(issue.path) || "body", message: missing ? "is required" : issue.message }];
  });
}
