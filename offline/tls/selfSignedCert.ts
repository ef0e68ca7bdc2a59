import { createCertificate } from "./certificate";
import { parsePrivateKeyPem } from "./keys";
import { createTimeReadyForRenewal } from "../../components/rotation/renewal";
import { CreateContext, CreateResult, echoState, isKnown, resourceInputs, withSummary } from "./resourceState";
import { sansFromInputs } from "./sans";
import { CertSubject, pkixNameFromSubject } from "./subject";
import { SELF_SIGNED_CERT } from "./tokens";
import { PlainInputs, validateInputs } from "./validate";

/** Defaults shared by SelfSignedCert and LocallySignedCert (`maxPathLength` stays unset). */
export const CERT_DEFAULTS: Readonly<Record<string, unknown>> = {
  earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false,
};

/** Defaults of a SelfSignedCert: {@link CERT_DEFAULTS} and `setAuthorityKeyId: false`. */
export const SELF_SIGNED_CERT_DEFAULTS: Readonly<Record<string, unknown>> = { ...CERT_DEFAULTS, setAuthorityKeyId: false };

/** `readyForRenewal` as planned on create, when its inputs are known (docs/tls-provider.md §9(a)); else `{}` (unknown). */
export function plannedReadyForRenewal(p: PlainInputs): { readyForRenewal?: boolean } {
  const early = p.earlyRenewalHours ?? 0;
  return isKnown(p.validityPeriodHours) && isKnown(early)
    ? { readyForRenewal: createTimeReadyForRenewal({ validityPeriodHours: p.validityPeriodHours as number, earlyRenewalHours: early as number }) }
    : {};
}

/**
 * Creates a `tls.SelfSignedCert`: validates, echoes inputs with defaults, parses the key and
 * issues the certificate with issuer = subject. Outputs `certPem`, `keyAlgorithm`,
 * `validityStartTime`/`validityEndTime`, `readyForRenewal`; id = decimal serial.
 */
export function createSelfSignedCertResource(rawInputs: Record<string, unknown>, ctx: CreateContext): CreateResult {
  const inputs = resourceInputs(rawInputs);
  const p = inputs.plain;
  validateInputs(SELF_SIGNED_CERT, p);
  const state = {
    ...echoState(inputs, SELF_SIGNED_CERT_DEFAULTS, ["privateKeyPem"]),
    ...plannedReadyForRenewal(p),
  };
  if (ctx.preview) {
    return { id: undefined, state };
  }
  const { key, algorithm } = withSummary("Failed to parse private key PEM",
    () => parsePrivateKeyPem(p.privateKeyPem as string));
  const sans = sansFromInputs(p.dnsNames as string[] | undefined, p.ipAddresses as string[] | undefined, p.uris as string[] | undefined);
  const cert = createCertificate({
    subject: pkixNameFromSubject(p.subject as CertSubject | undefined),
    sans,
    allowedUses: p.allowedUses as string[],
    validityPeriodHours: p.validityPeriodHours as number,
    isCaCertificate: p.isCaCertificate === true,
    maxPathLength: p.maxPathLength as number | undefined,
    setSubjectKeyId: p.setSubjectKeyId === true,
    setAuthorityKeyId: p.setAuthorityKeyId === true,
  }, key, key, undefined, ctx.now);
  return {
    id: cert.serial.toString(10),
    state: {
      ...state, keyAlgorithm: algorithm, certPem: cert.pem,
      validityStartTime: cert.validityStartTime, validityEndTime: cert.validityEndTime,
    },
  };
}
