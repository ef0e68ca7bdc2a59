import { createCertificate } from "./certificate";
import { parseCsrPem } from "./csr";
import { ParsedPrivateKey, parsePrivateKeyPem } from "./keys";
import { CaCertificate, parseCaCertificatePem } from "./parentCertificate";
import { CreateContext, CreateResult, echoState, resourceInputs, withSummary } from "./resourceState";
import { CERT_DEFAULTS, plannedReadyForRenewal } from "./selfSignedCert";
import { LOCALLY_SIGNED_CERT } from "./tokens";
import { validateInputs } from "./validate";


/** The provider's warning for an issuer whose certificate is not a CA (creation continues). */
export const NON_CA_WARNING = "Potentially Invalid Certificate Authority: Certificate provided as Authority does not " +
  "appear to be a valid Certificate Authority. The resulting certificate might fail certificate validation.";

/**
 * Creates a `tls.LocallySignedCert`: takes only the subject (re-encoded) and SANs from the CSR,
 * without verifying its signature; checks the CA key against the CA certificate; warns on a
 * non-CA issuer. Outputs `certPem`, `caKeyAlgorithm`, validity times, `readyForRenewal`;
 * id = decimal serial.
 */
export function createLocallySignedCertResource(rawInputs: Record<string, unknown>, ctx: CreateContext): CreateResult {
  const inputs = resourceInputs(rawInputs);
  const p = inputs.plain;
  validateInputs(LOCALLY_SIGNED_CERT, p);
  const state = {
    ...echoState(inputs, CERT_DEFAULTS, ["caPrivateKeyPem"]),
    ...plannedReadyForRenewal(p),
  };
  if (ctx.preview) {
    return { id: undefined, state };
  }
  const csr = withSummary("Failed to parse certificate request PEM", () => parseCsrPem(p.certRequestPem as string));
  const { ca, caCert } = parsedIssuer(p.caPrivateKeyPem as string, p.caCertPem as string);
  if (!caCert.isCa) {
    ctx.warn(NON_CA_WARNING);
  }
  const cert = createCertificate({
    subject: csr.subject,
    sans: csr.sans,
    allowedUses: p.allowedUses as string[],
    validityPeriodHours: p.validityPeriodHours as number,
    isCaCertificate: p.isCaCertificate === true,
    maxPathLength: p.maxPathLength as number | undefined,
    setSubjectKeyId: p.setSubjectKeyId === true,
    setAuthorityKeyId: false,
  }, csr.publicKey, ca.key, caCert, ctx.now);
  return {
    id: cert.serial.toString(10),
    state: {
      ...state, caKeyAlgorithm: ca.algorithm, certPem: cert.pem,
      validityStartTime: cert.validityStartTime, validityEndTime: cert.validityEndTime,
    },
  };
}

/** A CA's key and certificate, parsed. */
interface ParsedIssuer {
  readonly ca: ParsedPrivateKey;
  readonly caCert: CaCertificate;
}

/** Issuers parsed lately, by their PEM texts: a cluster signs thousands of leaves with a few CAs. */
const parsedIssuers = new Map<string, ParsedIssuer>();
const PARSED_ISSUERS_KEPT = 8;

/** The CA key and certificate inputs parsed (key first, as the provider), each parsed once per process. */
function parsedIssuer(keyPem: string, certPem: string): ParsedIssuer {
  const cacheKey = `${keyPem}\u0000${certPem}`;
  const cached = parsedIssuers.get(cacheKey);
  if (cached !== undefined) return cached;
  const ca = withSummary("Failed to parse CA private key PEM", () => parsePrivateKeyPem(keyPem));
  const caCert = withSummary("Failed to parse CA certificate PEM", () => parseCaCertificatePem(certPem));
  if (parsedIssuers.size >= PARSED_ISSUERS_KEPT) parsedIssuers.delete(parsedIssuers.keys().next().value as string);
  parsedIssuers.set(cacheKey, { ca, caCert });
  return { ca, caCert };
}
