import { createPublicKey } from "node:crypto";
import { CertificateFields, readCertificateFields } from "../der/certificateFields";
import { EXTENSION_OIDS } from "../der/extension";
import { readBasicConstraintsCa, readSubjectKeyIdentifier } from "../der/extensionValues";
import { ParentCertificate } from "./certificate";
import { decodePemOfType } from "./pem";

/** A CA certificate input, read as the provider reads `caCertPem`. */
export interface CaCertificate extends ParentCertificate {
  /** Go's `IsCA`: BasicConstraints present with cA TRUE. */
  readonly isCa: boolean;
}

/**
 * The provider's `parseCertificate`: the first PEM block must be `CERTIFICATE` (later blocks are
 * ignored); the subject (its raw DER), public key, SKID and CA flag are read from it.
 */
export function parseCaCertificatePem(text: string): CaCertificate {
  const der = decodePemOfType(text, "CERTIFICATE");
  let cert: CertificateFields;
  let skid: Buffer | undefined;
  let isCa: boolean;
  try {
    cert = readCertificateFields(der);
    const extension = (oid: string) => cert.extensions.find((x) => x.oid === oid);
    const skidExtension = extension(EXTENSION_OIDS.subjectKeyIdentifier);
    skid = skidExtension && readSubjectKeyIdentifier(skidExtension.value);
    const basic = extension(EXTENSION_OIDS.basicConstraints);
    isCa = basic !== undefined && readBasicConstraintsCa(basic.value);
  } catch (e) {
    throw new Error(`failed to parse certificate: x509: malformed certificate (${(e as Error).message})`);
  }
  createPublicKey({ key: cert.subjectPublicKeyInfo, format: "der", type: "spki" }); // throws on a key Node cannot read
  return {
    subject: Buffer.from(cert.subject),
    publicKeySpki: Buffer.from(cert.subjectPublicKeyInfo),
    subjectKeyId: skid !== undefined && skid.length > 0 ? Buffer.from(skid) : undefined,
    isCa,
  };
}
