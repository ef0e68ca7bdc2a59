/** When one generation of a bootstrap token was issued and when it expires. */
export interface TokenPeriod {
  /** Start of the generation: the token is renewed at the start of the next one. */
  readonly issuedAt: Date;
  /** `issuedAt + ttl`: the `expiration` of the token's Secret. */
  readonly expiresAt: Date;
}

const HOUR_MS = 3_600_000;

/**
 * The token generation `now` falls in. Generations start every `ttl − renewBefore` hours (from the
 * Unix epoch), and each token lives `ttl` hours, so a token is replaced `renewBefore` hours before
 * it expires and every token has at least that long to live. `now` is passed in, never read.
 */
export function tokenPeriod(now: Date, ttlHours: number, renewBeforeHours: number): TokenPeriod {
  const stepMs = (ttlHours - renewBeforeHours) * HOUR_MS;
  const issuedAt = new Date(Math.floor(now.getTime() / stepMs) * stepMs);
  return { issuedAt, expiresAt: new Date(issuedAt.getTime() + ttlHours * HOUR_MS) };
}

/** RFC 3339 in UTC without fractions, as kubeadm writes `expiration`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
