import { X509Certificate } from "node:crypto";
import { canonicalIp } from "../../components/addresses";
import { readCertificateFields } from "../der/certificateFields";
import { EXTENSION_OIDS } from "../der/extension";
import { readGeneralNames } from "../der/generalNames";
import {
  readAuthorityKeyIdentifier, readBasicConstraintsCa, readKeyUsageBits, readSubjectKeyIdentifier,
} from "../der/extensionValues";

/** KeyUsage bit names as RFC 5280 spells them (`crlSign` as OpenSSL and the x509 libraries write it). */
export type KeyUsageName =
  | "digitalSignature" | "nonRepudiation" | "keyEncipherment" | "dataEncipherment" | "keyAgreement"
  | "keyCertSign" | "crlSign" | "encipherOnly" | "decipherOnly";

/** KeyUsage bit names by bit number (bit n is value `1 << n`). */
const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
  "keyCertSign", "crlSign", "encipherOnly", "decipherOnly",
];

/**
 * The x509 extensions a check needs that Node's `X509Certificate` does not expose (its `keyUsage`
 * is the *extended* key usage list), read from the certificate's DER.
 */
export interface X509Extensions {
  /** keyUsage bits by name; undefined when the extension is absent. */
  readonly keyUsages?: readonly KeyUsageName[];
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

const hex = (bytes: Buffer): string => bytes.toString("hex").replace(/(..)(?!$)/g, "$1:");

/** IP bytes as text, as the component writes addresses (`canonicalIp`); hex when neither 4 nor 16 bytes. */
function ipText(bytes: Buffer): string {
  if (bytes.length !== 4 && bytes.length !== 16) return bytes.toString("hex");
  return canonicalIp({ family: bytes.length === 4 ? 4 : 6, bytes });
}

/** KeyUsage names of the set bits, in alphabetical order. */
function keyUsageNames(value: Buffer): KeyUsageName[] {
  const bits = readKeyUsageBits(value);
  return KEY_USAGE_BITS.filter((_, bit) => (bits >> bit) & 1).sort();
}

/** Reads keyUsage, basicConstraints, key identifiers and SANs of a certificate. */
export function readExtensions(cert: X509Certificate): X509Extensions {
  const extensions = readCertificateFields(cert.raw).extensions;
  const value = (oid: string): Buffer | undefined => extensions.find((e) => e.oid === oid)?.value;
  const keyUsage = value(EXTENSION_OIDS.keyUsage);
  const basic = value(EXTENSION_OIDS.basicConstraints);
  const skid = value(EXTENSION_OIDS.subjectKeyIdentifier);
  const akid = value(EXTENSION_OIDS.authorityKeyIdentifier);
  const akidKey = akid === undefined ? undefined : readAuthorityKeyIdentifier(akid);
  const san = value(EXTENSION_OIDS.subjectAltName);
  const names = san === undefined ? undefined : readGeneralNames(san);
  return {
    keyUsages: keyUsage === undefined ? undefined : keyUsageNames(keyUsage),
    isCa: basic === undefined ? undefined : readBasicConstraintsCa(basic),
    subjectKeyId: skid === undefined ? undefined : hex(readSubjectKeyIdentifier(skid)),
    authorityKeyId: akidKey === undefined ? undefined : hex(akidKey),
    dnsNames: names?.dnsNames ?? [],
    ipAddresses: (names?.ipAddresses ?? []).map((bytes) => ipText(Buffer.from(bytes))),
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
