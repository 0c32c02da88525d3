/**
 * The smallest fleet (at least 1) for which `carries` holds, `carries` being monotone: it holds for
 * every fleet larger than one that does. Doubling finds an upper bound, bisection the edge. Pure.
 */
export function fewestConsumers(carries: (consumers: number) => boolean): number {
  let high = 1;
  while (!carries(high)) high *= 2;
  let low = 0;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (carries(middle)) high = middle;
    else low = middle;
  }
  return high;
}
