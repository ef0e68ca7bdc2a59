import { createPublicKey } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { BasicConstraints, Certificate, id_ce_basicConstraints, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier } from "@peculiar/asn1-x509";
import { ParentCertificate } from "./certificate";
import { decodePemOfType } from "./pem";

/** A CA certificate input, read as the provider reads `caCertPem`. */
export interface CaCertificate extends ParentCertificate {
  /** Go's `IsCA`: BasicConstraints present with cA TRUE. */
  readonly isCa: boolean;
}

/**
 * The provider's `parseCertificate`: the first PEM block must be `CERTIFICATE` (later blocks are
 * ignored); the subject, public key, SKID and CA flag are read from it. The subject is re-encoded
 * from the parsed structure, which reproduces the original bytes for DER input.
 */
export function parseCaCertificatePem(text: string): CaCertificate {
  const der = decodePemOfType(text, "CERTIFICATE");
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (e) {
    throw new Error(`failed to parse certificate: x509: malformed certificate (${(e as Error).message})`);
  }
  const tbs = cert.tbsCertificate;
  const extension = (oid: string) => tbs.extensions?.find((x) => x.extnID === oid);
  const basic = extension(id_ce_basicConstraints);
  const skid = extension(id_ce_subjectKeyIdentifier);
  const skidBytes = skid && Buffer.from(AsnConvert.parse(skid.extnValue.buffer, SubjectKeyIdentifier).buffer);
  const publicKeySpki = Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  createPublicKey({ key: publicKeySpki, format: "der", type: "spki" }); // throws on a key Node cannot read
  return {
    subject: tbs.subject,
    publicKeySpki,
    subjectKeyId: skidBytes !== undefined && skidBytes.length > 0 ? skidBytes : undefined,
    isCa: basic !== undefined && AsnConvert.parse(basic.extnValue.buffer, BasicConstraints).cA,
  };
}
