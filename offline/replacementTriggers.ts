import * as pulumi from "@pulumi/pulumi";

/** The key of a registered resource in {@link recordReplacementTriggers}' map: `<type>::<name>`. */
export const resourceKey = (type: string, name: string): string => `${type}::${name}`;

/** The monitor request field the SDK fills from the `replacementTrigger` option. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
}

/**
 * Records the `replacementTrigger` option of every resource registered from now on, as the SDK
 * sends it to the engine (mocks do not pass resource options to `newResource`). Call right after
 * `setMocks`; fills `triggers` (a new map by default). Values are plain JSON; an unknown trigger (preview) is the engine's unknown sentinel.
 */
export function recordReplacementTriggers(triggers: Map<string, unknown> = new Map()): Map<string, unknown> {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: (...args: unknown[]) => void): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const trigger = req.getReplacementTrigger();
    if (trigger !== undefined) triggers.set(resourceKey(req.getType(), req.getName()), trigger.toJavaScript());
    register(req, callback);
  };
  return triggers;
}
