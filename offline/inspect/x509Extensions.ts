import { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  KeyUsage,
  KeyUsageType,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from "@peculiar/asn1-x509";

/**
 * The x509 extensions a check needs that Node's `X509Certificate` does not expose (its `keyUsage`
 * is the *extended* key usage list). Read with `@peculiar/asn1-x509`, as the tls emulator writes them.
 */
export interface X509Extensions {
  /** keyUsage bits by name; undefined when the extension is absent. */
  readonly keyUsages?: readonly KeyUsageType[];
  /** basicConstraints cA; undefined when the extension is absent. */
  readonly isCa?: boolean;
  /** Subject key identifier, hex `aa:bb:…`. */
  readonly subjectKeyId?: string;
  /** Authority key identifier (its keyIdentifier field), hex `aa:bb:…`. */
  readonly authorityKeyId?: string;
  /** DNS SANs, as written. */
  readonly dnsNames: readonly string[];
  /** IP SANs, in their shortest text form (`::1`, `10.96.0.1`). */
  readonly ipAddresses: readonly string[];
}

const hex = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString("hex").replace(/(..)(?!$)/g, "$1:");

/** Reads keyUsage, basicConstraints, key identifiers and SANs of a certificate. */
export function readExtensions(cert: X509Certificate): X509Extensions {
  const extensions = AsnConvert.parse(cert.raw, Certificate).tbsCertificate.extensions ?? [];
  const value = (oid: string): ArrayBuffer | undefined => extensions.find((e) => e.extnID === oid)?.extnValue.buffer;
  const keyUsage = value(id_ce_keyUsage);
  const basic = value(id_ce_basicConstraints);
  const skid = value(id_ce_subjectKeyIdentifier);
  const akid = value(id_ce_authorityKeyIdentifier);
  const akidKey = akid === undefined ? undefined : AsnConvert.parse(akid, AuthorityKeyIdentifier).keyIdentifier;
  const san = value(id_ce_subjectAltName);
  // Spread into a plain array: mapping the parsed list itself would build more SubjectAlternativeName objects.
  const names = san === undefined ? [] : [...AsnConvert.parse(san, SubjectAlternativeName)];
  return {
    keyUsages: keyUsage === undefined ? undefined : AsnConvert.parse(keyUsage, KeyUsage).toJSON(),
    isCa: basic === undefined ? undefined : AsnConvert.parse(basic, BasicConstraints).cA,
    subjectKeyId: skid === undefined ? undefined : hex(AsnConvert.parse(skid, SubjectKeyIdentifier).buffer),
    authorityKeyId: akidKey === undefined ? undefined : hex(akidKey.buffer),
    dnsNames: names.flatMap((name) => (name.dNSName === undefined ? [] : [name.dNSName])),
    ipAddresses: names.flatMap((name) => (name.iPAddress === undefined ? [] : [name.iPAddress])),
  };
}

/** A distinguished name as one line, `CN=kube-apiserver, O=…` (Node gives one attribute per line). */
export function oneLineName(name: string): string {
  return name.split("\n").join(", ");
}

/** Values of one attribute (`CN`, `O`) of a distinguished name as Node prints it. */
export function nameAttribute(name: string, attribute: string): string[] {
  return name
    .split("\n")
    .filter((line) => line.startsWith(`${attribute}=`))
    .map((line) => line.slice(attribute.length + 1));
}
