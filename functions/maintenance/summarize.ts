import { workflowStep } from "../lib/middleware.js";
import { stepBase } from "../lib/step-input.js";
import * as z from "../lib/zod.js";
import { recordRun } from "./progress.js";

const outcomeSchema = z.looseObject({ brokerId: z.string(), status: z.string() });

const inputSchema = z.object({
  ...stepBase,
  runId: z.string(),
  canary: z.array(outcomeSchema),
  wave: z.array(outcomeSchema),
  skipped: z.array(z.looseObject({ brokerId: z.string() })),
  halted: z.boolean(),
});

type Outcome = z.infer<typeof outcomeSchema>;

/** Counts outcomes by status and says how the run ended. Pure. */
export function summarizeRun(outcomes: Outcome[], skipped: number, halted: boolean) {
  const count = (status: string) => outcomes.filter((o) => o.status === status).length;
  const failed = outcomes.length - count("COMPLETED") - count("SKIPPED");
  return {
    status: halted ? "HALTED" : failed > 0 ? "FAILED" : "SUCCEEDED",
    completed: count("COMPLETED"),
    skipped: count("SKIPPED") + skipped,
    failed:
      count("FAILED") +
      outcomes.filter((o) => !["COMPLETED", "SKIPPED", "FAILED", "ROLLED_BACK"].includes(o.status)).length,
    rolledBack: count("ROLLED_BACK"),
    halted,
  };
}

/** Records how the run ended (a halted wave, failures, or success) with every broker's outcome. */
export const summarize = async ({ runId, canary, wave, skipped, halted }: z.infer<typeof inputSchema>) => {
  const outcomes = [...canary, ...wave];
  const summary = summarizeRun(outcomes, skipped.length, halted);
  await recordRun(runId, { ...summary, finishedAt: new Date().toISOString() });
  return { runId, ...summary, brokers: outcomes };
};

export const handler = workflowStep(inputSchema, summarize);
