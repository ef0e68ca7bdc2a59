import { Extension, readExtensions } from "./extension";
import { childrenOf, expectTag, readOne, Tlv } from "./read";
import { contextTag, TAG } from "./tags";

/** The parts of an X.509 certificate the emulator and the checks read, as DER views into the input. */
export interface CertificateFields {
  /** The subject `Name`, exactly as encoded. */
  readonly subject: Buffer;
  /** The `SubjectPublicKeyInfo`, exactly as encoded. */
  readonly subjectPublicKeyInfo: Buffer;
  /** The v3 extensions in order; empty when there are none. */
  readonly extensions: readonly Extension[];
}

/**
 * Reads `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }` and the
 * TBSCertificate fields up to the extensions, checking each field's tag. The signature is not checked.
 */
export function readCertificateFields(der: Buffer): CertificateFields {
  const [tbs, algorithm, signature, ...extra] = childrenOf(readOne(der, TAG.SEQUENCE, "certificate"), TAG.SEQUENCE, "certificate");
  expectTag(algorithm, TAG.SEQUENCE, "signatureAlgorithm");
  expectTag(signature, TAG.BIT_STRING, "signatureValue");
  if (extra.length > 0) {
    throw new Error("DER: certificate has more than three fields");
  }
  const fields = childrenOf(tbs, TAG.SEQUENCE, "tbsCertificate");
  let next = fields[0]?.tag === contextTag(0, true) ? 1 : 0;
  const take = (tag: number, what: string): Tlv => expectTag(fields[next++], tag, what);
  take(TAG.INTEGER, "serialNumber");
  take(TAG.SEQUENCE, "signature");
  take(TAG.SEQUENCE, "issuer");
  take(TAG.SEQUENCE, "validity");
  const subject = take(TAG.SEQUENCE, "subject");
  const subjectPublicKeyInfo = take(TAG.SEQUENCE, "subjectPublicKeyInfo");
  const optional = (tags: number[]): Tlv | undefined => (tags.includes(fields[next]?.tag) ? fields[next++] : undefined);
  optional([contextTag(1, false), contextTag(1, true)]);
  optional([contextTag(2, false), contextTag(2, true)]);
  const wrapped = optional([contextTag(3, true)]);
  if (next !== fields.length) {
    throw new Error("DER: unexpected field after the tbsCertificate extensions");
  }
  const extensions = wrapped === undefined ? [] : readExtensions(readOne(wrapped.contents, TAG.SEQUENCE, "extensions"));
  return { subject: subject.encoded, subjectPublicKeyInfo: subjectPublicKeyInfo.encoded, extensions };
}
