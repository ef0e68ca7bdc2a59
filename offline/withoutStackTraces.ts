/**
 * Runs `work` with V8 stack traces neither collected nor formatted. Pulumi's runtime records a stack
 * trace on every promise it tracks (to report leaked promises) and a full one for every resource it
 * registers (source positions for the engine's display). Offline there is no engine to show them,
 * and the tools print error messages, not stacks; formatting them was the largest cost per resource
 * and kept a string per pending promise in memory. Errors keep their name and message.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
  const { stackTraceLimit, prepareStackTrace } = Error;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (error: Error): string => String(error);
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
}
