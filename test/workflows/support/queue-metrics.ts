import type { GetMetricDataCommandInput, MetricDataResult } from "@aws-sdk/client-cloudwatch";

export interface Minute {
  enqueueCount: number;
  dispatchCount: number;
  queueSize: number;
  consumerCount: number;
}

const SERIES: Record<string, keyof Minute> = {
  enq: "enqueueCount",
  dsp: "dispatchCount",
  size: "queueSize",
  cons: "consumerCount",
};

/**
 * Answers GetMetricData the way CloudWatch would for a queue whose minutes (oldest first, ending with
 * the last complete minute before EndTime) are given; the whole load is on the first instance, as on
 * the active broker of a pair; the standby reports nothing.
 */
export function metricDataFor(minutes: readonly Minute[]) {
  return (input: GetMetricDataCommandInput) => {
    const end = Math.floor((input.EndTime?.getTime() ?? Date.now()) / 1000);
    const results: MetricDataResult[] = (input.MetricDataQueries ?? []).map((query) => {
      const [, series = "", instance = ""] = /^([a-z]+)(\d+)$/.exec(query.Id ?? "") ?? [];
      const field = SERIES[series];
      if (field === undefined || instance !== "1") return { Id: query.Id, Timestamps: [], Values: [] };
      return {
        Id: query.Id,
        Timestamps: minutes.map((_, index) => new Date((end - 60 * (minutes.length - index)) * 1000)),
        Values: minutes.map((minute) => minute[field]),
        StatusCode: "Complete",
      };
    });
    return { MetricDataResults: results };
  };
}

/** An hour of a steady queue: `rate` in and out a minute, `consumers` connected, one message each in flight. */
export function steady(rate: number, consumers: number, minutes = 60): Minute[] {
  return Array.from({ length: minutes }, () => ({
    enqueueCount: rate,
    dispatchCount: rate,
    queueSize: Math.min(consumers, 1),
    consumerCount: consumers,
  }));
}

/**
 * An hour at `served` a minute per `consumers`, whose last minutes get `arrivals` a minute: the
 * backlog grows by the difference each minute (counts stay consistent with the queue size).
 */
export function burst(served: number, consumers: number, arrivals: number, burstMinutes: number): Minute[] {
  const before = steady(served, consumers, 60 - burstMinutes).map((minute) => ({
    ...minute,
    queueSize: consumers,
  }));
  const during: Minute[] = [];
  let size = consumers;
  for (let i = 0; i < burstMinutes; i++) {
    size += arrivals - served;
    during.push({ enqueueCount: arrivals, dispatchCount: served, queueSize: size, consumerCount: consumers });
  }
  return [...before, ...during];
}
