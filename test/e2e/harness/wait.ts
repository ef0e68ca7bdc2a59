/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The message of a thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** Pause between attempts. Default 1 s. */
  readonly intervalMs?: number;
  /** Checked before every attempt: a reason to stop waiting at once (e.g. the process exited). */
  readonly abort?: () => string | undefined;
}

/**
 * Polls `probe` until it returns a value other than `undefined`. A probe that throws or returns
 * `undefined` is retried; after `timeoutMs` the wait fails with the last reason, so a timeout says
 * what was still wrong.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  options: WaitOptions = {},
): Promise<T> {
  const started = Date.now();
  let last = "no attempt finished";
  for (;;) {
    const aborted = options.abort?.();
    if (aborted !== undefined) throw new Error(`${what}: ${aborted}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = "not yet";
    } catch (error) {
      last = errorMessage(error);
    }
    if (Date.now() - started >= timeoutMs) {
      throw new Error(`${what}: still not after ${Math.round(timeoutMs / 1000)}s (last: ${last})`);
    }
    await sleep(options.intervalMs ?? 1000);
  }
}
