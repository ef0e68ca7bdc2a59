import { extension, EXTENSION_OIDS } from "../der/extension";
import { boolean, implicit, integer, namedBits, octetString, oid, sequence } from "../der/write";
import { EXTENDED_USAGE_OIDS } from "../../components/catalog/usages";

/** `allowedUses` strings that set a KeyUsage bit (bit n = value 1 << n, n as RFC 5280 numbers the bits). */
export const KEY_USAGES: Readonly<Record<string, number>> = {
  digital_signature: 1 << 0, content_commitment: 1 << 1, key_encipherment: 1 << 2, data_encipherment: 1 << 3,
  key_agreement: 1 << 4, cert_signing: 1 << 5, crl_signing: 1 << 6, encipher_only: 1 << 7, decipher_only: 1 << 8,
};

/** `allowedUses` strings that add an ExtendedKeyUsage OID. */
export const EXT_KEY_USAGES: Readonly<Record<string, string>> = {
  any_extended: "2.5.29.37.0",
  ...EXTENDED_USAGE_OIDS,
  code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4",
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  timestamping: "1.3.6.1.5.5.7.3.8",
  ocsp_signing: "1.3.6.1.5.5.7.3.9",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
  netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
  microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

/** Every accepted `allowedUses` string, sorted, as the provider lists them in its validation message. */
export const ALLOWED_USES: readonly string[] = [...Object.keys(KEY_USAGES), ...Object.keys(EXT_KEY_USAGES)].sort();

/** KeyUsage bits OR'ed together and EKU OIDs in list order (duplicates kept). Nothing is implied. */
export function usagesOf(allowedUses: readonly string[]): { keyUsage: number; extKeyUsages: string[] } {
  return {
    keyUsage: allowedUses.reduce((bits, u) => bits | (KEY_USAGES[u] ?? 0), 0),
    extKeyUsages: allowedUses.flatMap((u) => (EXT_KEY_USAGES[u] === undefined ? [] : [EXT_KEY_USAGES[u]])),
  };
}

/** What goes into a certificate's extensions, already decided. */
export interface ExtensionPlan {
  /** KeyUsage bits (see {@link KEY_USAGES}); 0 omits the extension. */
  readonly keyUsage: number;
  /** ExtendedKeyUsage OIDs in order; empty omits the extension. */
  readonly extKeyUsages: readonly string[];
  /** basicConstraints cA. */
  readonly isCa: boolean;
  /** pathLenConstraint; only values ≥ 1 are emitted (Go drops 0 without MaxPathLenZero). */
  readonly maxPathLen: number;
  /** Subject key identifier bytes, when set. */
  readonly subjectKeyId?: Uint8Array;
  /** Authority key identifier (its keyIdentifier), when set. */
  readonly authorityKeyId?: Uint8Array;
  /** The DER `GeneralNames` of the SAN extension, when there are SANs. */
  readonly sans?: Buffer;
  /** SAN criticality: true when the subject encodes as an empty Name. */
  readonly subjectEmpty: boolean;
}

/** `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }`. */
function basicConstraints(isCa: boolean, maxPathLen: number): Buffer {
  if (!isCa) {
    return sequence([]);
  }
  return sequence(maxPathLen > 0 ? [boolean(true), integer(maxPathLen)] : [boolean(true)]);
}

/**
 * Go's `buildCertExtensions` order and criticality, as DER `Extension`s: keyUsage (critical, if
 * any bit), extKeyUsage, basicConstraints (critical, always), subjectKeyIdentifier,
 * authorityKeyIdentifier, subjectAltName (critical iff the subject is empty).
 */
export function certificateExtensions(p: ExtensionPlan): Buffer[] {
  const out: Buffer[] = [];
  if (p.keyUsage !== 0) {
    out.push(extension(EXTENSION_OIDS.keyUsage, true, namedBits(p.keyUsage)));
  }
  if (p.extKeyUsages.length > 0) {
    out.push(extension(EXTENSION_OIDS.extKeyUsage, false, sequence(p.extKeyUsages.map(oid))));
  }
  out.push(extension(EXTENSION_OIDS.basicConstraints, true, basicConstraints(p.isCa, p.maxPathLen)));
  if (p.subjectKeyId !== undefined) {
    out.push(extension(EXTENSION_OIDS.subjectKeyIdentifier, false, octetString(p.subjectKeyId)));
  }
  if (p.authorityKeyId !== undefined) {
    out.push(extension(EXTENSION_OIDS.authorityKeyIdentifier, false, sequence([implicit(0, octetString(p.authorityKeyId))])));
  }
  if (p.sans !== undefined) {
    out.push(extension(EXTENSION_OIDS.subjectAltName, p.subjectEmpty, p.sans));
  }
  return out;
}

/** The SAN extension of a CSR's extensionRequest: non-critical, nothing else requested. */
export function csrSanExtension(sans: Buffer): Buffer {
  return extension(EXTENSION_OIDS.subjectAltName, false, sans);
}
