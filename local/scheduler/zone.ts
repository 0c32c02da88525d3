/** Wall-clock arithmetic in IANA time zones through Intl (no time zone database of our own). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Intl knows the zone (`UTC`, `Europe/Paris`, …). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in the zone at an instant. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const asUtc = (wall: WallClock) =>
  Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/** The zone's offset from UTC at an instant, in ms (east positive). */
export function offsetMs(ms: number, timeZone: string): number {
  return asUtc(wallClock(Math.floor(ms / 1000) * 1000, timeZone)) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in the zone. A time that occurs twice (autumn) is its first
 * occurrence; one that does not occur (spring) is undefined.
 */
export function instantOf(wall: WallClock, timeZone: string): number | undefined {
  const local = asUtc(wall);
  const candidates = new Set([
    local - offsetMs(local - 12 * 3_600_000, timeZone),
    local - offsetMs(local + 12 * 3_600_000, timeZone),
  ]);
  const matching = [...candidates].filter((instant) => asUtc(wallClock(instant, timeZone)) === local);
  return matching.length === 0 ? undefined : Math.min(...matching);
}

/** Whether the wall-clock time at this instant already occurred earlier (the repeated autumn hour). */
export function isRepeatedWallClock(ms: number, timeZone: string): boolean {
  const shift = offsetMs(ms - 12 * 3_600_000, timeZone) - offsetMs(ms, timeZone);
  return shift > 0 && asUtc(wallClock(ms - shift, timeZone)) === asUtc(wallClock(ms, timeZone));
}
