import * as pulumi from "@pulumi/pulumi";
import { rotationNow } from "./clock";
import { HOUR_MS, isReadyForRenewal } from "./renewal";

/** Inputs of a {@link RenewalCheck}: what decides when its certificate is due. */
export interface RenewalCheckInputs {
  /** The certificate's re-issue generation; a change replaces the check (the certificate is re-issued now). */
  readonly generation: pulumi.Input<string>;
  /** Validity of the certificate, in hours (`certificateValidityPeriod`). */
  readonly validityHours: pulumi.Input<number>;
  /** How long before expiry the certificate is due, in hours (`certificateRenewBefore`). */
  readonly renewBeforeHours: pulumi.Input<number>;
}

/** The state a renewal check keeps: its inputs plus the issue time and expiry it tracks. */
export interface RenewalCheckState {
  readonly generation: string;
  readonly validityHours: number;
  readonly renewBeforeHours: number;
  /** When the certificate was (re-)issued, RFC 3339: the value that re-keys it when it changes. */
  readonly issuedAt: string;
  /** `issuedAt + validityHours`, RFC 3339. */
  readonly notAfter: string;
  /** `notAfter − renewBeforeHours`, RFC 3339: from then on every preview plans a re-issue. */
  readonly renewAt: string;
}

/** The engine's placeholder for an unknown value during preview, whatever the field's type. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The state of a check issued at `issuedAt`. */
function trackedState(inputs: RenewalCheckInputs & Record<string, unknown>, issuedAt: string): RenewalCheckState {
  const validityHours = inputs.validityHours as number;
  const renewBeforeHours = inputs.renewBeforeHours as number;
  const notAfter = new Date(Date.parse(issuedAt) + validityHours * HOUR_MS).toISOString();
  const renewAt = new Date(Date.parse(notAfter) - renewBeforeHours * HOUR_MS).toISOString();
  return { generation: inputs.generation as string, validityHours, renewBeforeHours, issuedAt, notAfter, renewAt };
}

/**
 * The renewal decision as a dynamic provider. Its `diff` runs on every preview and update (no
 * refresh needed): once "now" reaches `notAfter − renewBeforeHours`, or when the generation or the
 * validity changes, it replaces the check, whose new `issuedAt` then re-keys the certificate through
 * `replacementTrigger`. It never reads the certificate it triggers (that would be a cycle): it keeps
 * the issue time and validity in its own state.
 */
export const renewalCheckProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: RenewalCheckInputs & Record<string, unknown>) {
    const issuedAt = rotationNow().toISOString();
    return { id: `renewal-${issuedAt}`, outs: trackedState(inputs, issuedAt) };
  },

  async diff(_id: string, olds: RenewalCheckState, news: RenewalCheckInputs & Record<string, unknown>) {
    const unknown = (value: unknown): boolean => value === UNKNOWN;
    const replaces: string[] = [];
    if (unknown(news.generation) || news.generation !== olds.generation) replaces.push("generation");
    if (unknown(news.validityHours) || news.validityHours !== olds.validityHours) replaces.push("validityHours");
    const renewBefore = news.renewBeforeHours;
    if (unknown(renewBefore)) {
      replaces.push("renewBeforeHours");
    } else if (isReadyForRenewal({ validityEndTime: olds.notAfter, earlyRenewalHours: renewBefore as number }, rotationNow())) {
      replaces.push("renewAt");
    }
    return { changes: replaces.length > 0 || renewBefore !== olds.renewBeforeHours, replaces, deleteBeforeReplace: false };
  },

  async update(_id: string, olds: RenewalCheckState, news: RenewalCheckInputs & Record<string, unknown>) {
    return { outs: trackedState(news, olds.issuedAt) };
  },
};

/**
 * Decides, on every `pulumi preview`, whether one leaf certificate is due for renewal; its
 * `issuedAt` is the leaf's key and certificate `replacementTrigger`. Type token
 * `pulumi-nodejs:dynamic/kubernetes-pki:RenewalCheck`.
 */
export class RenewalCheck extends pulumi.dynamic.Resource {
  /** When the tracked certificate was (re-)issued; changes exactly when it must be re-issued. */
  declare readonly issuedAt: pulumi.Output<string>;
  /** The tracked certificate's expiry, RFC 3339. */
  declare readonly notAfter: pulumi.Output<string>;
  /** From when the certificate is due, RFC 3339. */
  declare readonly renewAt: pulumi.Output<string>;

  constructor(name: string, inputs: RenewalCheckInputs, opts?: pulumi.CustomResourceOptions) {
    super(renewalCheckProvider, name, { ...inputs, issuedAt: undefined, notAfter: undefined, renewAt: undefined }, opts, "kubernetes-pki", "RenewalCheck");
  }
}
