import { z } from "zod";

/** Fields every workflow step receives besides its own. */
export const stepBase = { correlationId: z.string().optional() };

export const brokerRefSchema = z.object({ brokerId: z.string().min(1), brokerArn: z.string().min(1) });
export const configurationRefSchema = z.object({
  configurationId: z.string().min(1),
  configurationArn: z.string().min(1),
  revision: z.number().int().min(1),
  warnings: z.array(z.string()),
});
export type ConfigurationRef = z.infer<typeof configurationRefSchema>;
