import { randomBytes, randomInt } from "node:crypto";
import { CreateContext, CreateResult } from "../tls/resourceState";
import { unwrapSecrets, wrapSecret } from "../tls/secret";

/** `@pulumi/random` type tokens the emulator answers. */
export const RANDOM_STRING = "random:index/randomString:RandomString";
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
export const RANDOM_BYTES = "random:index/randomBytes:RandomBytes";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** The provider's defaults for `RandomString`/`RandomPassword` (every class on, no minimums). */
const STRING_DEFAULTS = { lower: true, upper: true, numeric: true, special: true, minLower: 0, minUpper: 0, minNumeric: 0, minSpecial: 0 };

/** `length` characters from the enabled classes, each drawn with `crypto.randomInt`. */
function randomText(inputs: Record<string, unknown>): string {
  const o = { ...STRING_DEFAULTS, ...inputs } as typeof STRING_DEFAULTS & { length: number; overrideSpecial?: string };
  const classes = [
    { on: o.lower, chars: LOWER, min: o.minLower },
    { on: o.upper, chars: UPPER, min: o.minUpper },
    { on: o.numeric, chars: DIGITS, min: o.minNumeric },
    { on: o.special, chars: o.overrideSpecial ?? SPECIAL, min: o.minSpecial },
  ].filter((c) => c.on);
  if (!Number.isInteger(o.length) || o.length < 1) throw new Error(`length: ${JSON.stringify(o.length)} must be an integer of at least 1`);
  if (classes.length === 0) throw new Error("the character set is empty: enable lower, upper, numeric or special");
  const all = classes.map((c) => c.chars).join("");
  const chars = classes.flatMap((c) => Array.from({ length: c.min }, () => c.chars[randomInt(c.chars.length)]));
  while (chars.length < o.length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/**
 * `RandomString` and `RandomPassword`: the result from `crypto.randomInt` over the enabled classes;
 * a password's result is secret (the provider marks it so). In a create-preview the result is unknown.
 */
export function createRandomStringResource(secretResult: boolean) {
  return (inputs: Record<string, unknown>, ctx: CreateContext): CreateResult => {
    const plain = unwrapSecrets(inputs) as Record<string, unknown>;
    const state: Record<string, unknown> = { ...STRING_DEFAULTS, ...inputs };
    if (ctx.preview) return { id: undefined, state };
    const result = randomText(plain);
    state.result = secretResult ? wrapSecret(result) : result;
    return { id: secretResult ? "none" : result, state };
  };
}

/** `RandomBytes`: `length` bytes from `crypto.randomBytes`, as secret `base64` and `hex`. */
export function createRandomBytesResource(inputs: Record<string, unknown>, ctx: CreateContext): CreateResult {
  const length = (unwrapSecrets(inputs) as { length?: unknown }).length;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 1) throw new Error(`length: ${JSON.stringify(length)} must be an integer of at least 1`);
  if (ctx.preview) return { id: undefined, state: { ...inputs } };
  const bytes = randomBytes(length);
  return { id: "none", state: { ...inputs, base64: wrapSecret(bytes.toString("base64")), hex: wrapSecret(bytes.toString("hex")) } };
}
