import { childrenOf, decodeString, readOid, Tlv } from "../der/read";
import { TAG } from "../der/tags";
import { ia5String, oid, printableString, sequence, setOf, utf8String } from "../der/write";

/** The `subject` input of CertRequest and SelfSignedCert (every field optional; `organization` is ONE string). */
export interface CertSubject {
  readonly commonName?: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly streetAddresses?: readonly string[];
  readonly locality?: string;
  readonly province?: string;
  readonly country?: string;
  readonly postalCode?: string;
  readonly serialNumber?: string;
  readonly emailAddress?: string;
}

/**
 * A Go `pkix.Name` as far as the provider uses it. A list is `undefined` where Go holds `nil`,
 * which matters for the CA empty-subject check (a struct comparison).
 */
export interface PkixName {
  country?: string[];
  province?: string[];
  locality?: string[];
  streetAddress?: string[];
  postalCode?: string[];
  organization?: string[];
  organizationalUnit?: string[];
  commonName: string;
  serialNumber: string;
  /** pkcs9 emailAddress values, appended as `ExtraNames` (IA5String). */
  emailAddresses?: string[];
  /** How many attributes a parsed Name held (Go's `Names`); 0 for a Name built from inputs. */
  parsedAttributes: number;
}

/** Attribute OIDs, with the fields of {@link PkixName} they fill, in Go's fixed RDN order. */
const RDN_ORDER = [
  ["2.5.4.6", "country"], ["2.5.4.8", "province"], ["2.5.4.7", "locality"], ["2.5.4.9", "streetAddress"],
  ["2.5.4.17", "postalCode"], ["2.5.4.10", "organization"], ["2.5.4.11", "organizationalUnit"],
] as const;
const OID_CN = "2.5.4.3";
const OID_SERIAL = "2.5.4.5";
const OID_EMAIL = "1.2.840.113549.1.9.1";

/** The provider's `createSubjectDistinguishedNames` (plus the 5.2+ emailAddress extra name). */
export function pkixNameFromSubject(s: CertSubject | undefined): PkixName {
  const one = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : [v]);
  return {
    commonName: s?.commonName ?? "",
    organization: one(s?.organization),
    organizationalUnit: one(s?.organizationalUnit),
    streetAddress: s?.streetAddresses === undefined ? undefined : [...s.streetAddresses],
    locality: one(s?.locality),
    province: one(s?.province),
    country: one(s?.country),
    postalCode: one(s?.postalCode),
    serialNumber: s?.serialNumber ?? "",
    emailAddresses: one(s?.emailAddress),
    parsedAttributes: 0,
  };
}

/** Go's `cmp.Equal(name, pkix.Name{})`: true only when nothing at all was set. */
export function isZeroPkixName(n: PkixName): boolean {
  return n.commonName === "" && n.serialNumber === "" && n.parsedAttributes === 0 && n.emailAddresses === undefined &&
    RDN_ORDER.every(([, field]) => n[field] === undefined);
}

/** Go's asn1 default string type: PrintableString when every character allows it, else UTF8String. */
export function directoryValue(value: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? printableString(value) : utf8String(value);
}

/** One RDN holding every value, its members in DER SET OF order (sorted encodings), as Go marshals it. */
function rdn(type: string, values: readonly string[], encode: (v: string) => Buffer): Buffer {
  return setOf(values.map((v) => sequence([oid(type), encode(v)])));
}

/**
 * Go's `pkix.Name.ToRDNSequence` + marshal, as DER: RDN order C, ST, L, STREET, postalCode, O, OU,
 * CN, serialNumber, then emailAddress; empty CN/serialNumber omitted; each multi-valued field one RDN.
 */
export function nameFromPkix(n: PkixName): Buffer {
  const rdns: Buffer[] = [];
  for (const [type, field] of RDN_ORDER) {
    const values = n[field];
    if (values !== undefined && values.length > 0) {
      rdns.push(rdn(type, values, directoryValue));
    }
  }
  if (n.commonName !== "") {
    rdns.push(rdn(OID_CN, [n.commonName], directoryValue));
  }
  if (n.serialNumber !== "") {
    rdns.push(rdn(OID_SERIAL, [n.serialNumber], directoryValue));
  }
  for (const email of n.emailAddresses ?? []) {
    rdns.push(rdn(OID_EMAIL, [email], ia5String));
  }
  return sequence(rdns);
}

/**
 * Go's `pkix.Name.FillFromRDNSequence`: known attributes kept (the last CN and serialNumber win),
 * everything else, emailAddress included, only counted. Re-marshalling it loses those.
 */
export function pkixNameFromDer(name: Tlv): PkixName {
  const out: PkixName = { commonName: "", serialNumber: "", parsedAttributes: 0 };
  for (const set of childrenOf(name, TAG.SEQUENCE, "Name")) {
    for (const atv of childrenOf(set, TAG.SET, "RelativeDistinguishedName")) {
      const [typeElement, valueElement, ...extra] = childrenOf(atv, TAG.SEQUENCE, "AttributeTypeAndValue");
      if (valueElement === undefined || extra.length > 0) {
        throw new Error("DER: an AttributeTypeAndValue is not { type, value }");
      }
      const type = readOid(typeElement, "attribute type");
      out.parsedAttributes += 1;
      const value = decodeString(valueElement);
      if (value === undefined) {
        continue;
      }
      const field = RDN_ORDER.find(([known]) => known === type)?.[1];
      if (field !== undefined) {
        out[field] = [...(out[field] ?? []), value];
      } else if (type === OID_CN) {
        out.commonName = value;
      } else if (type === OID_SERIAL) {
        out.serialNumber = value;
      }
    }
  }
  return out;
}
