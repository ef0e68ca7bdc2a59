import { createCsr } from "./csr";
import { hashForState } from "./ids";
import { parsePrivateKeyPem } from "./keys";
import { CreateContext, CreateResult, echoState, resourceInputs, withSummary } from "./resourceState";
import { sansFromInputs } from "./sans";
import { CertSubject, pkixNameFromSubject } from "./subject";
import { CERT_REQUEST } from "./tokens";
import { validateInputs } from "./validate";


/**
 * Creates a `tls.CertRequest`: validates, echoes inputs (`privateKeyPem` secret), parses the
 * key, builds and signs the CSR.
 * Outputs `certRequestPem` and `keyAlgorithm`; id = hex SHA-1 of the (Go-TrimSpace'd) CSR DER.
 */
export function createCertRequestResource(rawInputs: Record<string, unknown>, ctx: CreateContext): CreateResult {
  const inputs = resourceInputs(rawInputs);
  const p = inputs.plain;
  validateInputs(CERT_REQUEST, p);
  const state = echoState(inputs, {}, ["privateKeyPem"]);
  if (ctx.preview) {
    return { id: undefined, state };
  }
  const { key, algorithm } = withSummary("Failed to parse private key PEM",
    () => parsePrivateKeyPem(p.privateKeyPem as string));
  const sans = sansFromInputs(p.dnsNames as string[] | undefined, p.ipAddresses as string[] | undefined, p.uris as string[] | undefined);
  const csr = withSummary("Error creating certificate request",
    () => createCsr(pkixNameFromSubject(p.subject as CertSubject | undefined), sans, key));
  return { id: hashForState(csr.der), state: { ...state, keyAlgorithm: algorithm, certRequestPem: csr.pem } };
}
