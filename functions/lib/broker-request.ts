import { checkActiveMqXml } from "./activemq-xml.js";
import { carriedBrokerSpecSchema, checkAcrossFields, requestShape, userWithPassword } from "./broker-spec.js";
import type { FieldIssue } from "./errors.js";
import { toFieldIssues } from "./field-issues.js";
import { ldapServerMetadataInputSchema } from "./ldap-server-metadata.js";
import * as z from "./zod.js";

/** The activemq.xml parses and keeps to what Amazon MQ permits (functions/lib/activemq-xml.ts). */
function checkXml(request: { activemqXml?: string | undefined }, ctx: z.core.$RefinementCtx): void {
  if (request.activemqXml === undefined) return;
  for (const message of checkActiveMqXml(request.activemqXml).errors) {
    ctx.addIssue({ code: "custom", path: ["activemqXml"], message });
  }
}

/** A CreateBroker request as the API takes it (Amazon MQ's CreateBroker members, camelCase). */
export const createBrokerRequestSchema = requestShape(userWithPassword, ldapServerMetadataInputSchema).check(
  z.superRefine(checkAcrossFields),
  z.superRefine(checkXml),
);
export type CreateBrokerRequest = z.infer<typeof createBrokerRequestSchema>;

/** The same request as the workflow carries it: passwords removed (they are in Secrets Manager). */
export const brokerSpecSchema = carriedBrokerSpecSchema.check(z.superRefine(checkXml));
export type BrokerSpec = z.infer<typeof brokerSpecSchema>;

export type ValidationResult =
  | { ok: true; request: CreateBrokerRequest }
  | { ok: false; issues: FieldIssue[] };

/** Validates a CreateBroker request and lists every problem by field. Pure. */
export function validateCreateBrokerRequest(input: unknown): ValidationResult {
  const parsed = createBrokerRequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, issues: toFieldIssues(parsed.error) };
}
