import * as debuggable from "@pulumi/pulumi/runtime/debuggable";

/** The runtime's module that wraps every promise it tracks, as its exports object (writable in CommonJS). */
const tracking = debuggable as { debuggablePromise: <T>(promise: Promise<T>, context: string) => Promise<T> };

/**
 * Runs `work` without the debugging aids Pulumi's runtime pays for on every resource: V8 stack traces
 * are neither collected nor formatted, and promises are not tracked. The runtime records a full
 * stack trace for every resource it registers (source positions for the engine's display), and
 * wraps every promise it makes (four per output property of every resource) to report leaked ones
 * at exit: three properties, a context string, two more promises and a set entry each, all held
 * until the program's last resource is answered. Offline there is no engine to show them, the tools
 * print error messages, not stacks, and a render that ends has leaked nothing worth a report; at
 * 1,000 nodes these aids were most of the memory held and of the collector's time. Errors keep
 * their name and message.
 */
export async function withoutDebugging<T>(work: () => Promise<T>): Promise<T> {
  const { stackTraceLimit, prepareStackTrace } = Error;
  const { debuggablePromise } = tracking;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (error: Error): string => String(error);
  tracking.debuggablePromise = (promise) => promise;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
    tracking.debuggablePromise = debuggablePromise;
  }
}
