import { childrenOf, readBoolean, readNamedBits, readOne } from "./read";
import { contextTag, TAG } from "./tags";

/** basicConstraints cA: the optional leading BOOLEAN of the extension's SEQUENCE (absent is FALSE). */
export function readBasicConstraintsCa(value: Buffer): boolean {
  const [first] = childrenOf(readOne(value, TAG.SEQUENCE, "basicConstraints"), TAG.SEQUENCE, "basicConstraints");
  return first?.tag === TAG.BOOLEAN && readBoolean(first, "basicConstraints cA");
}

/** The key identifier bytes of a subjectKeyIdentifier extension value (an OCTET STRING). */
export function readSubjectKeyIdentifier(value: Buffer): Buffer {
  return readOne(value, TAG.OCTET_STRING, "subjectKeyIdentifier").contents;
}

/** The keyIdentifier `[0]` of an authorityKeyIdentifier extension value, if present. */
export function readAuthorityKeyIdentifier(value: Buffer): Buffer | undefined {
  const fields = childrenOf(readOne(value, TAG.SEQUENCE, "authorityKeyIdentifier"), TAG.SEQUENCE, "authorityKeyIdentifier");
  return fields.find((field) => field.tag === contextTag(0, false))?.contents;
}

/** The bits of a keyUsage extension value as a number (bit n, RFC 5280 numbering, is `1 << n`). */
export function readKeyUsageBits(value: Buffer): number {
  return readNamedBits(readOne(value, TAG.BIT_STRING, "keyUsage"), "keyUsage");
}
