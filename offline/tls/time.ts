const HOUR_MS = 3_600_000;

/**
 * Formats an instant as Go's `time.Time.MarshalText` does for a UTC time: RFC 3339 with the
 * fractional seconds trimmed of trailing zeros (`.120` → `.12`, `.000` → nothing) and `Z`.
 * JavaScript dates carry milliseconds, so at most three fraction digits appear.
 */
export function formatRfc3339(instant: Date): string {
  const iso = instant.toISOString(); // 2026-01-02T03:04:05.120Z
  const [whole, fraction] = iso.slice(0, -1).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return trimmed === "" ? `${whole}Z` : `${whole}.${trimmed}Z`;
}

/** `start + hours`, exactly, as Go's `Time.Add(hours * time.Hour)`. */
export function addHours(start: Date, hours: number): Date {
  return new Date(start.getTime() + hours * HOUR_MS);
}
