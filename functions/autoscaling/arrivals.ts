import type { CompleteWindow } from "./metrics.js";

/** Looks up the clean window starting at an epoch second, if there is one. */
export type CleanWindows = (start: number) => CompleteWindow | undefined;

/** Mean arrivals per minute over the clean windows among the `minutes` ending with `latest`. */
export function meanArrivals(latest: number, minutes: number, clean: CleanWindows): number | undefined {
  let sum = 0;
  let seen = 0;
  for (let s = latest - 60 * (minutes - 1); s <= latest; s += 60) {
    const window = clean(s);
    if (!window) continue;
    sum += window.enqueueCount;
    seen++;
  }
  return seen === 0 ? undefined : sum / seen;
}

/**
 * The highest mean arrival rate of any `span` consecutive minutes that ended within the last `lookback`
 * minutes. A load that came and went in that time may come back: a square wave, a recurring burst.
 * Spans shorter than the wait allowance would overstate the need (the backlog absorbs them), so callers
 * pick a span about as long as the time a fleet must hold before it may change direction.
 */
export function highestSpanRate(
  latest: number,
  lookback: number,
  span: number,
  clean: CleanWindows,
): number | undefined {
  let highest: number | undefined;
  for (let end = 0; end < lookback; end++) {
    const mean = meanArrivals(latest - 60 * end, span, clean);
    if (mean !== undefined && (highest === undefined || mean > highest)) highest = mean;
  }
  return highest;
}

/** Per-minute arrivals of the clean windows among the last `minutes`, with their offsets (0 = latest). */
export function recentArrivals(
  latest: number,
  minutes: number,
  clean: CleanWindows,
): { offsets: number[]; rates: number[] } {
  const offsets: number[] = [];
  const rates: number[] = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const window = clean(latest - 60 * i);
    if (!window) continue;
    offsets.push(-i);
    rates.push(window.enqueueCount);
  }
  return { offsets, rates };
}

export interface LineFit {
  /** Change per minute. */
  slope: number;
  /** Standard error of the slope. */
  slopeError: number;
  /** The fitted value at x = 0 (the latest minute). */
  now: number;
  /** Standard deviation of the values around the line. */
  residual: number;
}

/** Least-squares line through (xs, ys); undefined with fewer than four points. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit | undefined {
  const n = xs.length;
  if (n < 4) return undefined;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - meanX;
    sxy += dx * ((ys[i] ?? 0) - meanY);
    sxx += dx * dx;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  let residuals = 0;
  for (let i = 0; i < n; i++) {
    const fitted = meanY + slope * ((xs[i] ?? 0) - meanX);
    residuals += ((ys[i] ?? 0) - fitted) ** 2;
  }
  const variance = residuals / (n - 2);
  return {
    slope,
    slopeError: sxx === 0 ? Number.POSITIVE_INFINITY : Math.sqrt(variance / sxx),
    now: meanY - slope * meanX,
    residual: Math.sqrt(variance),
  };
}

/**
 * Separate stretches of `rates` (arrivals per minute, oldest first) above `threshold`. Two or more mean a
 * load that comes and goes: a square wave, recurring bursts. One is a single episode, such as a burst,
 * that has no reason to return.
 */
export function stretchesAbove(rates: readonly number[], threshold: number): number {
  let stretches = 0;
  let inside = false;
  for (const rate of rates) {
    if (rate > threshold && !inside) stretches++;
    inside = rate > threshold;
  }
  return stretches;
}

/** A fitted fall at least this many standard errors of its slope is a fall, not noise. */
const DECLINE_ERRORS = 3;
/**
 * Above this lag-one autocorrelation, what is left around the fitted line is not noise: a random walk or a
 * square wave stays on one side of the line for minutes at a time, noise does not.
 */
const NOISE_AUTOCORRELATION = 0.3;

/**
 * `rates` (at `offsets` minutes from the latest, oldest first) as they stand now, when they fall steadily:
 * each minute less the fall of the fitted line since. Steadily: the line falls clearly, and what is left
 * around it is noise. Undefined otherwise (a load that drifts, swings or rises).
 */
export function steadyDecline(offsets: readonly number[], rates: readonly number[]): number[] | undefined {
  const fit = fitLine(offsets, rates);
  if (!fit || !(fit.slope < -DECLINE_ERRORS * fit.slopeError)) return undefined;
  const residuals = rates.map((rate, i) => rate - (fit.now + fit.slope * (offsets[i] ?? 0)));
  let lagged = 0;
  let squares = 0;
  for (let i = 0; i < residuals.length; i++) {
    squares += (residuals[i] ?? 0) ** 2;
    if (i > 0) lagged += (residuals[i] ?? 0) * (residuals[i - 1] ?? 0);
  }
  if (squares > 0 && lagged / squares > NOISE_AUTOCORRELATION) return undefined;
  return rates.map((rate, i) => Math.max(0, rate - fit.slope * (offsets[i] ?? 0)));
}

/**
 * The separate stretches of minutes with arrivals among the clean windows of the last `minutes`, each
 * with the messages it brought (a missing window does not split a stretch).
 */
export function arrivalEpisodes(latest: number, minutes: number, clean: CleanWindows): number[] {
  const episodes: number[] = [];
  let inside = false;
  for (let i = minutes - 1; i >= 0; i--) {
    const window = clean(latest - 60 * i);
    if (!window) continue;
    const busy = window.enqueueCount > 0;
    if (busy && !inside) episodes.push(0);
    if (busy) episodes[episodes.length - 1] = (episodes.at(-1) ?? 0) + window.enqueueCount;
    inside = busy;
  }
  return episodes;
}

/**
 * How far the level of `rates` (arrivals per minute, oldest first) rises in `gap` minutes when it rises: the
 * root mean square of the rises of the `span`-minute mean over `gap` minutes, across the rates given.
 * Minute-to-minute noise adds a little (it averages out over the span); a load that drifts up and down,
 * such as a random walk, adds how far it went up. Falls do not count: a load that stepped down has not
 * shown that it rises. 0 with too few rates or no rise.
 */
export function levelRise(rates: readonly number[], span: number, gap: number): number {
  const means: number[] = [];
  let sum = 0;
  for (let i = 0; i < rates.length; i++) {
    sum += rates[i] ?? 0;
    if (i >= span) sum -= rates[i - span] ?? 0;
    if (i >= span - 1) means.push(sum / span);
  }
  let squares = 0;
  let count = 0;
  for (let i = gap; i < means.length; i++) {
    const rise = (means[i] ?? 0) - (means[i - gap] ?? 0);
    if (rise <= 0) continue;
    squares += rise ** 2;
    count++;
  }
  return count > 0 ? Math.sqrt(squares / count) : 0;
}
