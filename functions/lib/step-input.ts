import * as z from "./zod.js";

/** Fields every workflow step receives besides its own. */
export const stepBase = { correlationId: z.optional(z.string()) };

export const brokerRefSchema = z.object({
  brokerId: z.string().check(z.minLength(1)),
  brokerArn: z.string().check(z.minLength(1)),
});
export const configurationRefSchema = z.object({
  configurationId: z.string().check(z.minLength(1)),
  configurationArn: z.string().check(z.minLength(1)),
  revision: z.number().check(z.int(), z.gte(1)),
  warnings: z.array(z.string()),
});
export type ConfigurationRef = z.infer<typeof configurationRefSchema>;
