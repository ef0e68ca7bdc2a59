/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** When a certificate is due for renewal: its expiry and how long before it renewal starts. */
export interface RenewalWindow {
  /** Expiry (`notAfter`, the tls provider's `validityEndTime`), RFC 3339. */
  readonly validityEndTime: string;
  /** Hours before expiry from which the certificate is due (the tls provider's `earlyRenewalHours`). Default 0. */
  readonly earlyRenewalHours?: number;
}

/** The instant a certificate becomes due: `validityEndTime − earlyRenewalHours`. */
export function renewAt(window: RenewalWindow): Date {
  return new Date(Date.parse(window.validityEndTime) - (window.earlyRenewalHours ?? 0) * HOUR_MS);
}

/**
 * Whether a certificate is due for renewal at `now`: from `validityEndTime − earlyRenewalHours` on,
 * not a millisecond before (the tls provider's `ready_for_renewal` rule, docs/tls-provider.md §9).
 */
export function isReadyForRenewal(window: RenewalWindow, now: Date): boolean {
  return now.getTime() >= renewAt(window).getTime();
}

/**
 * Whether a certificate is due the moment it is created: validity 0, or a renewal window at least
 * as long as the validity (every later update would re-issue it).
 */
export function createTimeReadyForRenewal(inputs: { validityPeriodHours: number; earlyRenewalHours?: number }): boolean {
  return inputs.validityPeriodHours === 0 || (inputs.earlyRenewalHours ?? 0) >= inputs.validityPeriodHours;
}
