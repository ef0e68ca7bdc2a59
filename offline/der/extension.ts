import { childrenOf, expectTag, readBoolean, readOid, Tlv } from "./read";
import { TAG } from "./tags";
import { boolean, octetString, oid, sequence } from "./write";

/** Extension OIDs (RFC 5280 id-ce arcs). */
export const EXTENSION_OIDS = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
} as const;

/** One X.509 extension: its OID, criticality and the DER its OCTET STRING wraps. */
export interface Extension {
  /** Dotted extnID, e.g. `"2.5.29.19"`. */
  readonly oid: string;
  /** The critical flag (DEFAULT FALSE). */
  readonly critical: boolean;
  /** extnValue's contents: the extension's own DER. */
  readonly value: Buffer;
}

/** `Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`; FALSE is omitted. */
export function extension(extnId: string, critical: boolean, value: Uint8Array): Buffer {
  return sequence(critical ? [oid(extnId), boolean(true), octetString(value)] : [oid(extnId), octetString(value)]);
}

/** Reads `Extensions ::= SEQUENCE OF Extension`. */
export function readExtensions(element: Tlv): Extension[] {
  return childrenOf(element, TAG.SEQUENCE, "extensions").map((item) => {
    const fields = childrenOf(item, TAG.SEQUENCE, "extension");
    if (fields.length < 2 || fields.length > 3) {
      throw new Error("DER: an extension is not { extnID, critical?, extnValue }");
    }
    return {
      oid: readOid(fields[0], "extnID"),
      critical: fields.length === 3 && readBoolean(fields[1], "extension critical flag"),
      value: expectTag(fields[fields.length - 1], TAG.OCTET_STRING, "extnValue").contents,
    };
  });
}
