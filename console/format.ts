/** `2026-12-01 00:21:12 UTC`: one unambiguous form, whatever the browser's locale. Pure. */
export function formatTime(date: Date | string | undefined): string {
  if (date === undefined) return "";
  const d = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return "";
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** `1 h 02 min`, `3 min 05 s`, `850 ms`: the largest two units. Pure. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** How long something ran: to its end, or to now while it runs. Pure. */
export function duration(start: Date | undefined, stop: Date | undefined, now: Date): string {
  if (start === undefined) return "";
  return formatDuration((stop ?? now).getTime() - start.getTime());
}
