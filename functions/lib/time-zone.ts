/**
 * The time zones Amazon MQ accepts for `maintenanceWindowStartTime.timeZone` (WeeklyStartTime):
 * "UTC by default, in either the Country/City format, or the UTC offset format" (Amazon MQ API
 * reference). One declaration for the API (functions/lib/broker-request.ts) and the local control
 * plane (local/mq/validation.ts), so the two can never disagree.
 */

/** Amazon MQ's default when the member is omitted. */
export const DEFAULT_TIME_ZONE = "UTC";

/**
 * The UTC offset format: `UTC+05:30`, `UTC-08:00`, or the bare `+05:30`. Offsets in use on Earth
 * run from -12:00 to +14:00; minutes are 00, 15, 30 or 45 (Asia/Kathmandu is +05:45).
 */
const UTC_OFFSET = /^(?:UTC)?([+-])(0\d|1[0-4]):(00|15|30|45)$/;

/** IANA's continent and ocean areas: the "Country/City" format is `<Area>/<Location>`. */
const IANA_AREA =
  /^(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)(?:\/[A-Z][A-Za-z0-9_+-]*){1,2}$/;

/** IANA names this runtime knows (canonical spellings; aliases such as Asia/Kolkata resolve to them). */
const CANONICAL_ZONES = new Set(Intl.supportedValuesOf("timeZone"));

function resolvesInIcu(name: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    return CANONICAL_ZONES.has(resolved) || resolved === name;
  } catch {
    return false;
  }
}

/** Whether `value` is a time zone Amazon MQ accepts: `UTC`, a UTC offset, or an IANA Area/Location name. */
export function isMaintenanceTimeZone(value: string): boolean {
  if (value === DEFAULT_TIME_ZONE) return true;
  const offset = UTC_OFFSET.exec(value);
  if (offset !== null) {
    const [, sign, hours = "", minutes = ""] = offset;
    const total = Number(hours) * 60 + Number(minutes);
    return total <= (sign === "-" ? 12 * 60 : 14 * 60);
  }
  if (CANONICAL_ZONES.has(value)) return true;
  return IANA_AREA.test(value) && resolvesInIcu(value);
}

/** What the API and the local control plane say when a time zone is refused. */
export const TIME_ZONE_RULE =
  "must be UTC, an IANA Country/City name (Europe/Paris) or a UTC offset (UTC+05:30, -08:00)";
