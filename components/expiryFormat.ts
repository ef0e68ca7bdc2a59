const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Jan 02, 2006 15:04 UTC`, the layout of `kubeadm certs check-expiration`. */
export function formatExpiry(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** A short human duration, as Kubernetes' `duration.HumanDuration` (`45s`, `3h12m`, `364d`, `9y`); `<invalid>` when negative. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** Left-aligned columns separated by three spaces, as kubeadm's tabwriter output. */
export function formatColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join("   ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/**
 * One certificate of an expiry table, as `kubeadm certs check-expiration` lists it: the stack's
 * report (`ExpiryReportRow`) and the check of a tree on disk both extend it.
 */
export interface ExpiryRow {
  /** Catalog id: kubeadm's name (`apiserver`, `admin.conf`, `etcd-ca`, …). */
  readonly name: string;
  /** Node it was issued to or found on; `(operator)` for the operator's kubeconfigs. */
  readonly node: string;
  /** Expiry, RFC 3339. */
  readonly notAfter: string;
  /** The issuing CA (a CA: itself). */
  readonly ca: string;
  /** True for a CA certificate. */
  readonly authority: boolean;
}

/** The EXPIRES and RESIDUAL TIME cells of a row, as kubeadm prints them at `now`. */
export function expiryCells(row: ExpiryRow, now: Date): [expires: string, residualTime: string] {
  return [formatExpiry(new Date(row.notAfter)), humanDuration(Date.parse(row.notAfter) - now.getTime())];
}
