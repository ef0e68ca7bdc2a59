import * as pulumi from "@pulumi/pulumi";

/** Key of the signature property the Pulumi RPC layer puts on special values (`rpc.specialSigKey`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value that marks a wrapped secret (`rpc.specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A value as the mock monitor hands over a secret input, and as it accepts a secret output. */
export interface WrappedSecret {
  readonly [SIG_KEY]: typeof SECRET_SIG;
  readonly value: unknown;
}

/** True when `v` is a secret in its RPC wire form `{ <sig>: <secret sig>, value }`. */
export function isWrappedSecret(v: unknown): v is WrappedSecret {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Wraps `value` so that the mock monitor resolves it as a secret Output, as the engine would. */
export function wrapSecret(value: unknown): WrappedSecret {
  return isWrappedSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** Removes every secret wrapper, at any depth, returning plain values. */
export function unwrapSecrets(v: unknown): unknown {
  if (isWrappedSecret(v)) {
    return unwrapSecrets(v.value);
  }
  if (Array.isArray(v)) {
    return v.map(unwrapSecrets);
  }
  if (typeof v === "object" && v !== null && !pulumi.isUnknown(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, unwrapSecrets(e)]));
  }
  return v;
}
