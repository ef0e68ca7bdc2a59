import * as pulumi from "@pulumi/pulumi";
import { unwrapSecrets, wrapSecret } from "./secret";
import { PlainInputs } from "./validate";

/** What a resource handler gets besides its inputs. */
export interface CreateContext {
  /** True in a create-preview: outputs the provider reports as unknown are left out of state. */
  readonly preview: boolean;
  /** "Now", as the provider's `time.Now()`. */
  readonly now: Date;
  /** Receives provider warnings (e.g. a non-CA issuer). */
  readonly warn: (message: string) => void;
}

/** A handler's answer: the resource id (`undefined` while unknown) and its full state. */
export interface CreateResult {
  readonly id: string | undefined;
  readonly state: Record<string, unknown>;
}

/** Raw inputs as the mock monitor delivers them (secrets wrapped) and the same inputs as plain values. */
export interface ResourceInputs {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly plain: PlainInputs;
}

/** Splits the monitor's inputs into their raw and plain forms. */
export function resourceInputs(raw: Readonly<Record<string, unknown>>): ResourceInputs {
  return { raw, plain: unwrapSecrets(raw) as PlainInputs };
}

/**
 * The state the provider stores before computing anything: every input echoed (secret inputs
 * stay wrapped, so they come back secret), defaults filled in for absent inputs, and the named
 * secret inputs wrapped even if the program passed them plain.
 */
export function echoState(
  inputs: ResourceInputs, defaults: Readonly<Record<string, unknown>>, secrets: readonly string[],
): Record<string, unknown> {
  const state: Record<string, unknown> = { ...inputs.raw };
  for (const [prop, value] of Object.entries(defaults)) {
    if (state[prop] === undefined) {
      state[prop] = value;
    }
  }
  for (const prop of secrets) {
    if (state[prop] !== undefined) {
      state[prop] = wrapSecret(state[prop]);
    }
  }
  return state;
}

/** A plain input that is known (not `undefined` and not the preview unknown). */
export function isKnown(v: unknown): boolean {
  return v !== undefined && !pulumi.containsUnknowns(v);
}

/** Prefixes an error with the provider's diagnostic summary: `<summary>: <detail>`. */
export function withSummary<T>(summary: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${summary}: ${(e as Error).message}`);
  }
}
