/**
 * Test-only: an RFC 3339 instant that replaces the system clock in every renewal decision of this
 * package (the renewal checks, the CA expiry warnings, the expiry report). Never set it in a real
 * stack: certificates would be renewed by the wrong calendar.
 */
export const CLOCK_ENV = "KUBERNETES_PKI_TEST_NOW";

/** "Now" for renewal decisions: {@link CLOCK_ENV} when set (tests), otherwise the system clock. */
export function rotationNow(): Date {
  const override = process.env[CLOCK_ENV];
  if (override === undefined || override === "") return new Date();
  const parsed = new Date(override);
  if (Number.isNaN(parsed.getTime())) throw new Error(`${CLOCK_ENV}: ${JSON.stringify(override)} is not an RFC 3339 time`);
  return parsed;
}
