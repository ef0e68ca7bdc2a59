import { PRIVATE_KEY } from "./tls/tokens";
import { RegistrationCounts } from "./tlsEmulator";

/** How long a render runs before it shows progress: a few ECDSA nodes finish sooner; RSA keys never do. */
const QUIET_FOR_MS = 1_000;
const REFRESH_MS = 250;

/** What the progress line says. */
export interface ProgressSnapshot {
  readonly keysMade: number;
  readonly keysRequested: number;
  /** CSRs and certificates answered, and asked for so far. */
  readonly signed: number;
  readonly signingRequested: number;
  readonly elapsedMs: number;
}

/**
 * The progress line: keys made of keys asked for, requests and certificates signed, elapsed, and an
 * estimate from the rate so far of what dominates (key generation while keys remain, then signing).
 */
export function formatProgress(s: ProgressSnapshot): string {
  const [done, asked] = s.keysMade < s.keysRequested ? [s.keysMade, s.keysRequested] : [s.signed, s.signingRequested];
  const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
  const estimate = done > 0 && asked > done ? `, about ${seconds((s.elapsedMs * (asked - done)) / done)} left` : "";
  return `keys ${s.keysMade}/${s.keysRequested}, certificates and requests ${s.signed}/${s.signingRequested}, ` +
    `${seconds(s.elapsedMs)} elapsed${estimate}`;
}

function snapshot(counts: RegistrationCounts, started: number): ProgressSnapshot {
  const sum = (map: ReadonlyMap<string, number>): number => {
    let total = 0;
    for (const [type, n] of map) if (type.startsWith("tls:") && type !== PRIVATE_KEY) total += n;
    return total;
  };
  return {
    keysMade: counts.answered.get(PRIVATE_KEY) ?? 0,
    keysRequested: counts.requested.get(PRIVATE_KEY) ?? 0,
    signed: sum(counts.answered),
    signingRequested: sum(counts.requested),
    elapsedMs: Date.now() - started,
  };
}

/**
 * Shows the emulator's progress on one rewritten line of `stream` once the render has run for a
 * second, and only when `stream` is a terminal. Returns the function that stops it and clears the line.
 */
export function showProgress(counts: RegistrationCounts, stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY) return () => undefined;
  const started = Date.now();
  let shown = false;
  const timer = setInterval(() => {
    const now = snapshot(counts, started);
    if (now.elapsedMs < QUIET_FOR_MS) return;
    shown = true;
    stream.write(`\r\x1b[2K${formatProgress(now)}`);
  }, REFRESH_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (shown) stream.write("\r\x1b[2K");
  };
}
