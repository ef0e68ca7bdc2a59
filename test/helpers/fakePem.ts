/** A PEM-shaped placeholder (not a key), for tests of code that only moves PEM text around. */
export function fakePem(label: string, body: string): string {
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
