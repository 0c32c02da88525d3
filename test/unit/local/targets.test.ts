import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { realTimer, retryDelayMs } from "../../../local/targets.js";

describe("realTimer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse("2026-11-30T12:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits longer than setTimeout's 2^31-1 ms limit by re-arming", () => {
    const fired = vi.fn();
    const delay = 40 * 86_400_000; // 40 days, beyond the ~24.8 days setTimeout can wait
    realTimer(fired, delay);
    vi.advanceTimersByTime(2 ** 31);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(delay - 2 ** 31 - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("can be cancelled, before or after a re-arm", () => {
    const fired = vi.fn();
    const timer = realTimer(fired, 30 * 86_400_000);
    vi.advanceTimersByTime(2 ** 31);
    timer.cancel();
    vi.advanceTimersByTime(30 * 86_400_000);
    expect(fired).not.toHaveBeenCalled();
  });
});

describe("retryDelayMs", () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [5, 16_000],
    [9, 256_000],
    [10, 300_000],
    [185, 300_000],
  ])("waits before retry %i: %i ms", (retry, delay) => {
    expect(retryDelayMs(retry)).toBe(delay);
  });
});
