import { requireEnv } from "../lib/config.js";

/**
 * Where the API creates a queue's alarms: the alarm-name prefix the autoscaling EventBridge rule
 * matches (`mqops-<stage>-autoscaling`, from workflows/triggers.ts) and the alarm period. Amazon MQ
 * publishes once a minute, so 60 on AWS; the local cloud may publish and evaluate every 10 s.
 */
export const ALARM_PREFIX = requireEnv("AUTOSCALING_ALARM_PREFIX");
export const ALARM_PERIOD_SECONDS = checkedPeriod(requireEnv("AUTOSCALING_ALARM_PERIOD_SECONDS"));

/** CloudWatch alarm periods: 10, 20 or 30 s (high resolution) or a multiple of 60. */
export function checkedPeriod(text: string): number {
  const period = Number(text);
  if (
    !Number.isInteger(period) ||
    !(period === 10 || period === 20 || period === 30 || (period > 0 && period % 60 === 0))
  ) {
    throw new Error(`AUTOSCALING_ALARM_PERIOD_SECONDS must be 10, 20, 30 or a multiple of 60, not ${text}`);
  }
  return period;
}
