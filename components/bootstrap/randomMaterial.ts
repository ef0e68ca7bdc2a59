import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { childName } from "../naming";
import { BootstrapPlan, TokenPlan } from "./plan";
import { rfc3339, tokenPeriod } from "./tokenSchedule";

/** One generation of a bootstrap token: its random id and secret, and when it expires. */
export interface IssuedToken {
  readonly plan: TokenPlan;
  /** `[a-z0-9]{6}`. Public (kubeadm lists token ids); wrapped secret by the outputs that carry it with the secret. */
  readonly id: pulumi.Output<string>;
  /** `[a-z0-9]{16}`. Secret. */
  readonly secret: pulumi.Output<string>;
  /** RFC 3339 UTC expiration of this generation. */
  readonly expiration: string;
}

/** One encryption key: its name and provider, and 32 random bytes in base64 (secret). */
export interface IssuedEncryptionKey {
  readonly name: string;
  readonly provider: "secretbox" | "aescbc" | "aesgcm";
  readonly secret: pulumi.Output<string>;
}

/** `[a-z0-9]` strings, as bootstrap token ids and secrets are (`BootstrapTokenPattern`). */
const LOWER_ALPHANUMERIC = { lower: true, upper: false, numeric: true, special: false } as const;

/**
 * The random parts of every token, from `@pulumi/random` (a cryptographic source). Each token's
 * generation (see `tokenPeriod`) is a keeper: when `now` enters the next generation, preview plans
 * a new id and secret and a new expiration, `renewBefore` hours before the old token expires.
 */
export function issueTokens(component: string, plan: BootstrapPlan, now: Date, parent: pulumi.Resource): IssuedToken[] {
  return plan.tokens.map((token) => {
    const period = tokenPeriod(now, token.ttlHours, token.renewBeforeHours);
    const keepers = { issuedAt: rfc3339(period.issuedAt) };
    const name = childName(component, `bootstrap-token-${token.name}`);
    const id = new random.RandomString(`${name}-id`, { length: 6, ...LOWER_ALPHANUMERIC, keepers }, { parent });
    const secret = new random.RandomPassword(`${name}-secret`, { length: 16, ...LOWER_ALPHANUMERIC, keepers }, { parent });
    return { plan: token, id: id.result, secret: pulumi.secret(secret.result), expiration: rfc3339(period.expiresAt) };
  });
}

/** 32 random bytes per encryption key, keyed by key name: reordering keys (a rotation step) re-creates none. */
export function issueEncryptionKeys(component: string, plan: BootstrapPlan, parent: pulumi.Resource): IssuedEncryptionKey[] {
  return (plan.encryption?.keys ?? []).map((key) => {
    const bytes = new random.RandomBytes(childName(component, `encryption-key-${key.name}`), { length: 32 }, { parent });
    return { name: key.name, provider: key.provider, secret: pulumi.secret(bytes.base64) };
  });
}
