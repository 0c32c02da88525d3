import { waitingMessages } from "./metrics.js";
import type { History } from "./policy-history.js";

export interface LateTally {
  /** Messages that arrived in the clean windows of the history read. */
  arrivals: number;
  /** Of those, how many have waited past the target by the end of the latest minute. */
  late: number;
}

/**
 * How many of the messages the history shows arriving have waited past `targetSeconds` so far: taken after
 * longer, or still waiting and already older. First in, first out, a message joining the queue at a
 * minute's end is taken once the messages waiting then (queue size less those in flight) have been
 * dispatched: the minutes after it are walked through, their dispatch counts taken in turn (a missing
 * minute at the rate of the one before). One still waiting at the latest minute's end has waited that
 * long so far; what it will wait is the flap guard's own estimate, not this tally's. Within a minute the
 * wait moves in a straight line from its start (the minute before's end) to its end, and the minute's
 * arrivals count late for the share of it in which the wait is past the target. A fluid estimate, like
 * the wait model.
 */
export function lateInHistory(history: History, targetSeconds: number): LateTally {
  const { latestStart, spanMinutes, clean } = history;
  const first = latestStart - 60 * (spanMinutes - 1);
  const dispatched: (number | undefined)[] = [];
  for (let s = first; s <= latestStart; s += 60) dispatched.push(clean(s)?.dispatchCount);
  const waitAfter = (index: number, waiting: number): number => {
    let left = waiting;
    let seconds = 0;
    let rate = dispatched[index] ?? 0;
    for (let k = index + 1; k < dispatched.length; k++) {
      if (left <= 0) break;
      rate = dispatched[k] ?? rate;
      if (left <= rate) return seconds + (60 * left) / rate;
      left -= rate;
      seconds += 60;
    }
    return seconds;
  };
  let arrivals = 0;
  let late = 0;
  let before: number | undefined;
  for (let i = 0; i < dispatched.length; i++) {
    const window = clean(first + 60 * i);
    if (!window) {
      before = undefined;
      continue;
    }
    const after = waitAfter(i, waitingMessages(window));
    arrivals += window.enqueueCount;
    late += window.enqueueCount * shareAbove(before ?? after, after, targetSeconds);
    before = after;
  }
  return { arrivals, late };
}

/** Share of a straight line from `from` to `to` that lies above `limit`. */
function shareAbove(from: number, to: number, limit: number): number {
  if (from <= limit && to <= limit) return 0;
  if (from > limit && to > limit) return 1;
  return from > limit ? (from - limit) / (from - to) : (to - limit) / (to - from);
}
